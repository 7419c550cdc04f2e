/// Human-readable names for states, actions and violations: what a counterexample
/// table prints. Never on the hot path.
extension TransitionSystem {
    public func frameName(_ frame: Int) -> String { "f\(frame)" }
    public func vmName(_ vm: Int) -> String { "vm\(vm)" }

    func targetName(_ target: Int) -> String {
        model.scheme.guestTablesNameGuestPhysical ? "g\(target)" : "f\(target)"
    }

    /// A guest entry: `empty` or a guest-physical page with its permission.
    func guestEntryName(_ code: Int) -> String {
        code == 0 ? "empty" : "g\(Self.entryTarget(code)) \(Self.entryIsWritable(code) ? "rw" : "ro")"
    }

    /// A direct entry or a translation's outcome: a frame with its permission.
    func frameEntryName(_ code: Int, empty: String = "empty") -> String {
        code == 0 ? empty : "\(frameName(Self.entryTarget(code))) \(Self.entryIsWritable(code) ? "rw" : "ro")"
    }

    /// What printed states call a component (`Component.label`).
    private func label(_ component: Component) -> String { component.label(under: model.scheme.features) }

    public func actorName(_ action: Action) -> String {
        guard action.isGuest else { return "host" }
        if configuration.vcpus == 1 || [.loadRoot, .writeEntry, .hypercall, .validate].contains(action.kind) { return vmName(Int(action.vm)) }
        return "\(vmName(Int(action.vm))).cpu\(action.vcpu)"
    }

    func tagName(_ code: Int) -> String {
        switch code {
        case Self.freeTag: return "free"
        case Self.hostTag: return "host"
        default: return vmName(code - 2)
        }
    }

    func pageName(_ page: Int) -> String { "p\(page)" }

    func operandName(_ operand: Operand, _ type: ValueType, _ bindings: Bindings) -> String {
        let value = operand.value(bindings)
        switch type {
        case .frame: return frameName(value)
        case .vm: return vmName(value)
        case .gpage: return "g\(value)"
        }
    }

    /// A step with its operands filled in, e.g. `set_tag(f2, free)`.
    public func describe(_ step: Step, _ bindings: Bindings) -> String {
        describe(step) { operand, type in operandName(operand, type, bindings) }
    }

    /// A step as written in its rule, e.g. `set_tag(f, free)`.
    public func describe(_ step: Step, in rule: Rule) -> String {
        describe(step) { operand, type in
            if case .parameter(let index) = operand { return rule.parameters[index].name }
            return operandName(operand, type, Bindings())
        }
    }

    private func describe(_ step: Step, naming name: (Operand, ValueType) -> String) -> String {
        func tagText(_ value: TagValue) -> String {
            switch value {
            case .free: return "free"
            case .host: return "host"
            case .vm(let vm): return name(vm, .vm)
            }
        }
        let targetType: ValueType = model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
        switch step {
        case .setOwnership(let record, let frame, let value):
            return "set_\(record.rawValue)(\(name(frame, .frame)), \(tagText(value)))"
        case .shootdown(let frame): return "shootdown(\(name(frame, .frame)))"
        case .flushTLB(let vm): return "flush_tlb(\(name(vm, .vm)))"
        case .scrub(let frame): return "scrub(\(name(frame, .frame)))"
        case .setWriter(let frame, let vm): return "set_writer(\(name(frame, .frame)), \(name(vm, .vm)))"
        case .setRoot(let vm, let target):
            return "set_root(\(name(vm, .vm)), \(target.map { name($0, targetType) } ?? "none"))"
        case .nestedMap(let vm, let gpage, let frame):
            return "nested_map(\(name(vm, .vm)), \(name(gpage, .gpage)), \(name(frame, .frame)))"
        case .nestedUnmap(let vm, let gpage):
            return "nested_unmap(\(name(vm, .vm)), \(name(gpage, .gpage)))"
        case .shadowZap(let vm, let gpage):
            return "shadow_zap(\(name(vm, .vm)), \(name(gpage, .gpage)))"
        case .pin(let frame): return "pin(\(name(frame, .frame)))"
        case .unpin(let frame): return "unpin(\(name(frame, .frame)))"
        case .revoke(let frame): return "revoke(\(name(frame, .frame)))"
        case .rmpAssign(let frame, let vm, let gpage):
            return "rmp_assign(\(name(frame, .frame)), \(name(vm, .vm)), \(name(gpage, .gpage)))"
        case .rmpClear(let frame): return "rmp_clear(\(name(frame, .frame)))"
        }
    }

