import Foundation
import TPTModel
import TPTZ3

/// What bounded model checking found for one safety property.
public enum BoundedVerdict: Sendable, Equatable {
    /// A shortest counterexample, one entry per step; the last step is the
    /// access that breaks the property.
    case violated(steps: [BoundedStep])
    /// No trace of up to `depth` steps breaks the property. Not a proof: a
    /// longer trace may.
    case noViolation(upTo: Int)
    /// The solver gave up (a timeout) on traces of `length` steps.
    case unknown(reason: String, length: Int)
}

/// One step of a bounded counterexample, in `check`'s words (the explicit
/// semantics' description of the transition it replays as).
public struct BoundedStep: Sendable, Equatable {
    /// Who acts and what, as `check`'s table shows it: `vm0 read p0 -> f0`.
    public var action: String
    /// `component: old -> new` for each part of the state the step changed.
    public var changes: [String]
}

public struct BoundedOutcome: Sendable {
    public var property: Property
    public var verdict: BoundedVerdict
    /// Time until this property's verdict.
    public var seconds: Double
}

/// Bounded model checking: unrolls the model's transition relation, at its own
/// configuration, one step at a time, and asks Z3 after each whether one more
/// step can break a property. The first length that can is the length of the
/// shortest counterexample, the same one breadth-first search finds.
///
/// The steps are the explicit checker's: the host and guest transitions of
/// the proofs (one definition of the semantics), over the configuration's
/// enumerated VMs, frames and pages, plus the two limits a proof abstracts
/// away and a shortest trace depends on: each vCPU's TLB holds `tlb` entries
/// (a fill into a full one evicts one), and at most `host_threads`
/// interleaved rules run at once.
public func boundedModelCheck(_ model: Model, depth: Int, properties: [Property]? = nil,
                              timeoutMilliseconds: UInt32 = 60_000) throws(Z3Error) -> [BoundedOutcome] {
    let c = model.configuration
    let z3 = Z3Context()
    let v = try Vocabulary(z3, configuration: c, domain: .bounded, scheduling: .hostThreads)
    let query = try BoundedSolver(z3, timeoutMilliseconds: timeoutMilliseconds)
    let solver = query.solver
    let start = Date()
    let explicit = TransitionSystem(model: model)
    var pending = (properties ?? model.properties).filter { $0.isSafety && model.properties.contains($0) }
    var outcomes: [BoundedOutcome] = []
    let initial = try SymbolicState.initial(v, model: model)
    var states = [initial]
    /// Each state's cells, in `CellState.cells` order.
    var visited: [[Z3Term]] = []
    let selectorSort = try z3.bitVectorSort(bits: 16)

    func conclude(_ property: Property, _ verdict: BoundedVerdict) {
        outcomes.append(BoundedOutcome(property: property, verdict: verdict, seconds: Date().timeIntervalSince(start)))
        pending.removeAll { $0 == property }
    }
    for length in 1...max(1, depth) {
        let pre = states[length - 1]
        let guest = try guestTransitions(model, v, from: pre, naming: "s\(length).")
        // Can step `length` break a property still open?
        for property in pending {
            let selector = try z3.constant("s\(length).violation.\(property.rawValue)", selectorSort)
            guard let condition = try violationQuery(guest, property, selector: selector, in: z3) else { continue }
            let violates = try query.encode(condition)
            try solver.push()
            try solver.assert(violates)
            switch try solver.check() {
            case .satisfiable:
                let m = try solver.model()
                func evaluate(_ term: Z3Term) throws(Z3Error) -> Z3Term { try query.value(of: term, in: m) }
                // Returned only once it replays on the explicit semantics, and
                // then in `check`'s words: the replayed transitions, described
                // by the one printer of transitions and states.
                var packed: [PackedState] = []
                for state in states {
                    guard let decoded = try state.decode(into: explicit, in: v, evaluate: evaluate) else {
                        throw Z3Error(message: "internal error: step \(packed.count) of the bounded counterexample for "
                                      + "\(property.rawValue) is no state of the model (please report this as a bug)")
                    }
                    packed.append(decoded)
                }
                let actions: [Action]
                switch explicit.replay(packed, breaking: property) {
                case .success(let replayed): actions = replayed
                case .failure(let failure):
                    throw Z3Error(message: "internal error: the bounded counterexample for \(property.rawValue) does not replay "
                                  + "on the explicit semantics: \(failure) (please report this as a bug)")
                }
                var steps: [BoundedStep] = []
                for (index, action) in actions.enumerated() {
                    let before = packed[index]
                    let described = explicit.actorName(action) + " " + explicit.describe(action, in: before)
                    steps.append(index + 1 < packed.count
                                 ? BoundedStep(action: described, changes: explicit.changes(from: before, to: packed[index + 1]))
                                 : BoundedStep(action: described + " breaks \(property.rawValue)", changes: []))
                }
                try solver.pop()
                conclude(property, .violated(steps: steps))
            case .unknown(let reason):
                try solver.pop()
                conclude(property, .unknown(reason: reason, length: length))
            case .unsatisfiable:
                try solver.pop()
            }
        }
        if pending.isEmpty || length == depth { break }
        // Step `length`: exactly one transition, with the model's limits.
        let step = try UnrolledStep(model, v, from: pre, guest: guest, name: "s\(length)", shape: initial)
        for formula in step.relation { try query.assert(formula) }
        let post = step.post
        // A shortest trace never visits a state twice, so none may: this
        // prunes the search without changing the shortest length.
        let cells = post.cells.map(\.constant)
        if visited.isEmpty {
            visited.append(try post.values(in: initial, z3))
        }
        for earlier in visited {
            try query.assert(z3.or(zip(cells, earlier).map { pair throws(Z3Error) in try z3.not(z3.equal(pair.0, pair.1)) }))
        }
        visited.append(cells)
        states.append(post.state)
    }
    for property in pending { conclude(property, .noViolation(upTo: max(1, depth))) }
    let order = (properties ?? model.properties)
    return outcomes.sorted { order.firstIndex(of: $0.property) ?? 0 < order.firstIndex(of: $1.property) ?? 0 }
}

