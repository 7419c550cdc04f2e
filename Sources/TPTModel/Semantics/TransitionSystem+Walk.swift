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
    /// What a walk for a VM's virtual page can end in.
    struct WalkOutcome {
        /// The frames the walk can reach (bit f set: frame f), empty on a fault.
        var reached: UInt32 = 0
        /// Whether the reached frames are mapped writable.
        var writable = true
        /// The first page-table read that breaks isolation, if some choice of entries makes one.
        var isolation: Violation?
        /// The first page-table read that leaks another VM's data, likewise.
        var leak: Violation?

        var violates: Bool { isolation != nil || leak != nil }
    }

    /// Walks the VM's page table, making the configured checks. The VM's own
    /// entries may name any target, so the result is the set of frames some
    /// choice of entries reaches, and for each checked property the first
    /// page-table read (by level, then by target) that breaks it. The walk's
    /// meaning is defined once, over `SemanticsAlgebra` (`Primitives.swift`);
    /// this drives it level by level and names the violating reads.
    func walk(_ s: PackedState, vm: Int) -> WalkOutcome {
        var outcome = WalkOutcome()
        var targetSet = rootTargets(s, vm: vm)
        for level in 0..<configuration.levels {
            if targetSet == 0 { return outcome }
            for target in SetBits(targetSet) {
                if checksIsolation && outcome.isolation == nil && pageTableReadBreaksIsolation(s, vm: vm, at: target) {
                    let frame = hostFrame(s, vm: vm, target: target)!
                    outcome.isolation = Violation(property: .isolation, vm: vm, frame: frame,
                                                  route: .pageTableRead(level: level), observed: owner(s, frame))
                }
                if checksLeak && outcome.leak == nil && pageTableReadLeaks(s, vm: vm, at: target) {
                    let frame = hostFrame(s, vm: vm, target: target)!
                    outcome.leak = Violation(property: .noDataLeak, vm: vm, frame: frame,
                                             route: .pageTableRead(level: level), observed: writer(s, frame))
                }
            }
            targetSet = nextTargets(s, vm: vm, after: targetSet)
        }
        for target in SetBits(targetSet) {
            if let frame = walkEnds(s, vm: vm, at: target) { outcome.reached |= 1 << UInt32(frame) }
        }
        return outcome
    }

    /// The host frame that a page-table target names (nil: not mapped), for
    /// naming a violating read.
    func hostFrame(_ s: PackedState, vm: Int, target: Int) -> Int? {
        guard model.scheme.guestTablesNameGuestPhysical else { return target }
        let code = s[layout.nested[nestedIndex(vm, target)]]
        return code == 0 ? nil : code - 1
    }

    /// Paravirtual paging: the walker reads the VM's root frame. While no guest
    /// has written it since the host validated it, it holds the validated entry
    /// for the page; once a guest has written it (only possible through a
    /// writable mapping of a page-table frame, which the host must refuse), it
    /// holds anything, and the walk may reach any frame.
    func pvWalk(_ s: PackedState, vm: Int, page: Int) -> WalkOutcome {
        var outcome = WalkOutcome()
        let rootCode = s[layout.root[vm]]
        if rootCode == 0 { return outcome }
        let root = rootCode - 1
        let rootWriter = writer(s, root)
        if checksIsolation && accessBreaksIsolation(s, vm: vm, frame: root) {
            outcome.isolation = Violation(property: .isolation, vm: vm, frame: root, route: .pageTableRead(level: 0), observed: owner(s, root))
        }
        if checksLeak && accessLeaks(s, vm: vm, frame: root) {
            outcome.leak = Violation(property: .noDataLeak, vm: vm, frame: root, route: .pageTableRead(level: 0), observed: rootWriter)
        }
        if rootWriter != 0 {
            outcome.reached = (1 << UInt32(configuration.frames)) - 1
            return outcome
        }
        let code = s[layout.directEntry[pageIndex(vm, page)]]
        if code != 0 {
            outcome.reached = 1 << UInt32(Self.entryTarget(code))
            outcome.writable = Self.entryIsWritable(code)
        }
        return outcome
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
