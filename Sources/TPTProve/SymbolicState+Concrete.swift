import TPTModel
import TPTZ3

/// Symbolic states to and from cell values (`StateValues`): the symbolic side
/// of the bridge that lets the two backends be compared state by state, gives
/// bounded model checking its initial state and replays its counterexamples,
/// and reads a counterexample's states in `check`'s words.
extension SymbolicState {
    /// A packed state of a concrete configuration as ground array terms over
    /// the vocabulary's literals.
    public static func encode(_ s: PackedState, of system: TransitionSystem, in v: Vocabulary) throws(Z3Error) -> SymbolicState {
        try encode(system.values(of: s), of: system.model, in: v)
    }

    /// Cell values as ground array terms. Rules in progress sit on their host
    /// threads, or (unbounded) on their key frames, their first frame
    /// parameter; unused argument slots hold f0, vm0, g0.
    public static func encode(_ values: StateValues, of model: Model, in v: Vocabulary) throws(Z3Error) -> SymbolicState {
        let z3 = v.z3, shape = values.shape, rootTarget = model.scheme.features.guestTablesName
        var progress = try z3.constantArray(v.slot, z3.numeral(0, v.progress))
        var arguments: [Z3Term] = []
        for _ in 0..<Rule.maxParameters {
            for type in ValueType.allCases { arguments.append(try z3.constantArray(v.slot, v.literal(type, 0))) }
        }
        for (slot, value) in values.cells(of: .progress).enumerated() {
            guard case .running(let ruleIndex, let nextStep, let values) = value else { continue }
            let rule = model.rules[ruleIndex]
            let key: Z3Term
            if !v.slotsAreKeyFrames {
                key = try v.hostThreadLiteral(slot)
            } else if let keySlot = rule.parameters.firstIndex(where: { $0.type == .frame }), let frame = values[keySlot].index(.frame) {
                key = try v.literal(.frame, frame)
            } else {
                throw Z3Error(message: "rule '\(rule.name)' is interleaved but has no frame parameter to key its progress on")
            }
            progress = try z3.store(progress, key, z3.numeral(progressCode(rule: ruleIndex, nextStep: nextStep), v.progress))
            for (position, parameter) in rule.parameters.enumerated() {
                let index = argumentIndex(position, parameter.type)
                arguments[index] = try z3.store(arguments[index], key, v.term(.element(values[position]), as: .argument, rootTarget: rootTarget))
            }
        }
        return try make(v, scheme: model.scheme,
                        component: { component, _ throws(Z3Error) in component == .progress ? progress : try array(of: component) },
                        argument: { position, type, _ in arguments[argumentIndex(position, type)] })

        /// Constant arrays of the component's empty value, with a store for
        /// each index whose cells are not all empty.
        func array(of component: Component) throws(Z3Error) -> Z3Term {
            let indices = component.indices, cells = values.cells(of: component)
            let none = try v.term(.none, as: component.value, rootTarget: rootTarget)
            let literals = try indices.map { index throws(Z3Error) in try v.literals(of: index, count: shape.size(of: index)) }
            /// The array below `level`, over the cells from `first` on.
            func build(_ level: Int, _ first: Int) throws(Z3Error) -> Z3Term {
                guard level < indices.count else { return try v.term(cells[first], as: component.value, rootTarget: rootTarget) }
                let stride = indices[(level + 1)...].reduce(1) { $0 * shape.size(of: $1) }
                var array = try empty(level)
                for (i, literal) in literals[level].enumerated() {
                    let start = first + i * stride
                    guard cells[start..<(start + stride)].contains(where: { $0 != .none }) else { continue }
                    array = try z3.store(array, literal, build(level + 1, start))
                }
                return array
            }
            func empty(_ level: Int) throws(Z3Error) -> Z3Term {
                level < indices.count ? try z3.constantArray(v.sort(of: indices[level]), empty(level + 1)) : none
            }
            return try build(0, 0)
        }
    }

    /// The state's values as `evaluate` gives them (a model's), read at the
    /// shape's literals: the components states of the scheme keep in the
    /// view, the rest left empty.
    public func values(of model: Model, in v: Vocabulary, shape: StateShape, view: TransitionSystem.View,
                       evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> StateValues {
        let z3 = v.z3, features = model.scheme.features, rootTarget = features.guestTablesName
        let names = try ElementNames(v, evaluate: evaluate)
        var values = StateValues(shape, features: features, view: view)
        for (component, array) in components where component != .arguments && component.isKept(under: features, in: view, extras: shape.extras) {
            let indices = component.indices
            let literals = try indices.map { index throws(Z3Error) in try v.literals(of: index, count: shape.size(of: index)) }
            var position = 0
            /// Every cell below the array, in row-major order.
            func read(_ array: Z3Term, _ level: Int) throws(Z3Error) {
                guard level < indices.count else {
                    values[component, at: position] = try cell(component, evaluate(array))
                    position += 1
                    return
                }
                for literal in literals[level] { try read(z3.select(array, literal), level + 1) }
            }
            /// A cell's value; a rule in progress with its arguments, read at its slot.
            func cell(_ component: Component, _ value: Z3Term) throws(Z3Error) -> CellValue {
                let read = try v.cellValue(of: value, as: component.value, rootTarget: rootTarget) { term, type in names.element(term, type) }
                guard component == .progress, case .unknownProgress(let code) = read else { return read }
                // A counterexample to induction may hold any code, even one naming no rule's step.
                let ruleIndex = Int(code >> 4) - 1, nextStep = Int(code & 0xF)
                guard model.rules.indices.contains(ruleIndex), !model.rules[ruleIndex].isAtomic,
                      (1..<model.rules[ruleIndex].steps.count).contains(nextStep) else { return read }
                let slot = literals[0][position]
                var arguments: [Element] = []
                for (index, parameter) in model.rules[ruleIndex].parameters.enumerated() {
                    let argument = try evaluate(z3.select(self.arguments[SymbolicState.argumentIndex(index, parameter.type)], slot))
                    arguments.append(names.element(argument, parameter.type))
                }
                return .running(rule: ruleIndex, nextStep: nextStep, arguments: arguments)
            }
            try read(array, 0)
        }
        return values
    }

    /// The packed state of the system the values `evaluate` gives describe
    /// (`TransitionSystem.state(from:)`); nil when they do not fit its
    /// configuration.
    public func decode(into system: TransitionSystem, in v: Vocabulary,
                       evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> PackedState? {
        guard !v.slotsAreKeyFrames else { throw Z3Error(message: "a packed state keeps rules in progress on host threads, not key frames") }
        return system.state(from: try values(of: system.model, in: v, shape: system.shape, view: system.view, evaluate: evaluate))
    }
}
