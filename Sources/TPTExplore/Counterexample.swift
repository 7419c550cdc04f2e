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

/// Rebuilds the path to `row` from parent links, then recovers each step's action
/// by regenerating the parent's successors (actions are not stored per state).
func reconstruct(_ system: TransitionSystem, _ store: StateStore, row: Int, action: Action, violation: Violation,
                 violatingState: PackedState) -> Counterexample {
    var path: [Int] = [row]
    while let parent = store.parent(of: path[path.count - 1]) {
        path.append(parent)
    }
    path.reverse()

    var steps: [Counterexample.Step] = []
    var actions: [Action] = []
    for (from, to) in zip(path, path.dropFirst()) {
        let before = store.state(at: from)
        let after = store.state(at: to)
        var taken: Action?
        system.forEachSuccessor(of: before) { candidate, next, violation in
            if violation == nil && next == after {
                taken = candidate
                return false
            }
            return true
        }
        guard let taken else {
            preconditionFailure("no transition leads from a stored state to its stored child")
        }
        actions.append(taken)
        steps.append(.init(actor: system.actorName(taken), action: system.describe(taken, in: before),
                           name: system.name(of: taken, in: before), parameters: system.parameters(of: taken, in: before),
                           changes: system.changes(from: before, to: after)))
    }
    let last = store.state(at: row)
    actions.append(action)
    steps.append(.init(actor: system.actorName(action), action: system.describe(action, in: last),
                       name: system.name(of: action, in: last), parameters: system.parameters(of: action, in: last),
                       changes: ["VIOLATES \(violation.property.rawValue)"]))
    let initial = system.components(of: store.state(at: 0))
        .filter { !["free", "clean", "empty", "none", "{}", "idle"].contains($0.value.description) }
        .map { "\($0.name) = \($0.value)" }
    let states = path.map { system.components(of: store.state(at: $0)) } + [system.components(of: violatingState)]
    return Counterexample(property: violation.property, steps: steps, explanation: system.explain(violation),
                          initialState: initial, states: states, actions: actions, violation: violation)
}