    func ruleCall(_ rule: Rule, _ bindings: Bindings) -> String {
        let arguments = rule.parameters.enumerated().map { index, parameter in
            operandName(.parameter(index), parameter.type, bindings)
        }
        return "\(rule.name)(\(arguments.joined(separator: ", ")))"
    }

    /// An action as a reader sees it; `state` is the state the action was taken in.
    public func describe(_ action: Action, in state: PackedState) -> String {
        switch action.kind {
        case .read: return "read \(pageName(Int(action.subject))) -> \(frameName(Int(action.frame)))"
        case .write: return "write \(pageName(Int(action.subject))) -> \(frameName(Int(action.frame)))"
        case .invalidatePage: return "invlpg \(pageName(Int(action.subject)))"
        case .flush: return "flush TLB"
        case .loadRoot: return "load root \(targetName(Int(action.subject)))"
        case .writeEntry:
            let written = "write pte \(pageName(Int(action.subject))) := \(guestEntryName(Int(action.frame)))"
            if !model.scheme.features.shadowsGuestTables { return written }
            return written + (action.trapped ? " (trapped)" : " (NOT trapped)")
        case .hypercall:
            return "hypercall: set pte \(pageName(Int(action.subject))) := \(frameEntryName(Int(action.frame)))"
        case .validate:
            return "pvalidate g\(action.subject) (\(frameName(Int(action.frame))))"
        case .translate:
            return "access \(pageName(Int(action.subject))): \(model.scheme.rawValue) \(frameEntryName(Int(action.frame), empty: "fault")) | "
                + "nested \(frameEntryName(Int(action.reference), empty: "fault"))"
        case .startRule:
            let rule = model.rules[Int(action.subject)]
            let call = ruleCall(rule, action.bindings)
            if rule.isAtomic || rule.steps.count == 1 || view == .equivalence { return call }
            return "\(call) step 1/\(rule.steps.count): \(describe(rule.steps[0], action.bindings))"
        case .continueRule:
            let thread = Int(action.subject)
            let rule = model.rules[state[layout.threadRule[thread]] - 1]
            let step = state[layout.threadStep[thread]]
            let bindings = threadBindings(state, thread)
            return "\(ruleCall(rule, bindings)) step \(step + 1)/\(rule.steps.count): \(describe(rule.steps[step], bindings))"
        }
    }

    /// The name of an action's kind, or of the rule it runs.
    public func name(of action: Action, in state: PackedState) -> String {
        switch action.kind {
        case .read: return "read"
        case .write: return "write"
        case .invalidatePage: return "invlpg"
        case .flush: return "flush"
        case .loadRoot: return "load_root"
        case .writeEntry: return "write_pte"
        case .hypercall: return "hypercall"
        case .validate: return "pvalidate"
        case .translate: return "access"
        case .startRule: return model.rules[Int(action.subject)].name
        case .continueRule: return model.rules[state[layout.threadRule[Int(action.subject)]] - 1].name
        }
    }

