import Foundation
import TPTModel
import TPTZ3

/// One proof obligation and what checking it found.
public struct ObligationOutcome: Sendable {
    public enum Kind: Sendable, Equatable {
        /// The initial state satisfies the invariant.
        case initiation
        /// The transition keeps the invariant.
        case consecution(transition: String)
        /// Under the invariant, the transition never breaks the property.
        case safety(Property, transition: String)
    }

    public var kind: Kind
    public var result: ObligationResult
    public var seconds: Double

    public var name: String {
        switch kind {
        case .initiation: return "initiation"
        case .consecution(let transition): return "consecution: \(transition)"
        case .safety(let property, let transition): return "\(property.rawValue): \(transition)"
        }
    }
}

/// An inductive invariant, stated over one state in a vocabulary.
public typealias Invariant = (SymbolicState, Vocabulary) throws(Z3Error) -> Z3Term

/// Checks that `invariant` proves the model's safety properties: it holds
/// initially (the model's literals are distinct), every host and guest
/// transition keeps it, and under it no guest transition breaks one of the
/// properties (the model's safety properties, unless given). Each obligation is checked bounded first, then unbounded
/// (`checkObligation`).
public func prove(_ model: Model, invariant: Invariant, properties: [Property]? = nil,
                  timeoutMilliseconds: UInt32 = 60_000) throws(Z3Error) -> [ObligationOutcome] {
    let properties = properties ?? model.properties
    let z3 = Z3Context()
    let c = model.configuration
    var outcomes: [ObligationOutcome] = []
    func check(_ kind: ObligationOutcome.Kind,
               _ build: (Vocabulary) throws(Z3Error) -> (formula: Z3Term, assumptions: [Z3Term])) throws(Z3Error) {
        let start = Date()
        let result = try checkObligation(c, in: z3, timeoutMilliseconds: timeoutMilliseconds, build)
        outcomes.append(ObligationOutcome(kind: kind, result: result, seconds: Date().timeIntervalSince(start)))
    }
    try check(.initiation) { v throws(Z3Error) in
        (try invariant(SymbolicState.initial(v, model: model), v), [try v.distinctLiterals()])
    }
    let names = try Vocabulary(z3, configuration: c)
    let namingState = try SymbolicState.fresh(names, name: "pre", scheme: model.scheme)
    for (index, transition) in try hostTransitions(model, names, from: namingState).enumerated() {
        try check(.consecution(transition: transition.name)) { v throws(Z3Error) in
            let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
            let transition = try hostTransitions(model, v, from: pre)[index]
            return (try invariant(transition.post, v), [try invariant(pre, v), transition.enabled])
        }
    }
    let guest = try guestTransitions(model, names, from: namingState)
    for (index, transition) in guest.transitions.enumerated() {
        try check(.consecution(transition: transition.name)) { v throws(Z3Error) in
            let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
            let transition = try guestTransitions(model, v, from: pre).transitions[index]
            return (try invariant(transition.post, v), [try invariant(pre, v), transition.enabled])
        }
        for (which, violation) in guest.violations[index].enumerated() where properties.contains(violation.property) {
            try check(.safety(violation.property, transition: transition.name)) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let guest = try guestTransitions(model, v, from: pre)
                return (try v.z3.not(guest.violations[index][which].condition), [try invariant(pre, v), guest.transitions[index].enabled])
            }
        }
    }
    return outcomes
}

extension SymbolicState {
    /// Whether the rule is in progress on the key frame with its next step among
    /// `steps` (indices from 0; every step when nil).
    public func progress(of frame: Z3Term, rule: Int, nextStep steps: [Int]? = nil, in v: Vocabulary) throws(Z3Error) -> Z3Term {
        let z3 = v.z3
        let code = try z3.select(progress, frame)
        guard let steps else {
            return try z3.equal(z3.bvAnd(code, z3.numeral(0xF0, v.progress)), z3.numeral(UInt64(rule + 1) * 16, v.progress))
        }
        var cases: [Z3Term] = []
        for step in steps { cases.append(try z3.equal(code, z3.numeral(SymbolicState.progressCode(rule: rule, nextStep: step), v.progress))) }
        return try z3.or(cases)
    }

    /// The value of a rule's parameter for the rule in progress on the key frame.
    public func argument(_ model: Model, rule: Int, parameter name: String, of frame: Z3Term, in v: Vocabulary) throws(Z3Error) -> Z3Term {
        let parameters = model.rules[rule].parameters
        guard let slot = parameters.firstIndex(where: { $0.name == name }) else {
            throw Z3Error(message: "rule '\(model.rules[rule].name)' has no parameter '\(name)'")
        }
        return try v.z3.select(arguments[SymbolicState.argumentIndex(slot, parameters[slot].type)], frame)
    }
}
