import CZ3

/// A solver's answer. `unknown` (a timeout, or an incomplete theory) is never
/// success: callers must report it as inconclusive.
public enum Z3Result: Sendable, Equatable {
    case satisfiable
    case unsatisfiable
    case unknown(reason: String)
}

/// A Z3 solver with an optional per-query timeout.
public final class Z3Solver {
    let context: Z3Context
    let raw: Z3_solver

    public init(_ context: Z3Context, timeoutMilliseconds: UInt32? = nil) throws(Z3Error) {
        self.context = context
        guard let solver = Z3_mk_solver(context.raw) else {
            try context.check()
            throw Z3Error(message: "Z3 returned no solver")
        }
        raw = solver
        Z3_solver_inc_ref(context.raw, raw)
        if let timeoutMilliseconds {
            let params = Z3_mk_params(context.raw)
            Z3_params_inc_ref(context.raw, params)
            Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "timeout"), timeoutMilliseconds)
            Z3_solver_set_params(context.raw, raw, params)
            Z3_params_dec_ref(context.raw, params)
            try context.check()
        }
    }

    deinit { Z3_solver_dec_ref(context.raw, raw) }

    public func assert(_ term: Z3Term) throws(Z3Error) {
        Z3_solver_assert(context.raw, raw, term.raw)
        try context.check()
    }

    public func check() throws(Z3Error) -> Z3Result {
        let result = Z3_solver_check(context.raw, raw)
        try context.check()
        switch result {
        case Z3_L_TRUE: return .satisfiable
        case Z3_L_FALSE: return .unsatisfiable
        default: return .unknown(reason: String(cString: Z3_solver_get_reason_unknown(context.raw, raw)))
        }
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

/// A satisfying assignment, from which values of terms are read back.
public final class Z3Model {
    let context: Z3Context
    let raw: Z3_model

    init(context: Z3Context, raw: Z3_model) {
        self.context = context
        self.raw = raw
        Z3_model_inc_ref(context.raw, raw)
    }

    deinit { Z3_model_dec_ref(context.raw, raw) }

    /// The value of a bit-vector term in this model (completed with defaults).
    public func unsignedValue(of term: Z3Term) throws(Z3Error) -> UInt64 {
        var result: Z3_ast?
        guard Z3_model_eval(context.raw, raw, term.raw, true, &result), let result else {
            try context.check()
            throw Z3Error(message: "cannot evaluate \(term) in the model")
        }
        let value = try context.wrap(result)
        var number: UInt64 = 0
        guard Z3_get_numeral_uint64(context.raw, value.raw, &number) else {
            throw Z3Error(message: "\(value) is not a numeral of at most 64 bits")
        }
        return number
    }
}