/// The transition under the configuration's TLB size: a fill into a full TLB
/// evicts one entry (any, as in the explicit checker). (The host-thread limit
/// is the bounded vocabulary's: a rule starts only on an idle thread slot.)
func limit(_ transition: SymbolicTransition, _ model: Model, _ v: Vocabulary, from pre: SymbolicState,
                   naming prefix: String) throws(Z3Error) -> SymbolicTransition {
    let z3 = v.z3, c = model.configuration
    var limited = transition
    if let (vm, vcpu, page) = transition.fills, let pages = try v.everyPage() {
        let present = v.frameEntry.constructors[1], empty = try v.frameEntry.constructors[0].make()
        let row = try z3.select(z3.select(pre.tlb, vm), vcpu)
        let full = try atLeast(c.tlb, pages.map { p throws(Z3Error) in try present.test(z3.select(row, p)) }, in: z3)
        let victim = try z3.constant(prefix + "evict", v.page)
        let evicted = try z3.ite(full, z3.store(row, victim, empty), row)
        let filled = try readTLB(transition.post.tlb, vm, vcpu, page, in: v)
        let vcpus = try z3.select(transition.post.tlb, vm)
        limited.post.tlb = try z3.store(transition.post.tlb, vm, z3.store(vcpus, vcpu, z3.store(evicted, page, filled)))
        limited.enabled = try z3.and([transition.enabled, z3.implies(full, present.test(z3.select(row, victim)))])
        // The trace shows an eviction among the step's changes to the TLB.
    }
    return limited
}

/// Whether at least `count` of the conditions hold (a unary counter).
private func atLeast(_ count: Int, _ conditions: [Z3Term], in z3: Z3Context) throws(Z3Error) -> Z3Term {
    var atLeast = [try z3.bool(true)] + Array(repeating: try z3.bool(false), count: count)
    for condition in conditions {
        for j in stride(from: count, through: 1, by: -1) {
            atLeast[j] = try z3.or([atLeast[j], z3.and([atLeast[j - 1], condition])])
        }
    }
    return atLeast[count]
}

