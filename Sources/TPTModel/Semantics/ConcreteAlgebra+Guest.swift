/// `GuestAlgebra` on a packed state: a choice enumerates its values, frame
/// sets are bit sets, and a TLB is its vCPU's slots (kept sorted,
/// `normalizeTLB`), which a fill into a full one evicts from.
extension ConcreteAlgebra: GuestAlgebra {
    @inline(__always) func forEach(_ domain: GuestDomain, named name: String, _ body: (Int) -> Bool) -> Bool {
        let count = withSystem { system in
            switch domain {
            case .value(.vm): system.configuration.vms
            case .value(.frame): system.configuration.frames
            case .value(.gpage): system.configuration.gpages
            case .value(.vcpu): system.configuration.vcpus
            case .page: system.pages
            }
        }
        for value in 0..<count where !body(value) { return false }
        return true
    }

    /// In code order: empty, then per target read-only and writable.
    @inline(__always) func forEachEntry(naming type: ValueType, writableOnly: Bool, _ body: (EntryValue<Int, Bool>) -> Bool) -> Bool {
        guard body(EntryValue(present: false, target: 0, writable: false)) else { return false }
        let count = withSystem { type == .frame ? $0.configuration.frames : $0.configuration.gpages }
        for target in 0..<count {
            if !writableOnly { guard body(EntryValue(present: true, target: target, writable: false)) else { return false } }
            guard body(EntryValue(present: true, target: target, writable: true)) else { return false }
        }
        return true
    }

    @inline(__always) func forEachFrame(in set: UInt32, named name: String, _ body: (Int, Bool) -> Bool) -> Bool {
        for frame in SetBits(set) where !body(frame, true) { return false }
        return true
    }

    @inline(__always) func whenever(_ condition: Bool, _ body: (Bool) -> Bool) -> Bool { condition ? body(true) : true }
    @inline(__always) func select(_ condition: Bool, _ a: Int, _ b: Int) -> Int { condition ? a : b }

    var allFrames: UInt32 { (1 << UInt32(withSystem { $0.configuration.frames })) - 1 }
    @inline(__always) func frames(_ frame: Int, if condition: Bool) -> UInt32 { condition ? 1 << UInt32(frame) : 0 }
    @inline(__always) func frames(if condition: Bool, _ then: UInt32, else otherwise: UInt32) -> UInt32 { condition ? then : otherwise }
    @inline(__always) func contains(_ set: UInt32, _ frame: Int) -> Bool { set >> UInt32(frame) & 1 != 0 }
    @inline(__always) func frames(from set: UInt32, _ leadsTo: (Int) -> (Bool, Int)) -> UInt32 {
        var reached: UInt32 = 0
        for target in SetBits(set) {
            let (leads, frame) = leadsTo(target)
            if leads { reached |= 1 << UInt32(frame) }
        }
        return reached
    }

    @inline(__always) func checks(_ property: Property) -> Bool {
        withSystem { system in
            switch property {
            case .isolation: system.checksIsolation
            case .noDataLeak: system.checksLeak
            case .equivalence: false
            }
        }
    }
    var features: SchemeFeatures { withSystem { $0.features } }
    var pteWritesMayGoUntrapped: Bool { withSystem { $0.features.shadowsGuestTables && $0.model.pteWriteTraps == .sometimes } }
    var levels: Int { withSystem { $0.configuration.levels } }

    // TLB entries: 0 empty, 1 + 2 * (page * frames + frame) + writable.
    @inline(__always) private static func fields(_ system: TransitionSystem, _ side: TLBSide) -> [Field] {
        side == .model ? system.layout.tlb : system.layout.referenceTLB
    }

    @inline(__always) func tlbEntry(of vm: Int, _ vcpu: Int, _ page: Int, in side: TLBSide) -> EntryValue<Int, Bool> {
        withSystem { system in
            let fields = Self.fields(system, side)
            guard let hit = system.tlbHit(state, base: system.tlbIndex(vm, vcpu), page: page, fields) else {
                return EntryValue(present: false, target: 0, writable: false)
            }
            let (_, frame, writable) = system.tlbEntry(state[fields[hit]])
            return EntryValue(present: true, target: frame, writable: writable)
        }
    }

    @inline(__always) mutating func invalidateTLBEntry(of vm: Int, _ vcpu: Int?, _ page: Int, in side: TLBSide) {
        updateState { system, state in
            let fields = Self.fields(system, side)
            for vcpu in vcpu.map({ $0...$0 }) ?? 0...(system.configuration.vcpus - 1) {
                let base = system.tlbIndex(vm, vcpu)
                guard let hit = system.tlbHit(state, base: base, page: page, fields) else { continue }
                state[fields[hit]] = 0
                system.normalizeTLB(&state, base: base, fields)
            }
        }
    }

