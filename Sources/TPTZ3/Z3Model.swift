import CZ3

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

    /// A term's value in this model, completed with defaults for what the model
    /// leaves open.
    public func evaluate(_ term: Z3Term) throws(Z3Error) -> Z3Term {
        var result: Z3_ast?
        guard Z3_model_eval(context.raw, raw, term.raw, true, &result), let result else {
            try context.check()
            throw Z3Error(message: "cannot evaluate \(term) in the model")
        }
        return try context.wrap(result)
    }

    public func boolValue(of term: Z3Term) throws(Z3Error) -> Bool {
        let value = try evaluate(term)
        switch Z3_get_bool_value(context.raw, value.raw) {
        case Z3_L_TRUE: return true
        case Z3_L_FALSE: return false
        default: throw Z3Error(message: "\(value) is not a Boolean value")
        }
    }

    /// The value of a bit-vector term in this model.
    public func unsignedValue(of term: Z3Term) throws(Z3Error) -> UInt64 {
        let value = try evaluate(term)
        var number: UInt64 = 0
        guard Z3_get_numeral_uint64(context.raw, value.raw, &number) else {
            throw Z3Error(message: "\(value) is not a numeral of at most 64 bits")
        }
        return number
    }
}
