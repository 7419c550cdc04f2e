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
        // Rules in progress, on their host threads (bounded) or key frames;
        // unused argument slots hold f0, vm0, g0.
        var progress = try z3.constantArray(v.slot, z3.numeral(0, v.progress))
        var arguments: [Z3Term] = []
        for _ in 0..<Rule.maxParameters {
            for type in ValueType.allCases { arguments.append(try z3.constantArray(v.slot, v.literal(type, 0))) }
        }
        let threads = v.slotsAreKeyFrames ? nil : try v.everySlot()
        for thread in 0..<layout.threadRule.count where s[layout.threadRule[thread]] != 0 {
            let ruleIndex = s[layout.threadRule[thread]] - 1
            let rule = system.model.rules[ruleIndex]
            let values = (0..<rule.parameters.count).map { s[layout.threadParameter[thread * layout.maxRuleParameters + $0]] }
            let key: Z3Term
            if let threads {
                key = threads[thread]
            } else if let keySlot = rule.parameters.firstIndex(where: { $0.type == .frame }) {
                key = try v.literal(.frame, values[keySlot])
            } else {
                throw Z3Error(message: "rule '\(rule.name)' is interleaved but has no frame parameter to key its progress on")
            }
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
            rmp: try perFrame(layout.rmp, { code throws(Z3Error) in
                guard code != 0 else { return try v.reverseMapEntry.constructors[0].make() }
                let (vm, gpage, validated) = system.reverseMapEntry(code)
                return try v.reverseMapEntry.constructors[1].make(v.literal(.vm, vm), v.literal(.gpage, gpage), z3.bool(validated))
            }, empty: v.reverseMapEntry.constructors[0].make()),
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

extension SymbolicState {
    /// The inverse of `encode`: the state's values, as `evaluate` gives them
    /// (a model's, over the configuration's literals), assembled into a packed
    /// state of the system; nil when they do not fit its configuration.
    public func decode(into system: TransitionSystem, in v: Vocabulary,
                       evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> PackedState? {
        let z3 = v.z3, c = system.model.configuration
        func value(_ term: Z3Term) throws(Z3Error) -> (name: String, arguments: [Z3Term]) { try z3.application(evaluate(term)) }
        /// The number in a literal's name: 2 for `f2`, 1 for `thread1`.
        func index(_ literal: Z3Term) throws(Z3Error) -> Int {
            let name = try z3.application(literal).name
            guard let number = Int(String(name.drop { !$0.isNumber })) else { throw Z3Error(message: "\(name) is not a literal") }
            return number
        }
        /// An ownership value: 0 free, 1 host, 2 + v.
        func ownership(_ term: Z3Term) throws(Z3Error) -> Int {
            let (name, arguments) = try value(term)
            return name == "free" ? 0 : name == "host" ? 1 : 2 + (try index(arguments[0]))
        }
        /// An optional, an entry: 0 none, else 1 + target (entries: 1 + 2 * target + writable).
        func option(_ term: Z3Term) throws(Z3Error) -> Int {
            let arguments = try value(term).arguments
            guard !arguments.isEmpty else { return 0 }
            let target = try index(arguments[0])
            guard arguments.count == 2 else { return 1 + target }
            return 1 + 2 * target + (try z3.application(arguments[1]).name == "true" ? 1 : 0)
        }
        var values = StateValues(system)
        for frame in 0..<c.frames {
            let f = try v.literal(.frame, frame)
            values.owner[frame] = try ownership(z3.select(owner, f))
            if !system.layout.tag.isEmpty { values.tag[frame] = try ownership(z3.select(tag, f)) }
            values.writer[frame] = max(0, try ownership(z3.select(writer, f)) - 1)
            if !system.layout.pinned.isEmpty { values.pinned[frame] = try value(z3.select(pinned, f)).name == "true" ? 1 : 0 }
            if !system.layout.rmp.isEmpty {
                let (name, arguments) = try value(z3.select(rmp, f))
                if name != "unassigned" {
                    values.rmp[frame] = system.reverseMapCode(vm: try index(arguments[0]), gpage: try index(arguments[1]),
                                                              validated: try z3.application(arguments[2]).name == "true")
                }
            }
        }
        for vm in 0..<c.vms {
            let m = try v.literal(.vm, vm)
            if !system.layout.root.isEmpty { values.root[vm] = try option(z3.select(root, m)) }
            for gpage in 0..<c.gpages {
                values.nested[vm * c.gpages + gpage] = try option(z3.select(z3.select(nested, m), v.literal(.gpage, gpage)))
            }
            for vcpu in 0..<c.vcpus {
                for page in 0..<c.virtualPages {
                    let code = try option(z3.select(z3.select(z3.select(tlb, m), v.vcpuLiteral(vcpu)), v.pageLiteral(page)))
                    if code != 0 {
                        values.tlb[vm * c.vcpus + vcpu].append((page, TransitionSystem.entryTarget(code), TransitionSystem.entryIsWritable(code)))
                    }
                }
            }
            for page in 0..<system.pages {
                let p = try v.pageLiteral(page)
                if !system.layout.guestEntry.isEmpty {
                    values.guestEntry[system.pageIndex(vm, page)] = try option(z3.select(z3.select(guestEntries, m), p))
                }
                if !system.layout.directEntry.isEmpty {
                    values.directEntry[system.pageIndex(vm, page)] = try option(z3.select(z3.select(directEntries, m), p))
                }
            }
        }
        var slots: [Z3Term] = []
        if !v.slotsAreKeyFrames, let threads = try v.everySlot() {
            slots = threads
        } else {
            for frame in 0..<c.frames { slots.append(try v.literal(.frame, frame)) }
        }
        for slot in slots {
            let code = Int(try z3.unsignedValue(ofNumeral: evaluate(z3.select(progress, slot))))
            guard code != 0 else { continue }
            let rule = (code >> 4) - 1
            guard system.model.rules.indices.contains(rule) else { return nil }
            var arguments: [Int] = []
            for (position, parameter) in system.model.rules[rule].parameters.enumerated() {
                arguments.append(try index(evaluate(z3.select(self.arguments[SymbolicState.argumentIndex(position, parameter.type)], slot))))
            }
            values.threads.append((rule, code & 0xF, arguments))
        }
        return system.state(from: values)
    }
}
