import Foundation
import TPTModel

/// Limits on one exploration.
public struct ExploreOptions: Sendable {
    /// Stop, inconclusive, once the search finds more distinct states than this.
    public var maxStates: Int?
    /// Stop, inconclusive, after about this many seconds.
    public var maxSeconds: Double?
    /// Store one state per class of states that differ only in the names of
    /// interchangeable VMs and frames (`SymmetryReduction`).
    public var symmetry: Bool

    public init(maxStates: Int? = nil, maxSeconds: Double? = nil, symmetry: Bool = true) {
        self.maxStates = maxStates
        self.maxSeconds = maxSeconds
        self.symmetry = symmetry
    }
}

/// What an exploration found. `incomplete` is never a success: some reachable
/// states were not visited.
public enum Verdict: Sendable {
    case holds
    /// One shortest counterexample for each property that some shortest trace
    /// breaks (several when properties break at the same depth), in the order the
    /// model checks them.
    case violated([Counterexample])
    case incomplete(reason: String)

    /// The properties a shortest counterexample breaks (empty unless violated).
    public var violatedProperties: [Property] {
        if case .violated(let counterexamples) = self { return counterexamples.map(\.property) }
        return []
    }
}

/// The result of exploring one model, with the figures a user compares runs by.
public struct ExploreResult: Sendable {
    public var verdict: Verdict
    /// Distinct states stored.
    public var states: Int
    /// Transitions generated (successors evaluated, including ones to known states).
    public var transitions: Int
    /// For a violation, the length of the shortest counterexample; otherwise the
    /// breadth-first depth reached (the longest shortest path to a visited state).
    public var depth: Int
    public var seconds: Double
    /// Bytes held by the state store at the end.
    public var storeBytes: Int
}

/// Exhaustive breadth-first search of a model's reachable states.
///
/// Properties are checked on every transition. States are expanded level by
/// level, so the first violating transition ends a shortest counterexample; the
/// search then finishes that level (storing nothing new) to find every property
/// that breaks at the same depth.
public func explore(_ system: TransitionSystem, options: ExploreOptions = ExploreOptions()) -> ExploreResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let store = StateStore(words: system.layout.words)
    let limit = min(options.maxStates ?? StateStore.maxStates - 1, StateStore.maxStates - 1)
    let symmetry = options.symmetry ? SymmetryReduction(system) : nil
    let reduction = symmetry?.isTrivial == false ? symmetry : nil
    _ = store.insert(reduction?.representative(system.initialState()) ?? system.initialState(), parent: nil)

    var head = 0
    var depth = 0
    var levelEnd = 1
    var transitions = 0
    var found: [(row: Int, violation: Violation)] = []
    var limitReached: String?
    // One state's successors, inserted together so their cache misses overlap.
    var successors: [PackedState] = []
    successors.reserveCapacity(1024)
    let deadline = options.maxSeconds.map { start + UInt64($0 * 1e9) }

    while head < store.count {
        if head == levelEnd {
            if !found.isEmpty { break }
            depth += 1
            levelEnd = store.count
        }
        let row = head
        successors.removeAll(keepingCapacity: true)
        system.forEachSuccessor(of: store.state(at: row)) { _, next, violation in
            transitions += 1
            if let violation {
                if !found.contains(where: { $0.violation.property == violation.property }) {
                    found.append((row, violation))
                }
            } else if found.isEmpty {
                successors.append(reduction?.representative(next) ?? next)
            }
            return true
        }
        successors.withUnsafeBufferPointer { batch in
            if let base = batch.baseAddress { store.prefetch(base, count: batch.count) }
            for next in batch where store.insert(next, parent: row) && store.count > limit {
                limitReached = "more than \(limit) states"
                break
            }
        }
        head += 1
        if let deadline, head & 0xFFFF == 0, found.isEmpty, DispatchTime.now().uptimeNanoseconds > deadline {
            limitReached = "time limit of \(options.maxSeconds!) seconds reached"
        }
        if limitReached != nil { break }
    }

    let verdict: Verdict
    if !found.isEmpty {
        let ordered = system.properties.compactMap { property in found.first { $0.violation.property == property } }
        verdict = .violated(ordered.map {
            reconstruct(system, store, row: $0.row, property: $0.violation.property, reduction: reduction)
        })
    } else if let limitReached {
        verdict = .incomplete(reason: limitReached)
    } else {
        verdict = .holds
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return ExploreResult(verdict: verdict, states: store.count, transitions: transitions,
                         depth: found.isEmpty ? depth : depth + 1, seconds: seconds, storeBytes: store.bytesAllocated)
}
