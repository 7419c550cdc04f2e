import Foundation
import TPTModel
import TPTZ3

/// One proof obligation and what checking it found.
public struct ObligationOutcome: Sendable {
    public enum Kind: Sendable, Equatable {
        /// The initial state satisfies the clause.
        case initiation(clause: String)
        /// The transition keeps the clause, from any state satisfying the whole invariant.
        case consecution(transition: String, clause: String)
        /// Under the invariant, the transition never breaks the property.
        case safety(Property, transition: String)
    }

    public var kind: Kind
    public var result: ObligationResult
    public var seconds: Double
    /// When asked for: the query that decided the result, as a standalone
    /// SMT-LIB2 script.
    public var smtlib2: String?

    public var name: String {
        switch kind {
        case .initiation(let clause): return "initiation: \(clause)"
        case .consecution(let transition, let clause): return "consecution: \(transition) keeps \(clause)"
        case .safety(let property, let transition): return "\(property.rawValue): \(transition)"
        }
    }
}

/// An inductive invariant, stated over one state in a vocabulary: its clauses, named.
public typealias Invariant = (SymbolicState, Vocabulary) throws(Z3Error) -> [(name: String, formula: Z3Term)]

/// Checks that `invariant` proves the model's safety properties: each clause
/// holds initially (the model's literals are distinct), every host and guest
/// transition keeps each clause from any state satisfying the whole invariant,
/// and under the invariant no guest transition breaks one of the properties
/// (the model's safety properties, unless given). Given `equivalent_to_nested`,
/// the transitions are the product with nested paging (`equivalenceSystem`) and
/// the invariant is a simulation relation. Each obligation is checked bounded
/// first, then unbounded (`checkObligation`).
///
/// - Parameter scripts: keep each deciding query as SMT-LIB2 (`smtlib2`).
public func prove(_ model: Model, invariant: @escaping Invariant, properties: [Property]? = nil,
                  timeoutMilliseconds: UInt32 = 60_000, scripts: Bool = false) throws(Z3Error) -> [ObligationOutcome] {
    let properties = properties ?? model.properties.filter(\.isSafety)
    let equivalence = properties.contains(.equivalence)
    // The equivalence product runs every rule as one step: no rule is in progress there.
    if !equivalence, let gap = proofCoverageGaps(model).first { throw Z3Error(message: gap.description) }
    let z3 = Z3Context()
    let c = model.configuration
    var outcomes: [ObligationOutcome] = []
    func whole(_ state: SymbolicState, _ v: Vocabulary) throws(Z3Error) -> Z3Term {
        try z3.and(try invariant(state, v).map(\.formula) + state.wellFormed(v))
    }
    /// A counterexample: the state before, the transition and its parameters,
    /// and what changed.
    func explanation(_ assignment: Z3Model, _ v: Vocabulary, pre: SymbolicState, transition: SymbolicTransition?,
                     post: SymbolicState?) throws(Z3Error) -> [String] {
        let before = try pre.read(assignment, of: model, in: v, equivalence: equivalence)
        var lines = [post == nil ? "state:" : "before:"] + before.map { "  " + $0 }
        if let transition {
            var parameters: [String] = []
            let names = try ElementNames(v) { term throws(Z3Error) in try assignment.evaluate(term) }
            for (name, term) in transition.parameters { parameters.append("\(name) = \(names.name(try assignment.evaluate(term)))") }
            lines.append("transition: \(transition.name)" + (parameters.isEmpty ? "" : " (\(parameters.joined(separator: ", ")))"))
        }
        guard let post else { return lines }
        let after = try post.read(assignment, of: model, in: v, equivalence: equivalence)
        lines.append("after, changed:")
        lines += SymbolicState.changes(from: before, to: after).map { "  " + $0 }
        return lines
    }
    func check(_ kind: ObligationOutcome.Kind, _ build: (Vocabulary) throws(Z3Error) -> ObligationQuery) throws(Z3Error) {
        let start = Date()
        var deciding: String?
        let result = try checkObligation(c, in: z3, timeoutMilliseconds: timeoutMilliseconds,
                                         script: scripts ? { deciding = $0 } : nil, build)
        outcomes.append(ObligationOutcome(kind: kind, result: result, seconds: Date().timeIntervalSince(start), smtlib2: deciding))
    }
    let names = try Vocabulary(z3, configuration: c)
    let namingState = try SymbolicState.fresh(names, name: "pre", scheme: model.scheme)
    let clauseNames = try invariant(namingState, names).map(\.name)
    for (clause, clauseName) in clauseNames.enumerated() {
        try check(.initiation(clause: clauseName)) { v throws(Z3Error) in
            let initial = try SymbolicState.initial(v, model: model)
            return ObligationQuery(formula: try invariant(initial, v)[clause].formula, assumptions: [try v.distinctLiterals()]) { m throws(Z3Error) in
                try explanation(m, v, pre: initial, transition: nil, post: nil)
            }
        }
    }
    // The system the properties are about: host and guest transitions alike,
    // or their product with nested paging for translation equivalence. The
    // invariant must survive each transition.
    func system(_ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> SymbolicSystem {
        equivalence ? try equivalenceSystem(model, v, from: pre) : try safetySystem(model, v, from: pre)
    }
    // One obligation per transition and clause: Z3 refutes one negated clause
    // far more reliably than the negation of the whole conjunction (measured on
    // the shadow proof), and a failure names the clause that is not inductive.
    let named = try system(names, from: namingState)
    for (index, transition) in named.transitions.enumerated() {
        for (clause, clauseName) in clauseNames.enumerated() {
            try check(.consecution(transition: transition.name, clause: clauseName)) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let transition = try system(v, from: pre).transitions[index]
                return ObligationQuery(formula: try invariant(transition.post, v)[clause].formula,
                                       assumptions: [try whole(pre, v), transition.enabled]) { m throws(Z3Error) in
                    try explanation(m, v, pre: pre, transition: transition, post: transition.post)
                }
            }
        }
    }
    for (index, transition) in named.transitions.enumerated() {
        for (which, violation) in named.violations[index].enumerated() where properties.contains(violation.property) {
            try check(.safety(violation.property, transition: transition.name)) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let system = try system(v, from: pre)
                return ObligationQuery(formula: try v.z3.not(system.violations[index][which].condition),
                                       assumptions: [try whole(pre, v), system.transitions[index].enabled]) { m throws(Z3Error) in
                    try explanation(m, v, pre: pre, transition: system.transitions[index], post: nil)
                        + ["breaks \(violation.property.rawValue)"]
                }
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
