import TPTModel

/// A shortest path from the initial state to a transition that breaks a property,
/// in the form a reader follows step by step.
public struct Counterexample: Sendable {
    public struct Step: Sendable {
        /// `host`, or the acting VM (and vCPU).
        public var actor: String
        public var action: String
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
    /// The raw actions and violation, for replaying the trace against the model.
    public var actions: [Action]
    public var violation: Violation
}

/// Rebuilds the path to `row` from parent links, then recovers each step's action
/// by regenerating the parent's successors (actions are not stored per state).
func reconstruct(_ system: TransitionSystem, _ store: StateStore, row: Int, action: Action, violation: Violation) -> Counterexample {
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
                           changes: system.changes(from: before, to: after)))
    }
    let last = store.state(at: row)
    actions.append(action)
    steps.append(.init(actor: system.actorName(action), action: system.describe(action, in: last),
                       changes: ["VIOLATES \(violation.property.rawValue)"]))
    let initial = system.components(of: store.state(at: 0))
        .filter { !["free", "clean", "empty", "none", "{}", "idle"].contains($0.value) }
        .map { "\($0.name) = \($0.value)" }
    return Counterexample(property: violation.property, steps: steps, explanation: system.explain(violation),
                          initialState: initial, actions: actions, violation: violation)
}
