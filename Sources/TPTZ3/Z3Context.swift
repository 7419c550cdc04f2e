import CZ3

/// Owns one Z3 context (reference-counted flavour). Every term, sort, solver and
/// model holds a strong reference to its context, so none outlives it.
///
/// Z3 contexts are not thread-safe: use one context per task. The class is
/// `@unchecked Sendable` only so a task can own it; it must never be shared.
public final class Z3Context: @unchecked Sendable {
    let raw: OpaquePointer

    public init() {
        let config = Z3_mk_config()
        raw = Z3_mk_context_rc(config)!
        Z3_del_config(config)
        // Without a handler, an error prints and exits the process.
        Z3_set_error_handler(raw, nil)
    }

    deinit {
        Z3_del_context(raw)
    }

    /// Throws the pending Z3 error, if the last call set one.
    func check() throws(Z3Error) {
        let code = Z3_get_error_code(raw)
        if code != Z3_OK {
            let message = String(cString: Z3_get_error_msg(raw, code))
            throw Z3Error(message: message)
        }
    }

    func wrap(_ ast: Z3_ast?) throws(Z3Error) -> Z3Term {
        try check()
        guard let ast else { throw Z3Error(message: "Z3 returned no term") }
        return Z3Term(context: self, raw: ast)
    }

    // MARK: Sorts

    public func bitVectorSort(bits: UInt32) throws(Z3Error) -> Z3Sort {
        let sort = Z3_mk_bv_sort(raw, bits)
        try check()
        return Z3Sort(context: self, raw: sort!)
    }

    public func boolSort() throws(Z3Error) -> Z3Sort {
        let sort = Z3_mk_bool_sort(raw)
        try check()
        return Z3Sort(context: self, raw: sort!)
    }

    // MARK: Terms

    public func constant(_ name: String, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        let symbol = Z3_mk_string_symbol(raw, name)
        return try wrap(Z3_mk_const(raw, symbol, sort.raw))
    }

    public func numeral(_ value: UInt64, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_unsigned_int64(raw, value, sort.raw))
    }

    public func equal(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_eq(raw, a.raw, b.raw)) }
    public func not(_ a: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_not(raw, a.raw)) }
    public func bvAdd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvadd(raw, a.raw, b.raw)) }
    public func bvMul(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvmul(raw, a.raw, b.raw)) }
    public func bvAnd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvand(raw, a.raw, b.raw)) }
    public func bvULessThan(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvult(raw, a.raw, b.raw)) }

    public func and(_ terms: [Z3Term]) throws(Z3Error) -> Z3Term {
        let raws: [Z3_ast?] = terms.map(\.raw)
        return try wrap(raws.withUnsafeBufferPointer { Z3_mk_and(raw, UInt32(raws.count), $0.baseAddress) })
    }
}

/// A Z3 sort, kept alive by reference counting.
public final class Z3Sort {
    let context: Z3Context
    let raw: Z3_sort

    init(context: Z3Context, raw: Z3_sort) {
        self.context = context
        self.raw = raw
        Z3_inc_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
    }

    deinit { Z3_dec_ref(context.raw, Z3_sort_to_ast(context.raw, raw)) }
}

/// A Z3 term (AST), kept alive by reference counting.
public final class Z3Term: CustomStringConvertible {
    let context: Z3Context
    let raw: Z3_ast

    init(context: Z3Context, raw: Z3_ast) {
        self.context = context
        self.raw = raw
        Z3_inc_ref(context.raw, raw)
    }

    deinit { Z3_dec_ref(context.raw, raw) }

    public var description: String { String(cString: Z3_ast_to_string(context.raw, raw)) }
}
