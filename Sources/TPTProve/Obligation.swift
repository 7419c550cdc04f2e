import TPTModel
import TPTZ3

/// What checking one proof obligation found. `unknown` is never success.
public enum ObligationResult: Sendable, Equatable {
    /// The negated obligation is unsatisfiable for any number of frames, VMs
    /// and pages.
    case proved
    /// A counterexample exists; `bounded` says whether it was found at the
    /// model's own sizes. `counterexample` reads it as lines (the state before,
    /// the transition, what changed, the clauses it breaks).
    case refuted(bounded: Bool, counterexample: [String])
    case unknown(reason: String)
}

/// An obligation, stated in one vocabulary: the formula that must hold, what it
/// may assume, and how to read a counterexample's model.
public struct ObligationQuery {
    public var formula: Z3Term
    public var assumptions: [Z3Term]
    public var explain: ((Z3Model) throws(Z3Error) -> [String])?

    public init(formula: Z3Term, assumptions: [Z3Term], explain: ((Z3Model) throws(Z3Error) -> [String])? = nil) {
        self.formula = formula
        self.assumptions = assumptions
        self.explain = explain
    }
}

/// Checks that an obligation holds: `build` states it in a vocabulary, the
/// negation is asserted with the assumptions, and Z3 looks for a model.
///
/// Quantified formulas over arrays make Z3 incomplete unbounded: it may answer
/// unknown, or time out, where a counterexample exists. So the obligation is
/// first stated over the configuration's bounded sorts, where Z3 decides it
/// quickly: a model there is a real counterexample (a small instance is an
/// instance). Only when there is none is it stated unbounded, for the proof.
///
/// - Parameter script: when given, receives the query that decided the result
///   as a standalone SMT-LIB2 script (`unsat` is proved, `sat` refuted), each
///   time one is checked; the last one it receives decided.
public func checkObligation(_ configuration: Configuration, in z3: Z3Context, timeoutMilliseconds: UInt32,
                            script: ((String) -> Void)? = nil,
                            _ build: (Vocabulary) throws(Z3Error) -> ObligationQuery) throws(Z3Error) -> ObligationResult {
    func check(_ domain: Vocabulary.Domain, seed: UInt32 = 0, milliseconds: UInt32) throws(Z3Error) -> (Z3Result, [String]) {
        let vocabulary = try Vocabulary(z3, configuration: configuration, domain: domain)
        let query = try build(vocabulary)
        let solver = try Z3Solver(z3, timeoutMilliseconds: milliseconds, randomSeed: seed)
        // Bounded, quantifiers are expanded (`FormulaEncoder`), so resolving the
        // array reads leaves a query over datatypes alone.
        func prepared(_ term: Z3Term) throws(Z3Error) -> Z3Term { domain == .bounded ? try z3.resolveSelects(term) : term }
        for assumption in query.assumptions { try solver.assert(prepared(assumption)) }
        try solver.assert(prepared(z3.not(query.formula)))
        if let script {
            let sizes = domain == .bounded ? "at the model's sizes" : "for any number of VMs, frames and pages"
            script(try solver.smtlib2(name: "the obligation's negation, \(sizes): unsat means it holds"))
        }
        let result = try solver.check()
        guard result == .satisfiable, let explain = query.explain else { return (result, []) }
        // Reading the counterexample never changes the verdict.
        do {
            return (result, try explain(solver.model()))
        } catch {
            return (result, ["(the counterexample could not be read: \(error.message))"])
        }
    }
    // The obligation's time covers both questions.
    let start = ContinuousClock.now
    let (bounded, counterexample) = try check(.bounded, milliseconds: timeoutMilliseconds)
    if bounded == .satisfiable { return .refuted(bounded: true, counterexample: counterexample) }
    // Z3's quantifier instantiation is incomplete, and how long it takes on a
    // query is heavy-tailed: another random seed may settle at once what one
    // seed does not settle in a minute. So the unbounded query runs in
    // restarts, each with a new seed and twice the time of the one before
    // (from a quarter of a second), until it is settled or the obligation's
    // time is spent. A restart is the same question, so any answer stands.
    var slice: UInt32 = 250, seed: UInt32 = 0, reason = "timeout"
    while true {
        let spent = start.duration(to: .now)
        let remaining = Int64(timeoutMilliseconds) - spent.components.seconds * 1_000 - spent.components.attoseconds / 1_000_000_000_000_000
        guard remaining > 0 else { return .unknown(reason: reason) }
        let (result, counterexample) = try check(.unbounded, seed: seed, milliseconds: UInt32(min(Int64(slice), remaining)))
        switch result {
        case .unsatisfiable: return .proved
        case .satisfiable: return .refuted(bounded: false, counterexample: counterexample)
        case .unknown(let why): reason = why
        }
        seed += 1
        slice = slice.multipliedReportingOverflow(by: 2).overflow ? .max : slice * 2
    }
}
