/// The size of the system a model explores. Every dimension is small on purpose:
/// exhaustive exploration covers every interleaving, so bugs that need a few VMs and
/// frames are found with certainty.
public struct Configuration: Sendable, Equatable {
    public var vms = 2
    public var vcpus = 1
    public var frames = 4
    public var levels = 2
    public var fanout = 2
    /// TLB entries per vCPU.
    public var tlb = 1
    /// Guest-physical pages per VM (nested paging only).
    public var gpages = 2
    /// Host threads that can run interleaved rules at the same time.
    public var hostThreads = 1
    /// The components a state keeps only for the models that use them: not
    /// sizes, but what the model's rules and walker declare, which the
    /// resolver records here so that every state layout sees it.
    public var extras: StateExtras = []

    /// Whether each vCPU keeps a pending flush request and whether it runs
    /// (`Step.requestFlush`).
    public var flushRequests: Bool {
        get { extras.contains(.flushRequests) }
        set { if newValue { extras.insert(.flushRequests) } else { extras.remove(.flushRequests) } }
    }

    /// Whether each vCPU keeps a paging-structure cache (`walker caches upper levels`).
    public var walkCache: Bool {
        get { extras.contains(.walkCache) }
        set { if newValue { extras.insert(.walkCache) } else { extras.remove(.walkCache) } }
    }

    /// Whether some owner, tag or nested entry may grant read access only
    /// (`ro(...)` in a step or guard): ownership and nested-entry cells then
    /// take twice the codes.
    public var permissions: Bool {
        get { extras.contains(.permissions) }
        set { if newValue { extras.insert(.permissions) } else { extras.remove(.permissions) } }
    }

    public init() {}

    /// Virtual pages in each guest's address space: one per path through the table.
    public var virtualPages: Int {
        var pages = 1
        for _ in 0..<levels { pages *= fanout }
        return pages
    }

    /// The settings a model file may name, with the range each accepts.
    nonisolated(unsafe) static let settings: [(name: String, range: ClosedRange<Int>, keyPath: WritableKeyPath<Configuration, Int>)] = [
        ("vms", 1...6, \.vms),
        ("vcpus", 1...4, \.vcpus),
        ("frames", 1...15, \.frames),
        ("levels", 1...4, \.levels),
        ("fanout", 1...4, \.fanout),
        ("tlb", 1...4, \.tlb),
        ("gpages", 1...15, \.gpages),
        ("host_threads", 1...3, \.hostThreads),
    ]
}

/// Components that cost state bits, so a state keeps them only when the
/// model uses them: a model that sends no flush request and caches no walk
/// explores exactly the states it did before either existed.
public struct StateExtras: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Each vCPU's pending flush request and run state (`Component.flushPending`, `.descheduled`).
    public static let flushRequests = StateExtras(rawValue: 1)
    /// Each vCPU's paging-structure cache (`Component.walkCache`).
    public static let walkCache = StateExtras(rawValue: 2)
    /// Read-only owners, tags and nested entries (`TagValue.readOnly`,
    /// `Step.nestedMap(writable: false)`): their codes, and Z3 sorts with
    /// a read-only case.
    public static let permissions = StateExtras(rawValue: 4)
}
