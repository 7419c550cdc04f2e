/// The ways a memory access is translated, as the engine replays them.
public enum TranslationScheme: String, Sendable, CaseIterable {
    /// No virtualization: the OS's 1-D table.
    case native
    /// Nested paging: the guest's table over guest-physical pages, each
    /// reference translated by the host's nested table (a 2-D walk).
    case nested
    /// Shadow paging: the host's 1-D shadow of the guest's table; every guest
    /// page-table write traps.
    case shadow
    /// Paravirtual paging: the guest's 1-D table over host frames, changed by
    /// hypercalls the host validates.
    case pv
    /// Translation Pass-Through: the guest's 1-D table over host frames, and a
    /// tag check at every walk step.
    case tpt
}

extension TranslationScheme {
    /// The kinds of walk: schemes with the same one walk tables of one shape
    /// with the same caches, so their walks cost the same.
    public enum Walk: Sendable {
        /// 1-D over host-physical tables: native, shadow (the host's shadow), pv.
        case oneDimensional
        /// 1-D with a tag check per step: tpt.
        case tagged
        /// 2-D: nested.
        case twoDimensional
    }

    public var walk: Walk {
        switch self {
        case .native, .shadow, .pv: return .oneDimensional
        case .tpt: return .tagged
        case .nested: return .twoDimensional
        }
    }
}

/// What one scheme spent on a trace.
public struct SchemeCounters: Sendable, Equatable {
    /// Data accesses translated (an access that crosses a page counts twice).
    public var accesses: UInt64 = 0
    public var l1Misses: UInt64 = 0
    public var l2Misses: UInt64 = 0
    /// Page-table entries read by walks (guest and host, under nested paging).
    public var walkReferences: UInt64 = 0
    /// Walk references that missed the line cache.
    public var walkReferenceMisses: UInt64 = 0
    /// Walk steps a page-walk cache or the nested TLB saved.
    public var walkCacheHits: UInt64 = 0
    public var tagChecks: UInt64 = 0
    public var tagCacheMisses: UInt64 = 0
    /// Demand faults: a page's first touch.
    public var pageFaults: UInt64 = 0
    public var pageTableWrites: UInt64 = 0
    public var exits: UInt64 = 0
    public var hypercalls: UInt64 = 0
    /// TLB entries invalidated by unmaps.
    public var invalidations: UInt64 = 0
    /// Everything, in cycles: the work around translation, TLB and walk costs,
    /// faults, exits and hypercalls.
    public var cycles: UInt64 = 0

    public init() {}
}
