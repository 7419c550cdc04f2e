extension SymmetryReduction {
    /// The state with every VM and frame renamed: each field moves to its new
    /// name's place and every value naming a VM or frame is renamed, then TLBs
    /// and host threads are put back in their sorted order.
    public func renamed(_ s: PackedState, _ r: Renaming) -> PackedState {
        let layout = system.layout, c = system.configuration
        var t = PackedState()
        @inline(__always) func ownership(_ code: Int) -> Int { code >= 2 ? 2 + r.vm(code - 2) : code }
        @inline(__always) func frameEntry(_ code: Int) -> Int {
            code == 0 ? 0 : TransitionSystem.entryCode(target: r.frame(TransitionSystem.entryTarget(code)),
                                                       writable: TransitionSystem.entryIsWritable(code))
        }
        @inline(__always) func tlbEntry(_ code: Int) -> Int {
            guard code != 0 else { return 0 }
            let (page, frame, writable) = system.tlbEntry(code)
            return system.tlbCode(page: page, frame: r.frame(frame), writable: writable)
        }
        for frame in 0..<frames {
            let to = r.frame(frame)
            t[layout.owner[to]] = ownership(s[layout.owner[frame]])
            if !layout.tag.isEmpty { t[layout.tag[to]] = ownership(s[layout.tag[frame]]) }
            let writer = s[layout.writer[frame]]
            t[layout.writer[to]] = writer == 0 ? 0 : 1 + r.vm(writer - 1)
            if !layout.pinned.isEmpty { t[layout.pinned[to]] = s[layout.pinned[frame]] }
        }
        let rootNamesFrame = !system.model.scheme.guestTablesNameGuestPhysical
        let hasReference = !layout.referenceTLB.isEmpty
        for vm in 0..<vms {
            let to = r.vm(vm)
            if !layout.root.isEmpty {
                let code = s[layout.root[vm]]
                t[layout.root[to]] = code == 0 || !rootNamesFrame ? code : 1 + r.frame(code - 1)
            }
            for vcpu in 0..<c.vcpus {
                let from = system.tlbIndex(vm, vcpu), into = system.tlbIndex(to, vcpu)
                for entry in 0..<c.tlb {
                    t[layout.tlb[into + entry]] = tlbEntry(s[layout.tlb[from + entry]])
                    if hasReference { t[layout.referenceTLB[into + entry]] = tlbEntry(s[layout.referenceTLB[from + entry]]) }
                }
                system.normalizeTLB(&t, base: into)
                if hasReference { system.normalizeTLB(&t, base: into, layout.referenceTLB) }
            }
            for gpage in 0..<c.gpages {
                let code = s[layout.nested[system.nestedIndex(vm, gpage)]]
                t[layout.nested[system.nestedIndex(to, gpage)]] = code == 0 ? 0 : 1 + r.frame(code - 1)
            }
            for page in 0..<system.pages {
                let from = system.pageIndex(vm, page), into = system.pageIndex(to, page)
                if !layout.guestEntry.isEmpty { t[layout.guestEntry[into]] = s[layout.guestEntry[from]] }
                if !layout.directEntry.isEmpty { t[layout.directEntry[into]] = frameEntry(s[layout.directEntry[from]]) }
            }
        }
        let parameters = layout.maxRuleParameters
        for thread in 0..<layout.threadRule.count {
            let ruleCode = s[layout.threadRule[thread]]
            t[layout.threadRule[thread]] = ruleCode
            t[layout.threadStep[thread]] = s[layout.threadStep[thread]]
            guard ruleCode != 0 else { continue }
            let frameMask = system.rules.frameParameters[ruleCode - 1], vmMask = system.rules.vmParameters[ruleCode - 1]
            for index in 0..<parameters {
                let field = layout.threadParameter[thread * parameters + index]
                let value = s[field]
                t[field] = frameMask >> index & 1 != 0 ? r.frame(value) : vmMask >> index & 1 != 0 ? r.vm(value) : value
            }
        }
        system.normalizeThreads(&t)
        return t
    }
}
