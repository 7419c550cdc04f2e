import TPTExplore
import TPTModel
import TPTProve
import TPTZ3

/// What comparing the backends on one model found.
public enum DifferentialOutcome: Sendable {
    /// Every comparison agreed. `lengths` per checked property: its shortest
    /// counterexample's length, or nil where it holds.
    case agreed(lengths: [Property: Int?])
    /// Not compared: the model was rejected, too big, or the solver gave up.
    case skipped(reason: String)
    /// The backends disagree: a bug in one of them (or in the semantics they share).
    case disagreed(String)
}

/// Limits of one comparison.
public struct DifferentialLimits: Sendable {
    /// The explicit search stops here, and the model is skipped.
    public var maxStates = 200_000
    /// Bounded model checking goes at most this deep; a property `check`
    /// breaks deeper is compared as "no violation up to" this depth.
    public var maxDepth = 6
    /// Reachable states whose every transition is compared between the
    /// backends (the initial state, then spread over the breadth-first order).
    public var sampledStates = 3
    public var solverMilliseconds: UInt32 = 30_000

    public init() {}
}

/// Runs one model through every backend that decides its safety properties
/// and compares what they say: the explicit search with and without symmetry
/// reduction, and bounded model checking (whose counterexamples replay on
/// the explicit semantics before they are returned, `boundedModelCheck`).
/// For each property the shortest counterexample's length must be the same
/// everywhere, and a property that holds must have none within the bound.
public func compareBackends(_ text: String, file: String, limits: DifferentialLimits = DifferentialLimits()) -> DifferentialOutcome {
    var model: Model
    do {
        model = try parseModel(text, file: file)
    } catch {
        return .skipped(reason: "rejected: \(error)")
    }
    // Translation equivalence is check's alone.
    model.properties.removeAll { !$0.isSafety }
    guard !model.properties.isEmpty else { return .skipped(reason: "no safety property") }

    func lengths(_ symmetry: Bool) -> [Property: Int?]? {
        let result = checkModel(model, options: ExploreOptions(maxStates: limits.maxStates, symmetry: symmetry))
        if case .incomplete = result.verdict { return nil }
        if result.undecided != nil { return nil }
        var lengths: [Property: Int?] = [:]
        for property in model.properties {
            lengths[property] = .some(result.verdict.counterexamples.first { $0.property == property }.map(\.steps.count))
        }
        return lengths
    }
    guard let reduced = lengths(true) else { return .skipped(reason: "more than \(limits.maxStates) states") }
    guard let full = lengths(false) else { return .skipped(reason: "more than \(limits.maxStates) states without symmetry") }
    func summary(_ lengths: [Property: Int?]) -> String {
        model.properties.map { "\($0.rawValue) \(lengths[$0]!.map { "in \($0) steps" } ?? "holds")" }.joined(separator: ", ")
    }
    if reduced != full {
        return .disagreed("check with symmetry reduction: \(summary(reduced)); without: \(summary(full))")
    }

    if let disagreement = compareTransitions(model, limits: limits) { return .disagreed(disagreement) }

    let deepest = model.properties.compactMap { full[$0]! }.max() ?? 0
    let holdsSome = model.properties.contains { full[$0]! == nil }
    let depth = max(1, holdsSome ? limits.maxDepth : min(deepest, limits.maxDepth))
    let bounded: [BoundedOutcome]
    do {
        bounded = try boundedModelCheck(model, depth: depth, timeoutMilliseconds: limits.solverMilliseconds)
    } catch {
        return .disagreed("prove --bmc \(depth) failed: \(error.message)")
    }
    for outcome in bounded {
        let explicit = full[outcome.property]!
        switch outcome.verdict {
        case .unknown(let reason, _):
            return .skipped(reason: "solver: \(reason)")
        case .violated(let steps):
            if explicit != steps.count {
                return .disagreed("\(outcome.property.rawValue): prove --bmc \(depth) breaks it in \(steps.count) steps, check "
                                  + (explicit.map { "in \($0)" } ?? "finds it holds"))
            }
        case .noViolation(let upTo):
            if let explicit, explicit <= upTo {
                return .disagreed("\(outcome.property.rawValue): check breaks it in \(explicit) steps, prove --bmc finds no violation up to \(upTo)")
            }
        }
    }
    return .agreed(lengths: full)
}

/// Compares the backends transition by transition on sampled reachable
/// states: the explicit successors and the bounded step relation's
/// (`boundedSuccessors`) must be the same states, and the same properties must
/// break on some transition out of the state. Covers every guest move, vCPU,
/// rule and primitive the model has. Returns the first difference.
func compareTransitions(_ model: Model, limits: DifferentialLimits) -> String? {
    let system = TransitionSystem(model: model)
    for state in sampleStates(system, count: limits.sampledStates) {
        var explicit: Set<PackedState> = []
        var broken: [Property] = []
        system.forEachSuccessor(of: state) { _, next, violation in
            if next != state { explicit.insert(next) }
            if let violation, !broken.contains(violation.property) { broken.append(violation.property) }
            return true
        }
        let bounded: (states: Set<PackedState>, broken: [Property])
        do {
            bounded = try boundedSuccessors(of: state, in: system, timeoutMilliseconds: limits.solverMilliseconds)
        } catch {
            return "the bounded successors of a reachable state failed: \(error.message)"
        }
        let before = system.components(of: state).map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
        if let missing = explicit.subtracting(bounded.states).first {
            return "from [\(before)] check has a successor --bmc lacks: \(system.changes(from: state, to: missing).joined(separator: "; "))"
        }
        if let extra = bounded.states.subtracting(explicit).first {
            return "from [\(before)] --bmc has a successor check lacks: \(system.changes(from: state, to: extra).joined(separator: "; "))"
        }
        if Set(broken) != Set(bounded.broken) {
            return "from [\(before)] check breaks \(broken.map(\.rawValue)) on some transition, --bmc \(bounded.broken.map(\.rawValue))"
        }
    }
    return nil
}

/// Reachable states of the model as written: the initial state, then states
/// spread over the first few thousand in breadth-first order.
func sampleStates(_ system: TransitionSystem, count: Int) -> [PackedState] {
    var seen: Set<PackedState> = [system.initialState()]
    var queue = [system.initialState()], head = 0
    while head < queue.count && queue.count < 2_000 {
        system.forEachSuccessor(of: queue[head]) { _, next, _ in
            if seen.insert(next).inserted { queue.append(next) }
            return true
        }
        head += 1
    }
    guard count > 1 else { return [queue[0]] }
    let stride = max(1, (queue.count - 1) / (count - 1))
    return Swift.stride(from: 0, to: queue.count, by: stride).prefix(count).map { queue[$0] }
}