    /// An action's parameters, named: the page and frame of an access, a rule's
    /// arguments and the step it runs.
    public func parameters(of action: Action, in state: PackedState) -> [StateComponent] {
        func text(_ name: String, _ value: String) -> StateComponent { StateComponent(name: name, value: .text(value)) }
        switch action.kind {
        case .read, .write:
            return [text("page", pageName(Int(action.subject))), text("frame", frameName(Int(action.frame)))]
        case .invalidatePage:
            return [text("page", pageName(Int(action.subject)))]
        case .flush:
            return []
        case .loadRoot:
            return [text("root", targetName(Int(action.subject)))]
        case .writeEntry:
            let written = [text("page", pageName(Int(action.subject))), text("entry", guestEntryName(Int(action.frame)))]
            return model.scheme.features.shadowsGuestTables ? written + [text("trapped", action.trapped ? "yes" : "no")] : written
        case .hypercall:
            return [text("page", pageName(Int(action.subject))), text("entry", frameEntryName(Int(action.frame)))]
        case .validate:
            return [text("gpage", "g\(action.subject)"), text("frame", frameName(Int(action.frame)))]
        case .translate:
            return [text("page", pageName(Int(action.subject))),
                    text(model.scheme.rawValue, frameEntryName(Int(action.frame), empty: "fault")),
                    text("nested", frameEntryName(Int(action.reference), empty: "fault"))]
        case .startRule, .continueRule:
            let ruleIndex: Int, bindings: Bindings, step: Int
            if action.kind == .startRule {
                (ruleIndex, bindings, step) = (Int(action.subject), action.bindings, 0)
            } else {
                let thread = Int(action.subject)
                (ruleIndex, bindings, step) = (state[layout.threadRule[thread]] - 1, threadBindings(state, thread), state[layout.threadStep[thread]])
            }
            let rule = model.rules[ruleIndex]
            var result = rule.parameters.enumerated().map { index, parameter in
                text(parameter.name, operandName(.parameter(index), parameter.type, bindings))
            }
            if !rule.isAtomic && view == .safety {
                result.append(text("step", "\(step + 1)/\(rule.steps.count)"))
                result.append(text("primitive", describe(rule.steps[step], bindings)))
            }
            return result
        }
    }

    /// Every component of a state, named, in a fixed order.
    public func components(of s: PackedState) -> [StateComponent] {
        let c = configuration
        var result: [StateComponent] = []
        for frame in 0..<c.frames {
            result.append(StateComponent(name: "\(label(.owner)) \(frameName(frame))", value: .text(tagName(owner(s, frame)))))
            if !layout.tag.isEmpty {
                result.append(StateComponent(name: "\(label(.tag)) \(frameName(frame))", value: .text(tagName(tag(s, frame)))))
            }
            let frameWriter = writer(s, frame)
            result.append(StateComponent(name: "\(label(.writer)) \(frameName(frame))", value: .text(frameWriter == 0 ? "clean" : vmName(frameWriter - 1))))
            if !layout.pinned.isEmpty {
                result.append(StateComponent(name: "\(label(.pinned)) \(frameName(frame))", value: .text(s[layout.pinned[frame]] != 0 ? "yes" : "no")))
            }
            if !layout.rmp.isEmpty {
                result.append(StateComponent(name: "\(label(.rmp)) \(frameName(frame))", value: .text(reverseMapName(s[layout.rmp[frame]]))))
            }
        }
        for vm in 0..<c.vms {
            if !layout.root.isEmpty {
                let root = s[layout.root[vm]]
                result.append(StateComponent(name: "\(label(.root)) \(vmName(vm))", value: .text(root == 0 ? "none" : targetName(root - 1))))
            }
            for page in 0..<pages {
                if !layout.guestEntry.isEmpty {
                    let guest = s[layout.guestEntry[pageIndex(vm, page)]]
                    result.append(StateComponent(name: "\(label(.guestEntries)) \(vmName(vm)) \(pageName(page))", value: .text(guestEntryName(guest))))
                }
                if !layout.directEntry.isEmpty {
                    let direct = s[layout.directEntry[pageIndex(vm, page)]]
                    result.append(StateComponent(name: "\(label(.directEntries)) \(vmName(vm)) \(pageName(page))", value: .text(frameEntryName(direct))))
                }
            }
            for vcpu in 0..<c.vcpus {
                let cpu = c.vcpus == 1 ? vmName(vm) : "\(vmName(vm)).cpu\(vcpu)"
                result.append(StateComponent(name: "\(label(.tlb)) \(cpu)", value: .set(tlbContents(s, layout.tlb, base: tlbIndex(vm, vcpu)))))
                if !layout.referenceTLB.isEmpty {
                    result.append(StateComponent(name: "\(label(.referenceTLB)) \(cpu)", value: .set(tlbContents(s, layout.referenceTLB, base: tlbIndex(vm, vcpu)))))
                }
            }
            let table = label(.nested)
            for gpage in 0..<c.gpages {
                let code = s[layout.nested[nestedIndex(vm, gpage)]]
                result.append(StateComponent(name: "\(table) \(vmName(vm)) g\(gpage)", value: .text(code == 0 ? "empty" : frameName(code - 1))))
            }
        }
        for thread in 0..<layout.threadRule.count {
            let ruleCode = s[layout.threadRule[thread]]
            var text = "idle"
            if ruleCode != 0 {
                let rule = model.rules[ruleCode - 1]
                text = "\(ruleCall(rule, threadBindings(s, thread))) at step \(s[layout.threadStep[thread]] + 1)/\(rule.steps.count)"
            }
            let host = label(.progress)
            result.append(StateComponent(name: layout.threadRule.count == 1 ? host : "\(host) thread \(thread)", value: .text(text)))
        }
        return result
    }

