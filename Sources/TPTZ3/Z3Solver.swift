import CZ3

/// A solver's answer. `unknown` (a timeout, or an incomplete theory) is never
/// success: callers must report it as inconclusive.
public enum Z3Result: Sendable, Equatable {
    case satisfiable
    case unsatisfiable
    case unknown(reason: String)
}

/// A Z3 solver with an optional per-query timeout.
///
/// It remembers what was asserted (per push level), so a query can also be
/// written out as a standalone SMT-LIB2 file (`Z3Solver+SMTLIB.swift`).
public final class Z3Solver {
    let context: Z3Context
    let raw: Z3_solver
    /// The assertions in force, innermost push level last.
    private(set) var assertions: [[Z3Term]] = [[]]

    /// - Parameter randomSeed: the seed of Z3's search heuristics. Where Z3 is
    ///   incomplete (quantifiers), another seed may decide what one left unknown.
    /// - Parameter logic: an SMT-LIB logic for Z3 to pick its solver by; `QF_FD`
    ///   (bit-vectors, Booleans, enumerations) bit-blasts to an incremental SAT solver.
    public init(_ context: Z3Context, timeoutMilliseconds: UInt32? = nil, randomSeed: UInt32? = nil,
                logic: String? = nil) throws(Z3Error) {
        self.context = context
        let made = logic.map { Z3_mk_solver_for_logic(context.raw, Z3_mk_string_symbol(context.raw, $0)) } ?? Z3_mk_solver(context.raw)
        guard let solver = made else {
            try context.check()
            throw Z3Error(message: "Z3 returned no solver")
        }
        raw = solver
        Z3_solver_inc_ref(context.raw, raw)
        if timeoutMilliseconds != nil || randomSeed != nil {
            let params = Z3_mk_params(context.raw)
            Z3_params_inc_ref(context.raw, params)
            if let timeoutMilliseconds {
                Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "timeout"), timeoutMilliseconds)
            }
            if let randomSeed {
                Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "random_seed"), randomSeed)
            }
            Z3_solver_set_params(context.raw, raw, params)
            Z3_params_dec_ref(context.raw, params)
            try context.check()
        }
    }

    deinit { Z3_solver_dec_ref(context.raw, raw) }

    public func assert(_ term: Z3Term) throws(Z3Error) {
        Z3_solver_assert(context.raw, raw, term.raw)
        try context.check()
        assertions[assertions.count - 1].append(term)
    }

    /// Opens a scope: what is asserted from now on is dropped by the matching `pop`.
    public func push() throws(Z3Error) {
        Z3_solver_push(context.raw, raw)
        try context.check()
        assertions.append([])
    }

    public func pop() throws(Z3Error) {
        guard assertions.count > 1 else { throw Z3Error(message: "pop without a matching push") }
        Z3_solver_pop(context.raw, raw, 1)
        try context.check()
        assertions.removeLast()
    }

    public func check() throws(Z3Error) -> Z3Result {
        try result(Z3_solver_check(context.raw, raw))
    }

    /// Checks under extra assumptions (Boolean constants), for unsat cores: after
    /// `unsatisfiable`, `unsatCore()` names the assumptions that sufficed.
    public func check(assuming assumptions: [Z3Term]) throws(Z3Error) -> Z3Result {
        let raws: [Z3_ast?] = assumptions.map(\.raw)
        let answer = withExtendedLifetime(assumptions) {
            raws.withUnsafeBufferPointer { Z3_solver_check_assumptions(context.raw, raw, UInt32(raws.count), $0.baseAddress) }
        }
        return try result(answer)
    }

    private func result(_ answer: Z3_lbool) throws(Z3Error) -> Z3Result {
        try context.check()
        switch answer {
        case Z3_L_TRUE: return .satisfiable
        case Z3_L_FALSE: return .unsatisfiable
        default: return .unknown(reason: String(cString: Z3_solver_get_reason_unknown(context.raw, raw)))
        }
    }

    /// The assumptions of the last unsatisfiable `check(assuming:)` that suffice
    /// for unsatisfiability.
    public func unsatCore() throws(Z3Error) -> [Z3Term] {
        guard let vector = Z3_solver_get_unsat_core(context.raw, raw) else {
            try context.check()
            throw Z3Error(message: "Z3 returned no unsat core")
        }
        Z3_ast_vector_inc_ref(context.raw, vector)
        defer { Z3_ast_vector_dec_ref(context.raw, vector) }
        var core: [Z3Term] = []
        for index in 0..<Z3_ast_vector_size(context.raw, vector) {
            core.append(try context.wrap(Z3_ast_vector_get(context.raw, vector, index)))
        }
        return core
    }

    /// The model of the last satisfiable check.
    public func model() throws(Z3Error) -> Z3Model {
        guard let model = Z3_solver_get_model(context.raw, raw) else {
            try context.check()
            throw Z3Error(message: "no model: the last check was not satisfiable")
        }
        try context.check()
        return Z3Model(context: context, raw: model)
    }
}
