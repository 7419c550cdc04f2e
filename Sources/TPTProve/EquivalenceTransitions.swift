import TPTModel
import TPTZ3

/// A transition system over symbolic states, and per transition what it may
/// break: the one a proof's obligations are stated over.
public struct SymbolicSystem {
    public var transitions: [SymbolicTransition]
    /// Per transition (same order).
    public var violations: [[SymbolicViolation]]
}

/// The safety view: the host's rules, step by step, and the guest's moves.
public func safetySystem(_ model: Model, _ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> SymbolicSystem {
    let host = try hostTransitions(model, v, from: pre)
    let guest = try guestTransitions(model, v, from: pre)
    return SymbolicSystem(transitions: host + guest.transitions, violations: host.map { _ in [] } + guest.violations)
}

/// Translation equivalence to nested paging, as one symbolic transition system:
/// the product the explicit checker explores, for any number of VMs, frames
/// and pages. The guest's moves and nested paging's host are the one
/// definition in `EquivalenceMoves.swift`; every host rule runs as one
/// transition (the windows inside a rule are the safety proofs' business).
///
/// The TLBs have no capacity: an eviction drops one entry, from either TLB on
/// its own, at any time, which covers every way the explicit checker's
/// bounded TLBs evict.
public func equivalenceSystem(_ model: Model, _ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> SymbolicSystem {
    var system = SymbolicSystem(transitions: [], violations: [])

    // The host: each rule at once; then nested paging's flush (`flushReferenceTLBs`).
    for (rule, var transition) in zip(model.rules, try hostTransitions(model, v, from: pre, everyRuleAtomic: true)) {
        let bindings = transition.parameters.map(\.term)
        let before = try SymbolicAlgebra(v, model: model, state: pre, bindings: bindings)
        var after = try SymbolicAlgebra(v, model: model, state: transition.post, bindings: bindings)
        after.flushReferenceTLBs(afterSteps: rule.steps.count, { rule.steps[$0] }, from: before)
        if let error = after.error ?? before.error { throw error }
        transition.post = after.state
        system.transitions.append(transition)
        system.violations.append([])
    }

    // The guest's moves: the one definition (`forEachEquivalenceMove`).
    let algebra = try SymbolicAlgebra(v, model: model, state: pre)
    var sink = TransitionsOfMoves(algebra)
    _ = algebra.forEachEquivalenceMove(&sink)
    if let error = algebra.error { throw error }
    system.transitions += sink.transitions
    system.violations += sink.violations
    return system
}
