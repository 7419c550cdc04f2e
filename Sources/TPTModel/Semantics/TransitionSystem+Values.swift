/// Packed states to and from cell values (`StateValues`): the explicit side
/// of every bridge between backends, and of printing.
extension TransitionSystem {
    /// The sizes this system's states are indexed by; rules in progress sit
    /// on host threads.
    public var shape: StateShape {
        StateShape(configuration: configuration, pages: pages, slots: layout.threadRule.count)
    }

    /// A packed state's values, cell by cell.
    public func values(of s: PackedState) -> StateValues {
        var values = StateValues(shape, features: features, view: view)
        let codes = layout.codes, c = configuration
        for component in Component.allCases {
            guard let fields = layout.fields(of: component) else { continue }
            for (position, field) in fields.enumerated() {
                values[component, at: position] = codes.value(of: s[field], as: component.value)
            }
        }
        for (component, fields) in [(Component.tlb, layout.tlb), (.referenceTLB, layout.referenceTLB)] where !fields.isEmpty {
            for vm in 0..<c.vms {
                for vcpu in 0..<c.vcpus {
                    let base = tlbIndex(vm, vcpu)
                    for field in fields[base..<(base + c.tlb)] where s[field] != 0 {
                        let (page, frame, writable) = codes.tlbEntry(s[field])
                        values[component, vm, vcpu, page] = .entry(.literal(.frame, frame), writable: writable)
                    }
                }
            }
        }
        for thread in 0..<layout.threadRule.count where s[layout.threadRule[thread]] != 0 {
            let rule = s[layout.threadRule[thread]] - 1
            let arguments = model.rules[rule].parameters.enumerated().map { index, parameter in
                Element.literal(parameter.type, s[layout.threadParameter[thread * layout.maxRuleParameters + index]])
            }
            values[.progress, thread] = .running(rule: rule, nextStep: s[layout.threadStep[thread]], arguments: arguments)
        }
        return values
    }

    /// The packed state the values describe, with TLBs and host threads in
    /// their normal order; nil when they do not fit this system: a value with
    /// no code, more entries than a TLB holds, more rules in progress than
    /// host threads, or a component the view does not keep that is not empty.
    public func state(from values: StateValues) -> PackedState? {
        let codes = layout.codes, c = configuration
        guard values.shape.frames == c.frames, values.shape.vms == c.vms, values.shape.vcpus == c.vcpus,
              values.shape.gpages == c.gpages, values.shape.pages == pages else { return nil }
        var s = PackedState()
        for component in Component.allCases {
            let cells = values.cells(of: component)
            guard let fields = layout.fields(of: component) else { continue }
            guard !fields.isEmpty else {
                if cells.contains(where: { $0 != .none }) { return nil }
                continue
            }
            for (field, value) in zip(fields, cells) {
                guard let code = codes.code(of: value, as: component.value), code <= Int(field.mask) else { return nil }
                s[field] = code
            }
        }
        for (component, fields) in [(Component.tlb, layout.tlb), (.referenceTLB, layout.referenceTLB)] {
            for vm in 0..<c.vms {
                for vcpu in 0..<c.vcpus {
                    var slot = tlbIndex(vm, vcpu)
                    for page in 0..<pages {
                        let value = values[component, vm, vcpu, page]
                        guard value != .none else { continue }
                        guard !fields.isEmpty, slot < tlbIndex(vm, vcpu) + c.tlb,
                              case .entry(let target, let writable) = value, let frame = target.index(.frame), frame < c.frames else { return nil }
                        s[fields[slot]] = codes.tlbCode(page: page, frame: frame, writable: writable)
                        slot += 1
                    }
                    if !fields.isEmpty { normalizeTLB(&s, base: tlbIndex(vm, vcpu), fields) }
                }
            }
        }
        var thread = 0
        for value in values.cells(of: .progress) where value != .none {
            guard case .running(let rule, let nextStep, let arguments) = value, thread < layout.threadRule.count,
                  rules.isAtomic.indices.contains(rule), (1..<rules.stepCount[rule]).contains(nextStep),
                  arguments.count == model.rules[rule].parameters.count else { return nil }
            s[layout.threadRule[thread]] = 1 + rule
            s[layout.threadStep[thread]] = nextStep
            for (index, argument) in arguments.enumerated() {
                guard let code = codes.code(of: .element(argument), as: .argument),
                      argument.index(model.rules[rule].parameters[index].type) != nil else { return nil }
                s[layout.threadParameter[thread * layout.maxRuleParameters + index]] = code
            }
            thread += 1
        }
        normalizeThreads(&s)
        return s
    }

    /// Every component of a state, named, in a fixed order (`StateValues.components`).
    public func components(of s: PackedState) -> [StateComponent] {
        values(of: s).components(rules: model.rules)
    }

    /// What differs between two states, as `name: old -> new` lines.
    public func changes(from before: PackedState, to after: PackedState) -> [String] {
        zip(components(of: before), components(of: after)).compactMap { old, new in
            old.value == new.value ? nil : "\(old.name): \(old.value) -> \(new.value)"
        }
    }
}
