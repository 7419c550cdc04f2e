import Foundation
import TPTModel

/// Limits on one exploration.
public struct ExploreOptions: Sendable {
    /// Stop, inconclusive, once this many distinct states are stored.
    public var maxStates: Int?

    public init(maxStates: Int? = nil) {
        self.maxStates = maxStates
    }
}

/// What an exploration found. `incomplete` is never a success: some reachable
/// states were not visited.
public enum Verdict: Sendable {
    case holds
    case violated(Counterexample)
    case incomplete(reason: String)
}

/// The result of exploring one model, with the figures a user compares runs by.
public struct ExploreResult: Sendable {
    public var verdict: Verdict
    /// Distinct states stored.
    public var states: Int
    /// Transitions generated (successors evaluated, including ones to known states).
    public var transitions: Int
    /// Breadth-first depth reached: the longest shortest path to any visited state.
    public var depth: Int
    public var seconds: Double
    /// Bytes held by the state store at the end.
    public var storeBytes: Int
}

/// Exhaustive breadth-first search of a model's reachable states.
///
/// Properties are checked on every transition. Because states are expanded level
/// by level, the first violating transition found ends a shortest counterexample.
public func explore(_ system: TransitionSystem, options: ExploreOptions = ExploreOptions()) -> ExploreResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let store = StateStore(words: system.layout.words)
    let limit = min(options.maxStates ?? StateStore.maxStates, StateStore.maxStates)
    _ = store.insert(system.initialState(), parent: nil)

    var head = 0
    var depth = 0
    var levelEnd = 1
    var transitions = 0
    var found: (row: Int, action: Action, violation: Violation)?
    var limitReached = false

    while head < store.count {
        if head == levelEnd {
            depth += 1
            levelEnd = store.count
        }
        let state = store.state(at: head)
        let row = head
        system.forEachSuccessor(of: state) { action, next, violation in
            transitions += 1
            if let violation {
                found = (row, action, violation)
                return false
            }
            if store.insert(next, parent: row) && store.count >= limit {
                limitReached = true
                return false
            }
            return true
        }
        head += 1
        if found != nil || limitReached { break }
    }
    let verdict: Verdict
    if let found {
        verdict = .violated(reconstruct(system, store, row: found.row, action: found.action, violation: found.violation))
    } else if limitReached {
        verdict = .incomplete(reason: "state limit of \(limit) reached")
    } else {
        verdict = .holds
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return ExploreResult(verdict: verdict, states: store.count, transitions: transitions,
                         depth: depth, seconds: seconds, storeBytes: store.bytesAllocated)
}
