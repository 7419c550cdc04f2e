import CZ3

/// Sorts and terms. Every builder checks Z3's error code, so a malformed term
/// (a sort mismatch, say) is a thrown `Z3Error` and the context stays usable.
extension Z3Context {
    // MARK: Sorts

    func wrapSort(_ sort: Z3_sort?) throws(Z3Error) -> Z3Sort {
        try check()
        guard let sort else { throw Z3Error(message: "Z3 returned no sort") }
        return Z3Sort(context: self, raw: sort)
    }

    public func boolSort() throws(Z3Error) -> Z3Sort { try wrapSort(Z3_mk_bool_sort(raw)) }

    public func bitVectorSort(bits: UInt32) throws(Z3Error) -> Z3Sort { try wrapSort(Z3_mk_bv_sort(raw, bits)) }

    /// A sort with no fixed size: what an unbounded proof quantifies over
    /// (frames, VMs, pages).
    public func uninterpretedSort(_ name: String) throws(Z3Error) -> Z3Sort {
        try wrapSort(Z3_mk_uninterpreted_sort(raw, Z3_mk_string_symbol(raw, name)))
    }

    public func arraySort(_ domain: Z3Sort, _ range: Z3Sort) throws(Z3Error) -> Z3Sort {
        try wrapSort(Z3_mk_array_sort(raw, domain.raw, range.raw))
    }

    // MARK: Constants and literals

    /// A numeral's value (a model's value of a bit-vector term).
    public func unsignedValue(ofNumeral term: Z3Term) throws(Z3Error) -> UInt64 {
        var number: UInt64 = 0
        guard Z3_get_numeral_uint64(raw, term.raw, &number) else { throw Z3Error(message: "\(term) is not a numeral of at most 64 bits") }
        return number
    }

    public func sort(of term: Z3Term) throws(Z3Error) -> Z3Sort { try wrapSort(Z3_get_sort(raw, term.raw)) }

    /// A value read from a model as its function's name and arguments: `true`,
    /// `vm1`, or `(entry f2 true)` as `entry` with `f2` and `true`.
    public func application(_ term: Z3Term) throws(Z3Error) -> (name: String, arguments: [Z3Term]) {
        guard Z3_get_ast_kind(raw, term.raw) == Z3_APP_AST else { throw Z3Error(message: "\(term) is not an application") }
        let app = Z3_to_app(raw, term.raw)
        let name = String(cString: Z3_get_symbol_string(raw, Z3_get_decl_name(raw, Z3_get_app_decl(raw, app))))
        var arguments: [Z3Term] = []
        for index in 0..<Z3_get_app_num_args(raw, app) { arguments.append(try wrap(Z3_get_app_arg(raw, app, index))) }
        return (name, arguments)
    }

    /// The term rewritten by Z3's simplifier (constants folded, equalities
    /// of literals decided).
    public func simplify(_ term: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_simplify(raw, term.raw)) }

    public func constant(_ name: String, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_const(raw, Z3_mk_string_symbol(raw, name), sort.raw))
    }

    public func numeral(_ value: UInt64, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_unsigned_int64(raw, value, sort.raw))
    }

    public func bool(_ value: Bool) throws(Z3Error) -> Z3Term { try wrap(value ? Z3_mk_true(raw) : Z3_mk_false(raw)) }

    // MARK: Boolean structure

    public func equal(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_eq(raw, a.raw, b.raw)) }
    public func not(_ a: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_not(raw, a.raw)) }
    public func implies(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_implies(raw, a.raw, b.raw)) }
    /// The term's truth value when it is the literal `true` or `false`; nil otherwise.
    public func literalValue(of term: Z3Term) -> Bool? {
        switch Z3_get_bool_value(raw, term.raw) {
        case Z3_L_TRUE: true
        case Z3_L_FALSE: false
        default: nil
        }
    }

    public func ite(_ condition: Z3Term, _ then: Z3Term, _ otherwise: Z3Term) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_ite(raw, condition.raw, then.raw, otherwise.raw))
    }

    public func and(_ terms: [Z3Term]) throws(Z3Error) -> Z3Term {
        try nary(terms) { Z3_mk_and(raw, $0, $1) }
    }

    public func or(_ terms: [Z3Term]) throws(Z3Error) -> Z3Term {
        try nary(terms) { Z3_mk_or(raw, $0, $1) }
    }

    public func distinct(_ terms: [Z3Term]) throws(Z3Error) -> Z3Term {
        try nary(terms) { Z3_mk_distinct(raw, $0, $1) }
    }

    private func nary(_ terms: [Z3Term], _ make: (UInt32, UnsafePointer<Z3_ast?>?) -> Z3_ast?) throws(Z3Error) -> Z3Term {
        let raws: [Z3_ast?] = terms.map(\.raw)
        let made = withExtendedLifetime(terms) { raws.withUnsafeBufferPointer { make(UInt32(raws.count), $0.baseAddress) } }
        return try wrap(made)
    }

    // MARK: Bit vectors

    public func bvAdd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvadd(raw, a.raw, b.raw)) }
    public func bvMul(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvmul(raw, a.raw, b.raw)) }
    public func bvAnd(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvand(raw, a.raw, b.raw)) }
    public func bvOr(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvor(raw, a.raw, b.raw)) }
    /// Bits `high` down to `low` of a bit-vector.
    public func extract(_ a: Z3Term, high: UInt32, low: UInt32) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_extract(raw, high, low, a.raw)) }
    public func zeroExtend(_ a: Z3Term, by bits: UInt32) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_zero_ext(raw, bits, a.raw)) }
    public func shiftLeft(_ a: Z3Term, by bits: UInt32) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_bvshl(raw, a.raw, Z3_mk_unsigned_int64(raw, UInt64(bits), Z3_get_sort(raw, a.raw))))
    }
    public func bvULessThan(_ a: Z3Term, _ b: Z3Term) throws(Z3Error) -> Z3Term { try wrap(Z3_mk_bvult(raw, a.raw, b.raw)) }

    // MARK: Arrays

    public func select(_ array: Z3Term, _ index: Z3Term) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_select(raw, array.raw, index.raw))
    }

    public func store(_ array: Z3Term, _ index: Z3Term, _ value: Z3Term) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_store(raw, array.raw, index.raw, value.raw))
    }

    /// The array that maps every index of `domain` to `value`.
    public func constantArray(_ domain: Z3Sort, _ value: Z3Term) throws(Z3Error) -> Z3Term {
        try wrap(Z3_mk_const_array(raw, domain.raw, value.raw))
    }

    // MARK: Quantifiers

    /// `forall bound: body`; `bound` are constants made with `constant(_:_:)`.
    public func forall(_ bound: [Z3Term], _ body: Z3Term) throws(Z3Error) -> Z3Term {
        try binding(bound) { Z3_mk_forall_const(raw, 0, $0, $1, 0, nil, body.raw) }
    }

    /// Makes a term that binds the constants (a quantifier or a lambda).
    func binding(_ bound: [Z3Term], _ make: (UInt32, UnsafePointer<Z3_app?>?) -> Z3_ast?) throws(Z3Error) -> Z3Term {
        var apps: [Z3_app?] = []
        for term in bound {
            let app = Z3_to_app(raw, term.raw)
            try check()
            apps.append(app)
        }
        let made = withExtendedLifetime(bound) { apps.withUnsafeBufferPointer { make(UInt32(apps.count), $0.baseAddress) } }
        return try wrap(made)
    }
}
