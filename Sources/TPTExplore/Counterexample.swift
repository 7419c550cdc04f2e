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

/// Rebuilds the path to `row` from parent links, then replays it on the model
/// from its initial state: each step is the first transition of the current
/// state that leads to the next stored state (up to renaming, under symmetry
/// reduction, whose stored states are representatives), and the last is the
/// current state's first transition that breaks the property. So the trace is
/// one of the model as written, with its own VM and frame names, and the
/// actions it shows are recovered, not stored per state.
func reconstruct(_ system: TransitionSystem, _ store: StateStore, row: Int, property: Property,
                 reduction: SymmetryReduction?) -> Counterexample {
    var path: [Int] = [row]
    while let parent = store.parent(of: path[path.count - 1]) {
        path.append(parent)
    }
    path.reverse()

    var steps: [Counterexample.Step] = []
    var actions: [Action] = []
    var states = [system.initialState()]
    for to in path.dropFirst() {
        let before = states[states.count - 1]
        let after = store.state(at: to)
        var taken: (Action, PackedState)?
        system.forEachSuccessor(of: before) { candidate, next, violation in
            if violation == nil && (reduction?.representative(next) ?? next) == after {
                taken = (candidate, next)
                return false
            }
            return true
        }
        guard let (action, next) = taken else {
            preconditionFailure("no transition leads from a state on the path to the next stored state")
        }
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