    @inline(__always) mutating func flushTLB(of vm: Int, _ vcpu: Int, in side: TLBSide, where condition: Bool) {
        guard condition else { return }
        updateState { system, state in
            let fields = Self.fields(system, side), base = system.tlbIndex(vm, vcpu)
            for index in base..<(base + system.configuration.tlb) { state[fields[index]] = 0 }
        }
    }

    @inline(__always) mutating func flushTLBs(of vm: Int, in side: TLBSide, where condition: Bool) {
        guard condition else { return }
        updateState { system, state in
            let fields = Self.fields(system, side), base = system.tlbIndex(vm, 0), c = system.configuration
            for index in base..<(base + c.vcpus * c.tlb) { state[fields[index]] = 0 }
        }
    }

    /// Entries are sorted, largest first, so the last slot is empty unless
    /// the TLB is full. Nested paging's TLB, beside the model's, evicts the
    /// model's victim slot (its last slot, when the model's TLB fills nothing).
    @inline(__always) func forEachFill(of vm: Int, _ vcpu: Int, _ page: Int, with entry: EntryValue<Int, Bool>,
                                       reference: EntryValue<Int, Bool>?, _ body: (ConcreteAlgebra) -> Bool) -> Bool {
        let (base, last, full) = withSystem { system in
            let base = system.tlbIndex(vm, vcpu), last = base + system.configuration.tlb - 1
            return (base, last, state[system.layout.tlb[last]] != 0)
        }
        for victim in (entry.present && full ? base : last)...last {
            var filled = self
            filled.updateState { system, state in
                if entry.present {
                    state[system.layout.tlb[victim]] = system.tlbCode(page: page, frame: entry.target, writable: entry.writable)
                    system.normalizeTLB(&state, base: base)
                }
                if let reference, reference.present {
                    let fields = system.layout.referenceTLB
                    let slot = state[fields[last]] == 0 ? last : victim
                    state[fields[slot]] = system.tlbCode(page: page, frame: reference.target, writable: reference.writable)
                    system.normalizeTLB(&state, base: base, fields)
                }
            }
            guard body(filled) else { return false }
        }
        return true
    }

    var tlbsAreBounded: Bool { true }

    // Per-page entries: 0 empty, 1 + 2 * target + writable.
    @inline(__always) private static func entry(_ code: Int) -> EntryValue<Int, Bool> {
        EntryValue(present: code != 0, target: max(TransitionSystem.entryTarget(code), 0), writable: TransitionSystem.entryIsWritable(code))
    }
    @inline(__always) static func code(_ entry: EntryValue<Int, Bool>) -> Int {
        entry.present ? TransitionSystem.entryCode(target: entry.target, writable: entry.writable) : 0
    }
    @inline(__always) func guestEntry(of vm: Int, _ page: Int) -> EntryValue<Int, Bool> {
        Self.entry(state[withSystem { $0.layout.guestEntry[$0.pageIndex(vm, page)] }])
    }
    @inline(__always) mutating func setGuestEntry(of vm: Int, _ page: Int, to entry: EntryValue<Int, Bool>) {
        state[withSystem { $0.layout.guestEntry[$0.pageIndex(vm, page)] }] = Self.code(entry)
    }
    @inline(__always) func directEntry(of vm: Int, _ page: Int) -> EntryValue<Int, Bool> {
        Self.entry(state[withSystem { $0.layout.directEntry[$0.pageIndex(vm, page)] }])
    }
    @inline(__always) mutating func setDirectEntry(of vm: Int, _ page: Int, to entry: EntryValue<Int, Bool>) {
        state[withSystem { $0.layout.directEntry[$0.pageIndex(vm, page)] }] = Self.code(entry)
    }

    @inline(__always) mutating func validateReverseMap(of frame: Int, vm: Int, gpage: Int) {
        updateState { system, state in state[system.layout.rmp[frame]] = system.reverseMapCode(vm: vm, gpage: gpage, validated: true) }
    }

    // Flush requests: one flag per vCPU, index vm * vcpus + vcpu.
    var sendsFlushRequests: Bool { withSystem { !$0.layout.flushPending.isEmpty } }
    @inline(__always) private func cpu(_ vm: Int, _ vcpu: Int) -> Int { vm &* withSystem { $0.configuration.vcpus } &+ vcpu }
    @inline(__always) func isRunning(_ vm: Int, _ vcpu: Int) -> Bool { state[withSystem { $0.layout.descheduled[cpu(vm, vcpu)] }] == 0 }
    @inline(__always) mutating func setRunning(_ vm: Int, _ vcpu: Int, _ running: Bool) {
        let index = cpu(vm, vcpu)
        state[withSystem { $0.layout.descheduled[index] }] = running ? 0 : 1
    }
    @inline(__always) func flushPending(_ vm: Int, _ vcpu: Int) -> Bool { state[withSystem { $0.layout.flushPending[cpu(vm, vcpu)] }] != 0 }
    @inline(__always) mutating func clearFlushRequest(_ vm: Int, _ vcpu: Int) {
        let index = cpu(vm, vcpu)
        state[withSystem { $0.layout.flushPending[index] }] = 0
    }
}
