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
            // The equivalence view has no multi-level walk, so no root.
            guard !layout.root.isEmpty else { return }
            s[layout.root[vm.value(bindings)]] = target.map { 1 + $0.value(bindings) } ?? 0

        case .nestedMap(let vm, let gpage, let frame):
            s[layout.nested[nestedIndex(vm.value(bindings), gpage.value(bindings))]] = 1 + frame.value(bindings)

        case .nestedUnmap(let vm, let gpage):
            s[layout.nested[nestedIndex(vm.value(bindings), gpage.value(bindings))]] = 0

        case .shadowZap(let vm, let gpage):
            let v = vm.value(bindings), target = gpage.value(bindings)
            for page in 0..<pages where Self.entryTarget(s[layout.guestEntry[pageIndex(v, page)]]) == target {
                s[layout.directEntry[pageIndex(v, page)]] = 0
            }

        case .pin(let frame):
            s[layout.pinned[frame.value(bindings)]] = 1

        case .unpin(let frame):
            s[layout.pinned[frame.value(bindings)]] = 0

        case .revoke(let frame):
            let target = frame.value(bindings)
            for field in layout.directEntry where Self.entryTarget(s[field]) == target {
                s[field] = 0
            }
        }
    }

    /// A page-table entry's code: 0 empty, 1 + 2 * target + writable.
    @inline(__always) static func entryCode(target: Int, writable: Bool) -> Int { 1 + 2 * target + (writable ? 1 : 0) }
    /// The target an entry names, or -1 when it is empty.
    @inline(__always) static func entryTarget(_ code: Int) -> Int { code == 0 ? -1 : (code - 1) >> 1 }
    @inline(__always) static func entryIsWritable(_ code: Int) -> Bool { code != 0 && (code - 1) & 1 == 1 }

    /// Whether a paravirtual host accepts an entry (a code naming a host frame)
    /// for a VM's table. Other schemes accept everything.
    @inline(__always)
    func hypercallAccepts(_ s: PackedState, vm: Int, entry code: Int) -> Bool {
        guard model.scheme == .pv, code != 0 else { return true }
        let frame = Self.entryTarget(code)
        let checks = model.hypercallChecks
        if checks.contains(.owner) && owner(s, frame) != Self.tagCode(vm: vm) { return false }
        if checks.contains(.readOnlyTables) && Self.entryIsWritable(code) && s[layout.pinned[frame]] != 0 { return false }
        return true
    }

    /// The party that keeps the direct entry (the shadow-paging host, a pv
    /// hypercall, a TPT guest mapping through the p2m it was given) copies the
    /// guest's entry for a page into it, translating the guest-physical page
    /// through the p2m (empty if unmapped). A pv host that refuses the entry
    /// leaves the old one. Runs on every trapped guest page-table write and on
    /// every fault (shadow paging's hidden fault, a cooperating guest's retry).
    func syncDirectEntry(_ s: inout PackedState, vm: Int, page: Int) {
        let guestCode = s[layout.guestEntry[pageIndex(vm, page)]]
        var direct = 0
        if guestCode != 0 {
            let nestedCode = s[layout.nested[nestedIndex(vm, Self.entryTarget(guestCode))]]
            if nestedCode != 0 {
                direct = Self.entryCode(target: nestedCode - 1, writable: Self.entryIsWritable(guestCode))
            }
        }
        guard hypercallAccepts(s, vm: vm, entry: direct) else { return }
        s[layout.directEntry[pageIndex(vm, page)]] = direct
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
            for thread in 0..<layout.threadRule.count {
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
        case .pinned(let frame):
            return s[layout.pinned[frame.value(bindings)]] != 0
        case .not, .and, .or:
            return holds(condition, bindings, in: s)
        }
    }
}
