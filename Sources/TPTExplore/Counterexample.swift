import TPTModel

/// A shortest path from the initial state to a transition that breaks a property,
/// in the form a reader follows step by step.
public struct Counterexample: Sendable {
    public struct Step: Sendable {
        /// `host`, or the acting VM (and vCPU).
        public var actor: String
        /// The action in words, e.g. `reclaim(f0) step 2/3: shootdown(f0)`.
        public var action: String
        /// The action's kind, or the rule it runs: `read`, `reclaim`, ...
        public var name: String
        public var parameters: [StateComponent]
        /// `component: old -> new` for each part of the state the step changed.
        public var changes: [String]
    }

    public var property: Property
    /// The steps, the last being the one that breaks the property.
    public var steps: [Step]
    /// Why the last step breaks the property.
    public var explanation: String
    /// The initial state's components that are not empty or free.
    public var initialState: [String]
    /// Every state of the trace: the initial one, then the one after each step
    /// (after the last, the state the violating transition leads to).
    public var states: [[StateComponent]]
    /// The raw actions and violation, for replaying the trace against the model.
    public var actions: [Action]
    public var violation: Violation
}

/// The shortest counterexample for `property` that breaks it after `level`
/// steps and whose actions come earliest in the model's order of transitions
/// (the first action that can still lead to a violation, then the next, ...):
/// a choice that depends neither on how the store orders states nor on the
/// number of threads, and shows the actions a reader expects first.
///
/// Backwards, level by level, the stored states from which the property
/// breaks in exactly the remaining steps are marked; then the trace is walked
/// forwards on the model as written, taking at each step the first
/// transition into a marked state (`counterexample(_:length:...)`).
func reconstruct(_ system: TransitionSystem, _ store: StateStore, level: Int, property: Property,
                 reduction: SymmetryReduction?) -> Counterexample {
    let words = system.layout.words
    func reference(of state: PackedState) -> StateStore.Reference? {
        let representative = reduction?.representative(state) ?? state
        return store.reference(of: representative, hash: StateStore.hash(representative, words: words))
    }

    // marked[l]: the states of level l that lead to a violation in level - l more steps.
    var marked = [Set<StateStore.Reference>](repeating: [], count: level + 1)
    for below in stride(from: level, through: 0, by: -1) {
        for (shard, rows) in store.rows(ofLevel: below) {
            for row in rows {
                let candidate = StateStore.Reference(shard: shard, row: row)
                var leads = false
                system.forEachSuccessor(of: store.state(at: candidate)) { _, next, violation in
                    if below == level {
                        leads = violation?.property == property
                    } else if let next = reference(of: next) {
                        leads = marked[below + 1].contains(next)
                    }
                    return !leads
                }
                if leads { marked[below].insert(candidate) }
            }
        }
    }

    return counterexample(system, length: level, property: property, reduction: reduction) { step, representative in
        store.reference(of: representative, hash: StateStore.hash(representative, words: words)).map(marked[step].contains) ?? false
    }
}

/// Walks the model as written from its initial state for `length` steps,
/// taking at each step the first transition whose successor (its
/// representative, under symmetry reduction) `isOnPath` accepts for that step,
/// then the first transition that breaks the property: the counterexample a
/// reader sees, with the model's own VM and frame names.
func counterexample(_ system: TransitionSystem, length: Int, property: Property, reduction: SymmetryReduction?,
                    isOnPath: (Int, PackedState) -> Bool) -> Counterexample {
    var steps: [Counterexample.Step] = []
    var actions: [Action] = []
    var states = [system.initialState()]
    for step in stride(from: 1, through: length, by: 1) {
        let before = states[states.count - 1]
        var taken: (Action, PackedState)?
        system.forEachSuccessor(of: before) { candidate, next, violation in
            // A step on the way may break another property: properties label
            // transitions, the trace goes on through them.
            if violation?.property != property && isOnPath(step, reduction?.representative(next) ?? next) { taken = (candidate, next) }
            return taken == nil
        }
        guard let (action, next) = taken else { preconditionFailure("no transition leads towards the violation") }
        actions.append(action)
        steps.append(.init(actor: system.actorName(action), action: system.describe(action, in: before),
                           name: system.name(of: action, in: before), parameters: system.parameters(of: action, in: before),
                           changes: system.changes(from: before, to: next)))
        states.append(next)
    }
    let last = states[states.count - 1]
    var breaking: (Action, PackedState, Violation)?
    system.forEachSuccessor(of: last) { candidate, next, violation in
        if let violation, violation.property == property {
            breaking = (candidate, next, violation)
            return false
        }
        return true
    }
    guard let (action, violatingState, violation) = breaking else {
        preconditionFailure("the last state on the path has no transition that breaks \(property.rawValue)")
    }
    actions.append(action)
    steps.append(.init(actor: system.actorName(action), action: system.describe(action, in: last),
                       name: system.name(of: action, in: last), parameters: system.parameters(of: action, in: last),
                       changes: ["VIOLATES \(violation.property.rawValue)"]))
    let initial = system.components(of: states[0])
        .filter { !["free", "clean", "empty", "none", "{}", "idle"].contains($0.value.description) }
        .map { "\($0.name) = \($0.value)" }
    return Counterexample(property: property, steps: steps, explanation: system.explain(violation),
                          initialState: initial, states: (states + [violatingState]).map { system.components(of: $0) },
                          actions: actions, violation: violation)
}
