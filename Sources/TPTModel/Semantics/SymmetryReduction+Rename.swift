extension SymmetryReduction {
    /// The state with every VM and frame renamed: each field moves to its new
    /// name's place and every value naming a VM or frame is renamed; TLBs and
    /// host threads keep their sorted order.
    public func renamed(_ s: PackedState, _ r: Renaming) -> PackedState {
        let layout = fields
        var t = PackedState()
        @inline(__always) func ownership(_ code: Int) -> Int { layout.renamedOwnership(code, r) }
        @inline(__always) func frameEntry(_ code: Int) -> Int {
            code == 0 ? 0 : TransitionSystem.entryCode(target: r.frame(TransitionSystem.entryTarget(code)),
                                                       writable: TransitionSystem.entryIsWritable(code))
        }
        @inline(__always) func tlbEntry(_ code: Int) -> Int {
            guard code != 0 else { return 0 }
            let (page, frame, writable) = layout.tlbEntry(code)
            return layout.tlbCode(page: page, frame: r.frame(frame), writable: writable)
        }
        /// One vCPU's TLB, renamed and sorted largest first, like `normalizeTLB`.
        /// (`t` is passed, not captured: a local function that captures a
        /// variable it writes puts it in a heap box, checked on every access.)
        @inline(__always) func renameTLB(_ fields: UnsafeBufferPointer<Field>, from: Int, into: Int, _ t: inout PackedState) {
            let count = layout.tlbEntries
            var a = tlbEntry(s[fields[from]])
            var b = count > 1 ? tlbEntry(s[fields[from &+ 1]]) : 0
            var c = count > 2 ? tlbEntry(s[fields[from &+ 2]]) : 0
            var d = count > 3 ? tlbEntry(s[fields[from &+ 3]]) : 0
            if a < b { swap(&a, &b) }
            if c < d { swap(&c, &d) }
            if a < c { swap(&a, &c) }
            if b < d { swap(&b, &d) }
            if b < c { swap(&b, &c) }
            t[fields[into]] = a
            if count > 1 { t[fields[into &+ 1]] = b }
            if count > 2 { t[fields[into &+ 2]] = c }
            if count > 3 { t[fields[into &+ 3]] = d }
        }
        for frame in 0..<frames {
            let to = r.frame(frame)
            t[layout.owner[to]] = ownership(s[layout.owner[frame]])
            if !layout.tag.isEmpty { t[layout.tag[to]] = ownership(s[layout.tag[frame]]) }
            let writer = s[layout.writer[frame]]
            t[layout.writer[to]] = writer == 0 ? 0 : 1 &+ r.vm(writer &- 1)
            if !layout.pinned.isEmpty { t[layout.pinned[to]] = s[layout.pinned[frame]] }
            if !layout.rmp.isEmpty { t[layout.rmp[to]] = layout.renamedReverseMap(s[layout.rmp[frame]], r) }
        }
        let hasReference = !layout.referenceTLB.isEmpty
        for vm in 0..<vms {
            let to = r.vm(vm)
            for vcpu in 0..<layout.vcpus {
                if !layout.root.isEmpty {
                    let code = s[layout.root[vm &* layout.vcpus &+ vcpu]]
                    t[layout.root[to &* layout.vcpus &+ vcpu]] = code == 0 || !rootNamesFrame ? code : 1 &+ r.frame(code &- 1)
                }
                let from = layout.tlbIndex(vm, vcpu), into = layout.tlbIndex(to, vcpu)
                renameTLB(layout.tlb, from: from, into: into, &t)
                if hasReference { renameTLB(layout.referenceTLB, from: from, into: into, &t) }
                if !layout.flushPending.isEmpty {
                    let cpu = vm &* layout.vcpus &+ vcpu, target = to &* layout.vcpus &+ vcpu
                    t[layout.flushPending[target]] = s[layout.flushPending[cpu]]
                    t[layout.descheduled[target]] = s[layout.descheduled[cpu]]
                }
                if !layout.walkCache.isEmpty {
                    let from = (vm &* layout.vcpus &+ vcpu) &* frames, into = (to &* layout.vcpus &+ vcpu) &* frames
                    for frame in 0..<frames { t[layout.walkCache[into &+ r.frame(frame)]] = s[layout.walkCache[from &+ frame]] }
                }
            }
            for gpage in 0..<layout.gpages {
                let code = s[layout.nested[layout.nestedIndex(vm, gpage)]]
                t[layout.nested[layout.nestedIndex(to, gpage)]] = layout.renamedNested(code, r)
            }
            for page in 0..<layout.pages {
                let from = layout.pageIndex(vm, page), into = layout.pageIndex(to, page)
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
            let frameMask = layout.frameParameters[ruleCode &- 1], vmMask = layout.vmParameters[ruleCode &- 1]
            for index in 0..<parameters {
                let field = layout.threadParameter[thread &* parameters &+ index]
                let value = s[field]
                t[field] = frameMask >> index & 1 != 0 ? r.frame(value) : vmMask >> index & 1 != 0 ? r.vm(value) : value
            }
        }
        if layout.threadRule.count > 1 { system.normalizeThreads(&t) }
        return t
    }
}
