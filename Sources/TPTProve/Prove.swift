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
    /// When asked for: the query that decided the result, as a standalone
    /// SMT-LIB2 script.
    public var smtlib2: String?

    public var name: String {
        switch kind {
        case .initiation: return "initiation"
        case .consecution(let transition): return "consecution: \(transition)"
        case .safety(let property, let transition): return "\(property.rawValue): \(transition)"
        }
    }
}

/// An inductive invariant, stated over one state in a vocabulary: its clauses, named.
public typealias Invariant = (SymbolicState, Vocabulary) throws(Z3Error) -> [(name: String, formula: Z3Term)]

/// Checks that `invariant` proves the model's safety properties: it holds
/// initially (the model's literals are distinct), every host and guest
/// transition keeps it, and under it no guest transition breaks one of the
/// properties (the model's safety properties, unless given). Each obligation is checked bounded first, then unbounded
/// (`checkObligation`).
///
/// - Parameter scripts: keep each deciding query as SMT-LIB2 (`smtlib2`).
public func prove(_ model: Model, invariant: @escaping Invariant, properties: [Property]? = nil,
                  timeoutMilliseconds: UInt32 = 60_000, scripts: Bool = false) throws(Z3Error) -> [ObligationOutcome] {
    let properties = properties ?? model.properties
    let z3 = Z3Context()
    let c = model.configuration
    var outcomes: [ObligationOutcome] = []
    func whole(_ state: SymbolicState, _ v: Vocabulary) throws(Z3Error) -> Z3Term {
        try z3.and(try invariant(state, v).map(\.formula))
    }
    /// A counterexample: the state before, the transition and its parameters,
    /// what changed, and the clauses the state after breaks.
    func explanation(_ assignment: Z3Model, _ v: Vocabulary, pre: SymbolicState, transition: SymbolicTransition?,
                     post: SymbolicState?) throws(Z3Error) -> [String] {
        let before = try pre.read(assignment, of: model, in: v)
        var lines = [post == nil ? "state:" : "before:"] + before.map { "  " + $0 }
        if let transition {
            var parameters: [String] = []
            for (name, term) in transition.parameters { parameters.append("\(name) = \(readable(try assignment.evaluate(term).description))") }
            lines.append("transition: \(transition.name)" + (parameters.isEmpty ? "" : " (\(parameters.joined(separator: ", ")))"))
        }
        guard let post else { return lines }
        let after = try post.read(assignment, of: model, in: v)
        lines.append("after, changed:")
        lines += SymbolicState.changes(from: before, to: after).map { "  " + $0 }
        lines.append("clauses this transition can break: "
                     + (try breakable(invariant(post, v), assuming: [whole(pre, v), transition?.enabled].compactMap { $0 })).joined(separator: ", "))
        return lines
    }
    /// The clauses some state satisfying the assumptions breaks. (Z3 does not
    /// evaluate quantified clauses in a model, so each is asked on its own, for
    /// at most a second: a clause it cannot settle is marked with a `?`.)
    func breakable(_ clauses: [(name: String, formula: Z3Term)], assuming assumptions: [Z3Term]) throws(Z3Error) -> [String] {
        var broken: [String] = []
        for clause in clauses {
            let solver = try Z3Solver(z3, timeoutMilliseconds: min(timeoutMilliseconds, 1_000))
            for assumption in assumptions { try solver.assert(assumption) }
            try solver.assert(z3.not(clause.formula))
            switch try solver.check() {
            case .satisfiable: broken.append(clause.name)
            case .unknown: broken.append(clause.name + "?")
            case .unsatisfiable: break
            }
        }
        return broken
    }
    func check(_ kind: ObligationOutcome.Kind, _ build: (Vocabulary) throws(Z3Error) -> ObligationQuery) throws(Z3Error) {
        let start = Date()
        var deciding: String?
        let result = try checkObligation(c, in: z3, timeoutMilliseconds: timeoutMilliseconds,
                                         script: scripts ? { deciding = $0 } : nil, build)
        outcomes.append(ObligationOutcome(kind: kind, result: result, seconds: Date().timeIntervalSince(start), smtlib2: deciding))
    }
    try check(.initiation) { v throws(Z3Error) in
        let initial = try SymbolicState.initial(v, model: model)
        return ObligationQuery(formula: try whole(initial, v), assumptions: [try v.distinctLiterals()]) { m throws(Z3Error) in
            try explanation(m, v, pre: initial, transition: nil, post: nil)
                + ["the initial state breaks: " + (try breakable(invariant(initial, v), assuming: [v.distinctLiterals()])).joined(separator: ", ")]
        }
    }
    // Host and guest transitions alike: the invariant must survive each.
    func transitions(_ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> [SymbolicTransition] {
        try hostTransitions(model, v, from: pre) + guestTransitions(model, v, from: pre).transitions
    }
    let names = try Vocabulary(z3, configuration: c)
    let namingState = try SymbolicState.fresh(names, name: "pre", scheme: model.scheme)
    for (index, transition) in try transitions(names, from: namingState).enumerated() {
        try check(.consecution(transition: transition.name)) { v throws(Z3Error) in
            let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
            let transition = try transitions(v, from: pre)[index]
            return ObligationQuery(formula: try whole(transition.post, v), assumptions: [try whole(pre, v), transition.enabled]) { m throws(Z3Error) in
                try explanation(m, v, pre: pre, transition: transition, post: transition.post)
            }
        }
    }
    let guest = try guestTransitions(model, names, from: namingState)
    for (index, transition) in guest.transitions.enumerated() {
        for (which, violation) in guest.violations[index].enumerated() where properties.contains(violation.property) {
            try check(.safety(violation.property, transition: transition.name)) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let guest = try guestTransitions(model, v, from: pre)
                return ObligationQuery(formula: try v.z3.not(guest.violations[index][which].condition),
                                       assumptions: [try whole(pre, v), guest.transitions[index].enabled]) { m throws(Z3Error) in
                    try explanation(m, v, pre: pre, transition: guest.transitions[index], post: nil)
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
