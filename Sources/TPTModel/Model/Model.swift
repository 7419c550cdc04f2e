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
    /// Paravirtual paging: what the host checks before it accepts a page-table update.
    public var hypercallChecks: HypercallChecks
    /// Steps applied once, in order, to the all-free state to give the initial state.
    public var initialSteps: [Step]
    public var rules: [Rule]
    public var properties: [Property]
    public var expectation: Expectation

    /// Whether a rule sends or awaits flush requests, or its guard reads
    /// their state: what `Configuration.flushRequests` must say, for states
    /// to keep them.
    public var usesFlushRequests: Bool {
        rules.contains { $0.steps.contains(where: \.usesFlushRequests) || $0.guardCondition.usesFlushRequests }
    }

    /// Whether a step or guard grants or asks for read access only: what
    /// `Configuration.permissions` must say, for cells to have the codes.
    public var usesPermissions: Bool { Self.usePermissions(initialSteps, rules) }

    static func usePermissions(_ initialSteps: [Step], _ rules: [Rule]) -> Bool {
        initialSteps.contains(where: \.usesPermissions)
            || rules.contains { $0.guardCondition.usesPermissions || $0.steps.contains(where: \.usesPermissions) }
    }
}

/// What a paravirtual host checks before it accepts a guest's page-table update.
public struct HypercallChecks: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The frame the new entry names belongs to the calling VM.
    public static let owner = HypercallChecks(rawValue: 1)
    /// A writable entry never names a pinned (page-table) frame.
    public static let readOnlyTables = HypercallChecks(rawValue: 2)
    public static let all: HypercallChecks = [.owner, .readOnlyTables]
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
    /// A cooperating guest sees, for every virtual page, the same outcome (the
    /// same frame with the same permission, or a fault) as the same guest under
    /// nested paging with the same host allocation decisions. Checked on a product
    /// of the two (`TransitionSystem.View.equivalence`).
    case equivalence = "equivalent_to_nested"

    /// Safety properties hold against any guest and are checked on the model's
    /// own state space; equivalence is checked on the product with nested paging.
    public var isSafety: Bool { self != .equivalence }
}

/// The verdict a model's author expects.
public enum Expectation: Sendable, Equatable, CustomStringConvertible {
    case holds
    /// Each of these properties is broken (others may be too).
    case violated([Property])

    public var description: String {
        switch self {
        case .holds: return "holds"
        case .violated(let properties): return "violated by \(properties.map(\.rawValue).joined(separator: ", "))"
        }
    }

    /// Whether a verdict that breaks these properties (none: holds) is the expected one.
    public func isMet(byViolating broken: [Property]) -> Bool {
        switch self {
        case .holds: return broken.isEmpty
        case .violated(let expected): return !broken.isEmpty && expected.allSatisfy(broken.contains)
        }
    }

    /// Judges a verdict some of whose properties were not decided: true met,
    /// false not met, nil when it depends on the undecided ones. A property
    /// expected broken that is undecided leaves it open; one found broken
    /// where the model expects it to hold settles it.
    public func isMet(byViolating broken: [Property], undecided: [Property]) -> Bool? {
        if isMet(byViolating: broken) { return true }
        switch self {
        case .holds: return broken.isEmpty && !undecided.isEmpty ? nil : false
        case .violated(let expected):
            return expected.contains { !broken.contains($0) && undecided.contains($0) } ? nil : false
        }
    }
}
