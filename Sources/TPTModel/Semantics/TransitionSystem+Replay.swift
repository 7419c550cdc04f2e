/// Replaying a trace that another backend found, state by state, on this
/// semantics: a trace is printed only once it replays here.
extension TransitionSystem {
    /// Where a trace leaves the semantics.
    public struct ReplayFailure: Error, Sendable, CustomStringConvertible {
        /// The step that has no matching transition (1 is the first; 0 the
        /// initial state, which differs from the model's).
        public var step: Int
        public var description: String
    }

    /// Checks that `states` start at the initial state, that each next one is
    /// a successor of the one before, and that from the last a transition
    /// breaks `property`. Returns the actions taken, the last one breaking it.
    public func replay(_ states: [PackedState], breaking property: Property) -> Result<[Action], ReplayFailure> {
        guard let first = states.first, first == initialState() else {
            return .failure(ReplayFailure(step: 0, description: "the trace does not start at the model's initial state"))
        }
        var actions: [Action] = []
        for (index, state) in states.enumerated() {
            let isLast = index == states.count - 1
            var taken: Action?
            forEachSuccessor(of: state) { action, next, violation in
                if isLast ? violation?.property == property : next == states[index + 1] { taken = action }
                return taken == nil
            }
            guard let taken else {
                let what = isLast ? "no transition breaks \(property.rawValue)" : "no transition leads to the trace's next state"
                return .failure(ReplayFailure(step: index + 1, description: "step \(index + 1): \(what)"))
            }
            actions.append(taken)
        }
        return .success(actions)
    }
}
