/// The primitive host steps and the guards over them: each defined once, here.
extension TransitionSystem {
    @inline(__always)
    func tagCode(_ value: TagValue, _ bindings: Bindings) -> Int {
        switch value {
        case .free: return Self.freeTag
        case .host: return Self.hostTag
        case .vm(let vm): return Self.tagCode(vm: vm.value(bindings))
        }
    }

    /// Applies one primitive step to a state.
    public func apply(_ step: Step, _ bindings: Bindings, to s: inout PackedState) {
        let c = configuration
        switch step {
        case .setOwnership(let record, let frame, let value):
            s[recordFields(record)[frame.value(bindings)]] = tagCode(value, bindings)

        case .shootdown(let frame):
            let target = frame.value(bindings)
            for cpu in 0..<(c.vms * c.vcpus) {
                let base = cpu * c.tlb
                var changed = false
                for index in base..<(base + c.tlb) {
                    let code = s[layout.tlb[index]]
                    if code != 0 && tlbEntry(code).frame == target {
                        s[layout.tlb[index]] = 0
                        changed = true
                    }
                }
                if changed { normalizeTLB(&s, base: base) }
            }

        case .flushTLB(let vm):
            let base = tlbIndex(vm.value(bindings), 0)
            for index in base..<(base + c.vcpus * c.tlb) {
                s[layout.tlb[index]] = 0
            }

        case .scrub(let frame):
            s[layout.writer[frame.value(bindings)]] = 0

        case .setWriter(let frame, let vm):
            s[layout.writer[frame.value(bindings)]] = 1 + vm.value(bindings)

        case .setRoot(let vm, let target):
            s[layout.root[vm.value(bindings)]] = target.map { 1 + $0.value(bindings) } ?? 0

        case .nestedMap(let vm, let gpage, let frame):
            s[layout.nested[nestedIndex(vm.value(bindings), gpage.value(bindings))]] = 1 + frame.value(bindings)

        case .nestedUnmap(let vm, let gpage):
            s[layout.nested[nestedIndex(vm.value(bindings), gpage.value(bindings))]] = 0

        case .shadowZap(let vm, let gpage):
            let v = vm.value(bindings), code = 1 + gpage.value(bindings)
            for page in 0..<pages where s[layout.guestEntry[pageIndex(v, page)]] == code {
                s[layout.shadowEntry[pageIndex(v, page)]] = 0
            }
        }
    }

    /// Shadow paging: the host copies the guest's entry for a page into the shadow,
    /// translating its guest-physical page through the p2m (empty if unmapped).
    /// Runs on every trapped guest page-table write and on every hidden fault.
    func shadowSync(_ s: inout PackedState, vm: Int, page: Int) {
        let guestCode = s[layout.guestEntry[pageIndex(vm, page)]]
        s[layout.shadowEntry[pageIndex(vm, page)]] = guestCode == 0 ? 0 : s[layout.nested[nestedIndex(vm, guestCode - 1)]]
    }

    /// Whether a guard holds in a state for a choice of rule parameters.
    public func holds(_ condition: Guard, _ bindings: Bindings, in s: PackedState) -> Bool {
        switch condition {
        case .not(let inner):
            return !holds(inner, bindings, in: s)
        case .and(let left, let right):
            return holds(left, bindings, in: s) && holds(right, bindings, in: s)
        case .or(let left, let right):
            return holds(left, bindings, in: s) || holds(right, bindings, in: s)
        default:
            return conditionHolds(condition, bindings, in: s)
        }
    }

    /// The meaning of each condition that does not combine others.
    @inline(__always)
    func conditionHolds(_ condition: Guard, _ bindings: Bindings, in s: PackedState) -> Bool {
        switch condition {
        case .always:
            return true
        case .ownershipIs(let record, let frame, let value):
            return s[recordFields(record)[frame.value(bindings)]] == tagCode(value, bindings)
        case .ownershipIsVM(let record, let frame):
            return s[recordFields(record)[frame.value(bindings)]] >= 2
        case .nestedIs(let vm, let gpage, let frame):
            let code = s[layout.nested[nestedIndex(vm.value(bindings), gpage.value(bindings))]]
            return code == (frame.map { 1 + $0.value(bindings) } ?? 0)
        case .mapped(let frame):
            let code = 1 + frame.value(bindings)
            for index in layout.nested.indices where s[layout.nested[index]] == code {
                return true
            }
            return false
        case .inFlight(let frame):
            let f = frame.value(bindings)
            for thread in 0..<configuration.hostThreads {
                let rule = s[layout.threadRule[thread]]
                if rule == 0 { continue }
                var mask = rules.frameParameters[rule - 1]
                while mask != 0 {
                    let index = mask.trailingZeroBitCount
                    mask &= mask - 1
                    if s[layout.threadParameter[thread * layout.maxRuleParameters + index]] == f { return true }
                }
            }
            return false
        case .not, .and, .or:
            return holds(condition, bindings, in: s)
        }
    }
}
