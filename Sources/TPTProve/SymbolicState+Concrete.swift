import TPTModel
import TPTZ3

extension SymbolicState {
    /// A packed state of a concrete configuration as ground array terms over the
    /// vocabulary's literals: the bridge that lets the two backends be compared
    /// state by state, and that gives bounded model checking its initial state.
    public static func encode(_ s: PackedState, of system: TransitionSystem, in v: Vocabulary) throws(Z3Error) -> SymbolicState {
        let z3 = v.z3, c = system.model.configuration, layout = system.layout
        let ownership = v.ownership.constructors, frameEntry = v.frameEntry.constructors
        func owned(_ code: Int) throws(Z3Error) -> Z3Term {
            switch code {
            case 0: return try ownership[0].make()
            case 1: return try ownership[1].make()
            default: return try ownership[2].make(v.literal(.vm, code - 2))
            }
        }
        func perFrame(_ fields: [Field], _ value: (Int) throws(Z3Error) -> Z3Term, empty: Z3Term) throws(Z3Error) -> Z3Term {
            var array = try z3.constantArray(v.frame, empty)
            for (frame, field) in fields.enumerated() {
                array = try z3.store(array, v.literal(.frame, frame), value(s[field]))
            }
            return array
        }
        /// A VM-by-page map, from a code per (VM, page); `absent` for pages the view does not keep.
        func perPage(_ code: (Int, Int) -> Int?, _ value: (Int) throws(Z3Error) -> Z3Term, none: Z3Term) throws(Z3Error) -> Z3Term {
            var outer = try z3.constantArray(v.vm, z3.constantArray(v.page, none))
            for vm in 0..<c.vms {
                var inner = try z3.constantArray(v.page, none)
                for page in 0..<system.pages {
                    guard let entry = code(vm, page), entry != 0 else { continue }
                    inner = try z3.store(inner, v.pageLiteral(page), value(entry))
                }
                outer = try z3.store(outer, v.literal(.vm, vm), inner)
            }
            return outer
        }
        func frameEntryTerm(frame: Int, writable: Bool) throws(Z3Error) -> Z3Term {
            try frameEntry[1].make(v.literal(.frame, frame), z3.bool(writable))
        }

        let free = try ownership[0].make()
        let noEntry = try frameEntry[0].make()
        let rootOption = system.model.scheme.guestTablesNameGuestPhysical ? v.optionalGPage : v.optionalFrame
        let rootType: ValueType = system.model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
        var root = try z3.constantArray(v.vm, rootOption.constructors[0].make())
        for (vm, field) in layout.root.enumerated() where s[field] != 0 {
            root = try z3.store(root, v.literal(.vm, vm), rootOption.constructors[1].make(v.literal(rootType, s[field] - 1)))
        }
        // Each vCPU's TLB; no fields, all empty.
        func tlbMap(_ fields: [Field]) throws(Z3Error) -> Z3Term {
            let emptyTLB = try z3.constantArray(v.page, noEntry)
            var tlb = try z3.constantArray(v.vm, z3.constantArray(v.vcpu, emptyTLB))
            guard !fields.isEmpty else { return tlb }
            for vm in 0..<c.vms {
                var perVCPU = try z3.constantArray(v.vcpu, emptyTLB)
                for vcpu in 0..<c.vcpus {
                    var entries = emptyTLB
                    let base = system.tlbIndex(vm, vcpu)
                    for index in base..<(base + c.tlb) where s[fields[index]] != 0 {
                        let entry = system.tlbEntry(s[fields[index]])
                        entries = try z3.store(entries, v.pageLiteral(entry.page), frameEntryTerm(frame: entry.frame, writable: entry.writable))
                    }
                    perVCPU = try z3.store(perVCPU, v.vcpuLiteral(vcpu), entries)
                }
                tlb = try z3.store(tlb, v.literal(.vm, vm), perVCPU)
            }
            return tlb
        }
        var nested = try z3.constantArray(v.vm, z3.constantArray(v.gpage, v.optionalFrame.constructors[0].make()))
        for vm in 0..<c.vms {
            var inner = try z3.constantArray(v.gpage, v.optionalFrame.constructors[0].make())
            for gpage in 0..<c.gpages {
                let code = s[layout.nested[system.nestedIndex(vm, gpage)]]
                if code != 0 { inner = try z3.store(inner, v.literal(.gpage, gpage), v.optionalFrame.constructors[1].make(v.literal(.frame, code - 1))) }
            }
            nested = try z3.store(nested, v.literal(.vm, vm), inner)
        }
        // Rules in progress, on their key frames; unused argument slots hold f0, vm0, g0.
        var progress = try z3.constantArray(v.frame, z3.numeral(0, v.progress))
        var arguments: [Z3Term] = []
        for _ in 0..<Rule.maxParameters {
            for type in ValueType.allCases { arguments.append(try z3.constantArray(v.frame, v.literal(type, 0))) }
        }
        for thread in 0..<layout.threadRule.count where s[layout.threadRule[thread]] != 0 {
            let ruleIndex = s[layout.threadRule[thread]] - 1
            let rule = system.model.rules[ruleIndex]
            let values = (0..<rule.parameters.count).map { s[layout.threadParameter[thread * layout.maxRuleParameters + $0]] }
            guard let keySlot = rule.parameters.firstIndex(where: { $0.type == .frame }) else {
                throw Z3Error(message: "rule '\(rule.name)' is interleaved but has no frame parameter to key its progress on")
            }
            let key = try v.literal(.frame, values[keySlot])
            progress = try z3.store(progress, key, z3.numeral(progressCode(rule: ruleIndex, nextStep: s[layout.threadStep[thread]]), v.progress))
            for (slot, parameter) in rule.parameters.enumerated() {
                let index = argumentIndex(slot, parameter.type)
                arguments[index] = try z3.store(arguments[index], key, v.literal(parameter.type, values[slot]))
            }
        }
        return SymbolicState(
            owner: try perFrame(layout.owner, owned, empty: free),
            tag: try perFrame(layout.tag, owned, empty: free),
            writer: try perFrame(layout.writer, { code throws(Z3Error) in try code == 0 ? free : owned(code + 1) }, empty: free),
            pinned: try perFrame(layout.pinned, { code throws(Z3Error) in try z3.bool(code != 0) }, empty: z3.bool(false)),
            root: root,
            tlb: try tlbMap(layout.tlb),
            nested: nested,
            guestEntries: try perPage({ vm, page in layout.guestEntry.isEmpty ? nil : s[layout.guestEntry[system.pageIndex(vm, page)]] }, { code throws(Z3Error) in
                try v.guestEntry.constructors[1].make(v.literal(.gpage, TransitionSystem.entryTarget(code)), z3.bool(TransitionSystem.entryIsWritable(code)))
            }, none: v.guestEntry.constructors[0].make()),
            directEntries: try perPage({ vm, page in layout.directEntry.isEmpty ? nil : s[layout.directEntry[system.pageIndex(vm, page)]] }, { code throws(Z3Error) in
                try frameEntryTerm(frame: TransitionSystem.entryTarget(code), writable: TransitionSystem.entryIsWritable(code))
            }, none: noEntry),
            referenceTLB: try tlbMap(layout.referenceTLB),
            progress: progress,
            arguments: arguments)
    }
}
