import TPTModel
import TPTZ3

/// The successors of a concrete state under the bounded semantics, found by
/// enumerating the step relation's models: the symbolic side's
/// `forEachSuccessor`, for comparing the two backends transition by
/// transition. Returns the successors other than the state itself, as packed
/// states of `system` (the safety view), and the properties some transition
/// from the state breaks.
public func boundedSuccessors(of state: PackedState, in system: TransitionSystem, limit: Int = 10_000,
                              timeoutMilliseconds: UInt32 = 30_000) throws(Z3Error) -> (states: Set<PackedState>, broken: [Property]) {
    let model = system.model
    let z3 = Z3Context()
    let v = try Vocabulary(z3, configuration: model.configuration, domain: .bounded, scheduling: .hostThreads)
    let query = try BoundedSolver(z3, timeoutMilliseconds: timeoutMilliseconds)
    let pre = try SymbolicState.encode(state, of: system, in: v)
    let guest = try guestTransitions(model, v, from: pre, naming: "d.")
    var broken: [Property] = []
    for property in model.properties where property.isSafety {
        let selector = try z3.constant("d.violation.\(property.rawValue)", z3.bitVectorSort(bits: 16))
        guard let violates = try violationQuery(guest, property, selector: selector, in: z3) else { continue }
        let encoded = try query.encode(violates)
        try query.solver.push()
        try query.solver.assert(encoded)
        let answer = try query.solver.check()
        try query.solver.pop()
        if answer == .satisfiable { broken.append(property) }
        if case .unknown(let reason) = answer { throw Z3Error(message: "solver gave up: \(reason)") }
    }
    let step = try UnrolledStep(model, v, from: pre, guest: guest, name: "d", shape: pre)
    for formula in step.relation { try query.assert(formula) }
    var states: Set<PackedState> = []
    while states.count <= limit {
        let answer = try query.solver.check()
        if answer == .unsatisfiable { break }
        if case .unknown(let reason) = answer { throw Z3Error(message: "solver gave up: \(reason)") }
        let m = try query.solver.model()
        func evaluate(_ term: Z3Term) throws(Z3Error) -> Z3Term { try query.value(of: term, in: m) }
        guard let next = try step.post.state.decode(into: system, in: v, evaluate: evaluate) else {
            throw Z3Error(message: "a bounded successor is no state of the model")
        }
        if next != state { states.insert(next) }
        // Block this successor's cell values (its other transitions give the same state).
        var differs: [Z3Term] = []
        for cell in step.post.cells { differs.append(try z3.not(z3.equal(cell.constant, evaluate(cell.constant)))) }
        try query.assert(z3.or(differs))
    }
    return (states, broken)
}
