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
    /// Whether each vCPU keeps a pending flush request and whether it runs
    /// (`Step.requestFlush`): not a setting, but what the model's rules use,
    /// which the resolver records here so that every state layout sees it.
    public var flushRequests = false

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
