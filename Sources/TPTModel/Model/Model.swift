/// A checked-in description of one virtualization design: which scheme, how big,
/// which checks the hardware makes, how the host updates memory, and what the
/// author expects the checker to find.
///
/// Models are data rather than Swift code so that trying a new update rule means
/// editing a `.tpt` file, not the checker.
public struct Model: Sendable {
    public var name: String
    public var file: String
    public var scheme: Scheme
    public var configuration: Configuration
    public var walkerCheck: WalkerCheck
    /// Shadow paging: whether every guest page-table write traps to the host.
    public var pteWriteTraps: PTEWriteTraps
    /// Steps applied once, in order, to the all-free state to give the initial state.
    public var initialSteps: [Step]
    public var rules: [Rule]
    public var properties: [Property]
    public var expectation: Expectation
}

/// How guest memory is translated and who owns the page tables.
public enum Scheme: String, Sendable, CaseIterable {
    /// Translation Pass-Through: guest tables map virtual pages straight to host
    /// frames; the walker checks each frame's ownership tag.
    case tpt
    /// Two-dimensional paging: guest tables map to guest-physical pages, the host's
    /// nested table maps those to host frames.
    case nested
    /// Shadow paging: the guest's table maps to guest-physical pages; the host
    /// keeps a shadow table (virtual page to host frame) that the hardware uses,
    /// re-synced on every trapped guest page-table write and on hidden faults.
    case shadow

    /// Whether the host keeps a guest-physical to host-frame table: the nested
    /// table the walker uses, or under shadow paging the p2m the shadow is built from.
    public var hasGuestPhysicalMap: Bool { self != .tpt }
    /// Whether the hardware walks page tables in the guest's frames (tpt, nested),
    /// rather than a host-made shadow.
    public var walksGuestTables: Bool { self != .shadow }
}

/// Whether guest page-table writes trap (shadow paging).
public enum PTEWriteTraps: String, Sendable, CaseIterable {
    /// Every write traps and the host re-syncs the shadow entry.
    case always
    /// A write may also go through untrapped, leaving the shadow stale (a bug:
    /// say, a page-table page the host did not write-protect).
    case sometimes
}

/// Which tag checks the hardware page walker makes.
public enum WalkerCheck: String, Sendable, CaseIterable {
    /// Every page-table frame read and the final frame must be tagged for the running VM.
    case everyLevel = "tag at every level"
    /// Only the final frame's tag is checked; page-table frames are read unchecked.
    case leafOnly = "tag at leaf"
    /// No tag checks (nested paging relies on the nested table instead).
    case nothing = "nothing"
}

/// The safety properties the checker can decide.
public enum Property: String, Sendable, CaseIterable, Codable {
    /// No access by a VM, and no page-table read of a walk for it, reaches a frame
    /// tagged for another VM or for the host.
    case isolation
    /// No VM reads data (or page-table entries) last written by another VM.
    case noDataLeak = "no_data_leak"
}

/// The verdict a model's author expects.
public enum Expectation: Sendable, Equatable, CustomStringConvertible {
    case holds
    case violated(Property)

    public var description: String {
        switch self {
        case .holds: return "holds"
        case .violated(let property): return "violated by \(property.rawValue)"
        }
    }
}
