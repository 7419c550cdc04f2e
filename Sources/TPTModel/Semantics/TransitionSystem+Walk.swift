/// The hardware page walk: the only way a TLB entry is created.
///
/// Guests are untrusted and may write any value anywhere they can write, so the
/// checker does not store what a guest wrote, only who wrote it last. Read as a
/// page-table node, a frame some VM wrote holds whatever entries that VM chose:
/// the walk may continue to any target. A clean (scrubbed) frame holds only empty
/// entries: the walk faults there. This is the strongest guest there is, so a
/// "holds" verdict covers every guest program, and it keeps the state small
/// enough for exhaustive search.
extension TransitionSystem {
    /// The first page-table read (by level, then by target) of the VM's walk
    /// that breaks the property, for naming a violation: the walk's meaning is
    /// defined once (`Primitives.swift`, `GuestMoves.swift`), which says that
    /// some read breaks it; this finds which. Under pv the walker reads the
    /// root frame.
    func firstBreakingRead(_ s: PackedState, vm: Int, vcpu: Int, _ property: Property) -> (level: Int, frame: Int, cached: Bool) {
        let algebra = ConcreteAlgebra(system: self, state: s, bindings: Bindings())
        guard model.scheme.walksGuestTables else { return (0, algebra.root(of: vm, vcpu).target, false) }
        var first: (level: Int, frame: Int, cached: Bool)?
        let cached = algebra.cachesWalks ? algebra.cachedTables(of: vm, vcpu) : nil
        _ = algebra.walkLevels(of: vm, vcpu, cached: cached, levels: configuration.levels) { level, reached, cached in
            guard first == nil else { return }
            for (set, isCached) in [(reached, false), (cached ?? 0, true)] {
                for target in SetBits(set) where first == nil {
                    let breaks = property == .isolation ? algebra.pageTableReadBreaksIsolation(vm: vm, at: target, cached: isCached)
                                                        : algebra.pageTableReadLeaks(vm: vm, at: target, cached: isCached)
                    if breaks { first = (level, algebra.hostFrame(of: vm, target).frame, isCached) }
                }
            }
        }
        guard let first else { preconditionFailure("no page-table read of vm\(vm)'s walk breaks \(property.rawValue)") }
        return first
    }
}

/// The members of a small set kept as bits, lowest first.
struct SetBits: Sequence, IteratorProtocol {
    var remaining: UInt32

    init(_ bits: UInt32) { remaining = bits }

    @inline(__always)
    mutating func next() -> Int? {
        guard remaining != 0 else { return nil }
        let member = remaining.trailingZeroBitCount
        remaining &= remaining - 1
        return member
    }
}