    /// A reverse-map entry: `free`, or `vm0 g1` with `validated` once the guest validated it.
    func reverseMapName(_ code: Int) -> String {
        guard code != 0 else { return "free" }
        let (vm, gpage, validated) = reverseMapEntry(code)
        return "\(vmName(vm)) g\(gpage)" + (validated ? " validated" : "")
    }

    private func tlbContents(_ s: PackedState, _ fields: [Field], base: Int) -> [String] {
        (base..<(base + configuration.tlb)).compactMap { index -> String? in
            let code = s[fields[index]]
            guard code != 0 else { return nil }
            let (page, frame, writable) = tlbEntry(code)
            return "\(pageName(page))->\(frameName(frame)) \(writable ? "rw" : "ro")"
        }
    }

    /// What differs between two states, as `name: old -> new` lines.
    public func changes(from before: PackedState, to after: PackedState) -> [String] {
        zip(components(of: before), components(of: after)).compactMap { old, new in
            old.value == new.value ? nil : "\(old.name): \(old.value) -> \(new.value)"
        }
    }
}

extension TransitionSystem {
    /// Why a transition broke a property, in one sentence.
    public func explain(_ violation: Violation) -> String {
        let vm = vmName(violation.vm)
        let frame = frameName(violation.frame)
        switch (violation.property, violation.route) {
        case (.isolation, .pageTableRead(let level)):
            return "the walk for \(vm) read \(frame) as its level-\(level + 1) page table, but \(frame) belongs to \(tagName(violation.observed))"
        case (.isolation, .tlbHit):
            return "\(vm) reached \(frame) through a TLB entry, but \(frame) belongs to \(tagName(violation.observed))"
        case (.isolation, .walk):
            return "\(vm) reached \(frame) through a page walk, but \(frame) belongs to \(tagName(violation.observed))"
        case (.noDataLeak, .pageTableRead(let level)):
            return "the walk for \(vm) read \(frame) as its level-\(level + 1) page table, but \(frame) holds entries written by \(vmName(violation.observed - 1))"
        case (.noDataLeak, .tlbHit), (.noDataLeak, .walk):
            let how = violation.route == .tlbHit ? "a TLB entry" : "a page walk"
            return "\(vm) read \(frame) through \(how), but \(frame) holds data written by \(vmName(violation.observed - 1))"
        case (.equivalence, _):
            let how = violation.route == .tlbHit ? "through a TLB entry" : "on a TLB miss"
            let reached = violation.frame < 0 ? "faults" : "reaches \(frame)"
            return "\(vm)'s access \(how) \(reached) under \(model.scheme.rawValue), but under nested paging "
                + (violation.observed == 0 ? "it faults" : "it reaches \(frameEntryName(violation.observed))")
        }
    }
}
