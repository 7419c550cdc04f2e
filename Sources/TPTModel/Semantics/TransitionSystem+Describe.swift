/// Human-readable names for states, actions and violations: what a counterexample
/// table prints. Never on the hot path.
extension TransitionSystem {
    public func frameName(_ frame: Int) -> String { Element.literal(.frame, frame).description }
    public func vmName(_ vm: Int) -> String { Element.literal(.vm, vm).description }

    /// What a root names: a frame or a guest-physical page.
    func targetName(_ target: Int) -> String { Element.literal(layout.codes.rootTarget, target).description }

    /// A guest entry: `empty` or a guest-physical page with its permission.
    func guestEntryName(_ code: Int) -> String { text(code, as: .guestEntry) }

    /// A direct entry or a translation's outcome: a frame with its permission.
    func frameEntryName(_ code: Int, empty: String = "empty") -> String {
        code == 0 ? empty : text(code, as: .frameEntry)
    }

    /// A cell's packed code as printed states show its value.
    private func text(_ code: Int, as kind: Component.Value) -> String {
        layout.codes.value(of: code, as: kind).text(as: kind, rules: model.rules)
    }

    public func actorName(_ action: Action) -> String {
        guard action.isGuest else { return "host" }
        if [.writeEntry, .hypercall, .validate].contains(action.kind) { return vmName(Int(action.vm)) }
        return shape.vcpuName(Int(action.vm), Int(action.vcpu))
    }

    func tagName(_ code: Int) -> String { text(code, as: .ownership) }

    /// Whether the acting vCPU had a flush request pending in the state.
    private func vcpuHasFlushPending(_ state: PackedState, _ action: Action) -> Bool {
        !layout.flushPending.isEmpty && state[layout.flushPending[Int(action.vm) * configuration.vcpus + Int(action.vcpu)]] != 0
    }

    func pageName(_ page: Int) -> String { "p\(page)" }

    func operandName(_ operand: Operand, _ type: ValueType, _ bindings: Bindings) -> String {
        Element.literal(type, operand.value(bindings)).description
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
            case .readOnly(let vm): return "ro(\(name(vm, .vm)))"
            }
        }
        let targetType: ValueType = model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
        switch step {
        case .setOwnership(let record, let frame, let value):
            return "set_\(record.rawValue)(\(name(frame, .frame)), \(tagText(value)))"
        case .shootdown(let frame, let vm, let vcpu):
            return "shootdown(\(name(frame, .frame))\(vm.map { ", " + name($0, .vm) } ?? "")\(vcpu.map { ", " + name($0, .vcpu) } ?? ""))"
        case .shootdownTables(let frame): return "shootdown_tables(\(name(frame, .frame)))"
        case .flushTLB(let vm, let vcpu): return "flush_tlb(\(name(vm, .vm))\(vcpu.map { ", " + name($0, .vcpu) } ?? ""))"
        case .scrub(let frame): return "scrub(\(name(frame, .frame)))"
        case .setWriter(let frame, let vm): return "set_writer(\(name(frame, .frame)), \(name(vm, .vm)))"
        case .setRoot(let vm, let vcpu, let target):
            return "set_root(\(name(vm, .vm)), \(vcpu.map { name($0, .vcpu) + ", " } ?? "")\(target.map { name($0, targetType) } ?? "none"))"
        case .nestedMap(let vm, let gpage, let frame, let writable):
            let target = writable ? name(frame, .frame) : "ro(\(name(frame, .frame)))"
            return "nested_map(\(name(vm, .vm)), \(name(gpage, .gpage)), \(target))"
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
        case .requestFlush(let vm, let runningOnly): return "request_flush\(runningOnly ? "_running" : "")(\(name(vm, .vm)))"
        case .awaitFlush(let vm): return "await_flush(\(name(vm, .vm)))"
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
        case .acknowledgeFlush: return "acknowledge flush request (flush TLB)"
        case .deschedule: return "descheduled"
        case .resume: return vcpuHasFlushPending(state, action) ? "resume (flush TLB: a request is pending)" : "resume"
        case .cacheTable: return "cache table \(frameName(Int(action.frame))) (paging-structure cache)"
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
        case .acknowledgeFlush: return "ack_flush"
        case .deschedule: return "deschedule"
        case .resume: return "resume"
        case .cacheTable: return "cache_table"
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
        case .flush, .acknowledgeFlush, .deschedule:
            return []
        case .resume:
            return [text("flushes", vcpuHasFlushPending(state, action) ? "yes" : "no")]
        case .cacheTable:
            return [text("table", frameName(Int(action.frame)))]
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
}

extension TransitionSystem {
    private func cachedText(_ cached: Bool) -> String { cached ? " (from its paging-structure cache, unchecked)" : "" }

    /// Why a transition broke a property, in one sentence.
    public func explain(_ violation: Violation) -> String {
        let vm = vmName(violation.vm)
        let frame = frameName(violation.frame)
        switch (violation.property, violation.route) {
        case (.isolation, .pageTableRead(let level, let cached)):
            return "the walk for \(vm) read \(frame) as its level-\(level + 1) page table\(cachedText(cached)), but \(frame) belongs to \(tagName(violation.observed))"
        case (.isolation, .tlbHit), (.isolation, .walk):
            let how = violation.route == .tlbHit ? "a TLB entry" : "a page walk"
            // Owned by the VM itself, read-only: the access was a write.
            if let (owner, writable) = layout.codes.ownershipVM(violation.observed), owner == violation.vm, !writable {
                return "\(vm) wrote \(frame) through \(how), but \(vm) may only read \(frame)"
            }
            return "\(vm) reached \(frame) through \(how), but \(frame) belongs to \(tagName(violation.observed))"
        case (.noDataLeak, .pageTableRead(let level, let cached)):
            return "the walk for \(vm) read \(frame) as its level-\(level + 1) page table\(cachedText(cached)), but \(frame) holds entries written by \(vmName(violation.observed - 1))"
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
