import TPTModel
import TPTZ3

/// One symbolic transition: when it is enabled (a formula over the pre-state
/// and the transition's own parameters, free constants that an obligation reads
/// existentially) and the post-state it leads to.
public struct SymbolicTransition {
    public var name: String
    public var enabled: Z3Term
    public var post: SymbolicState
    /// The transition's own parameters, named, for reading a counterexample.
    public var parameters: [(name: String, term: Z3Term)] = []
    /// A guest access that fills the VM's TLB entry for the page. The state's
    /// TLB has no capacity; bounded model checking makes a full TLB evict first.
    public var fills: (vm: Z3Term, vcpu: Z3Term, page: Z3Term)? = nil
}

extension SymbolicState {
    /// The all-free state (every frame free and clean, no roots, empty tables
    /// and TLBs, no rule in progress), then the model's `init` steps: the
    /// initial state for any number of frames and VMs beyond the literals it names.
    public static func initial(_ v: Vocabulary, model: Model) throws(Z3Error) -> SymbolicState {
        let z3 = v.z3, rootTarget = model.scheme.features.guestTablesName
        /// The array, indexed as given, holding the value everywhere.
        func everywhere(_ indices: [Component.Index], _ value: Z3Term) throws(Z3Error) -> Z3Term {
            var term = value
            for index in indices.reversed() { term = try z3.constantArray(v.sort(of: index), term) }
            return term
        }
        // Every cell holds what the all-zero packed state's does (`CellValue.none`); an idle slot's arguments are any.
        let empty = try SymbolicState.make(v, scheme: model.scheme, component: { component, _ throws(Z3Error) in
            let value = component == .progress ? try z3.numeral(0, v.progress) : try v.term(.none, as: component.value, rootTarget: rootTarget)
            return try everywhere(component.indices, value)
        }, argument: { _, type, _ throws(Z3Error) in try everywhere(Component.arguments.indices, v.literal(type, 0)) })
        let algebra = try SymbolicAlgebra(v, model: model, state: empty)
        var applied = algebra
        for step in model.initialSteps { step.apply(to: &applied) }
        if let error = applied.error { throw error }
        return applied.state
    }
}

/// The host's transitions out of a symbolic state, read from the model's rules
/// and run through the same scheduler, step and guard definitions as the
/// explicit checker (`startRule`, `continueRule` in `Primitives.swift`).
///
/// An atomic rule is one transition. An interleaved rule starts on an idle
/// slot (its guard, its first step, and its progress and parameters recorded
/// on the slot) and then runs each later step as its own transition, taking
/// its parameters back from the slot, as the explicit checker's host threads
/// do. Unbounded, the slot is the key frame (`Vocabulary.slot`); bounded, it
/// is any idle host thread, so that no more than `host_threads` rules run at
/// once (a one-step interleaved rule, too, needs an idle thread to run on).
///
/// `prefix` names the transitions' parameters, so that several copies (one per
/// step of an unrolling) do not share them. `everyRuleAtomic` runs each rule as
/// one transition, as the translation-equivalence product does.
public func hostTransitions(_ model: Model, _ v: Vocabulary, from pre: SymbolicState, naming prefix: String = "",
                            everyRuleAtomic: Bool = false) throws(Z3Error) -> [SymbolicTransition] {
    let z3 = v.z3
    var transitions: [SymbolicTransition] = []
    for (index, var rule) in model.rules.enumerated() {
        if everyRuleAtomic { rule.isAtomic = true }
        var parameters: [Z3Term] = []
        for parameter in rule.parameters {
            parameters.append(try z3.constant("\(prefix)\(rule.name).\(parameter.name)", v.sort(parameter.type)))
        }
        let keySlot = rule.parameters.firstIndex { $0.type == .frame }
        if !rule.isAtomic && v.slotsAreKeyFrames && keySlot == nil && rule.steps.count > 1 {
            throw Z3Error(message: "rule '\(rule.name)' is interleaved but has no frame parameter to key its progress on")
        }
        /// The slot a start takes or a later step runs on: the key frame, or a
        /// host thread (named with `#`, which no parameter's name contains).
        func slot(_ name: String, key: Z3Term?) throws(Z3Error) -> Z3Term {
            if v.slotsAreKeyFrames, let key { return key }
            return try z3.constant("\(prefix)\(rule.name)#\(name)", v.slot)
        }
        // The start: the scheduler's one definition (`startRule`).
        var start = try SymbolicAlgebra(v, model: model, state: pre, bindings: parameters)
        let guardHolds = rule.guardCondition.evaluate(in: start)  // on the state before the start
        let thread = try slot("thread", key: keySlot.map { parameters[$0] })
        let free = start.startRule(index, stepCount: rule.steps.count, atomic: rule.isAtomic, on: thread) { rule.steps[$0] }
        let enabled = try z3.and([guardHolds, free])
        if let error = start.error { throw error }
        transitions.append(SymbolicTransition(name: rule.isAtomic || rule.steps.count == 1 ? rule.name : "\(rule.name) starts",
                                              enabled: enabled, post: start.state,
                                              parameters: Array(zip(rule.parameters.map(\.name), parameters))))
        // Each later step of an interleaved rule (`continueRule`).
        guard !rule.isAtomic, rule.steps.count > 1 else { continue }
        let key = try slot("key", key: nil)
        for step in 1..<rule.steps.count {
            var bindings: [Z3Term] = []
            for (slot, parameter) in rule.parameters.enumerated() {
                bindings.append(slot == keySlot && v.slotsAreKeyFrames
                                ? key : try z3.select(pre.arguments[SymbolicState.argumentIndex(slot, parameter.type)], key))
            }
            var running = try SymbolicAlgebra(v, model: model, state: pre, bindings: bindings)
            let enabled = running.continueRule(index, step: step, stepCount: rule.steps.count, on: key, rule.steps[step])
            if let error = running.error { throw error }
            transitions.append(SymbolicTransition(name: "\(rule.name) step \(step + 1)/\(rule.steps.count)", enabled: enabled, post: running.state,
                                                  parameters: Array(zip(rule.parameters.map(\.name), bindings))))
        }
    }
    return transitions
}
