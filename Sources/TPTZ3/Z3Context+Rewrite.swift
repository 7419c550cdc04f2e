import CZ3

extension Z3Context {
    /// Rewrites every array read in the term down to the values it reads:
    /// `select(store(a, i, v), j)` becomes `ite(i = j, v, select(a, j))` (just `v`
    /// or just `select(a, j)` when `i = j` simplifies to a constant),
    /// `select(const(v), j)` becomes `v`, a read of an `ite` of arrays reads
    /// both branches, and a read of a lambda applies it.
    ///
    /// Z3's own simplifier leaves a read of a shared store chain alone, so a
    /// formula over states built by stores and lambdas would still need the
    /// array theory. Over a finite, enumerated index sort, where every array
    /// is a chain of stores at literals, this leaves no arrays at all.
    public func resolveSelects(_ term: Z3Term) throws(Z3Error) -> Z3Term {
        var rewriter = SelectResolver(context: self)
        return try rewriter.rewrite(term)
    }

    /// The term with each of `from` (constants) replaced by its counterpart in `to`.
    public func substitute(_ term: Z3Term, _ from: [Z3Term], _ to: [Z3Term]) throws(Z3Error) -> Z3Term {
        let sources: [Z3_ast?] = from.map(\.raw), targets: [Z3_ast?] = to.map(\.raw)
        return try wrap(Z3_substitute(raw, term.raw, UInt32(from.count), sources, targets))
    }
}

private struct SelectResolver {
    let context: Z3Context
    var memo = TermMemo()

    private var raw: Z3_context { context.raw }

    mutating func rewrite(_ term: Z3Term) throws(Z3Error) -> Z3Term {
        if let known = memo.result(for: term, in: context) { return known }
        var result = term
        if Z3_get_ast_kind(raw, term.raw) == Z3_APP_AST {
            let app = Z3_to_app(raw, term.raw)
            let count = Z3_get_app_num_args(raw, app)
            var arguments: [Z3Term] = []
            var changed = false
            for index in 0..<count {
                let argument = try context.wrap(Z3_get_app_arg(raw, app, index))
                let rewritten = try rewrite(argument)
                changed = changed || rewritten.raw != argument.raw
                arguments.append(rewritten)
            }
            if Z3_get_decl_kind(raw, Z3_get_app_decl(raw, app)) == Z3_OP_SELECT && arguments.count == 2 {
                result = try select(arguments[0], at: arguments[1])
            } else if changed {
                let raws: [Z3_ast?] = arguments.map(\.raw)
                result = try context.wrap(Z3_update_term(raw, term.raw, count, raws))
            }
        }
        memo.record(term, result, in: context)
        return result
    }

    /// A read of `array` at `index`, both already rewritten.
    mutating func select(_ array: Z3Term, at index: Z3Term) throws(Z3Error) -> Z3Term {
        if Z3_get_ast_kind(raw, array.raw) == Z3_QUANTIFIER_AST && Z3_is_lambda(raw, array.raw)
            && Z3_get_quantifier_num_bound(raw, array.raw) == 1 {
            let body = try context.wrap(Z3_get_quantifier_body(raw, array.raw))
            let replacement: [Z3_ast?] = [index.raw]
            return try rewrite(context.wrap(Z3_substitute_vars(raw, body.raw, 1, replacement)))
        }
        if Z3_get_ast_kind(raw, array.raw) == Z3_APP_AST {
            let app = Z3_to_app(raw, array.raw)
            func argument(_ i: UInt32) throws(Z3Error) -> Z3Term { try context.wrap(Z3_get_app_arg(raw, app, i)) }
            switch Z3_get_decl_kind(raw, Z3_get_app_decl(raw, app)) {
            case Z3_OP_STORE where Z3_get_app_num_args(raw, app) == 3:
                let same = try context.simplify(context.equal(argument(1), index))
                let value = try argument(2)
                if Z3_get_bool_value(raw, same.raw) == Z3_L_TRUE { return value }
                let below = try select(argument(0), at: index)
                if Z3_get_bool_value(raw, same.raw) == Z3_L_FALSE { return below }
                return try context.ite(same, value, below)
            case Z3_OP_CONST_ARRAY:
                return try argument(0)
            case Z3_OP_ITE:
                return try context.ite(argument(0), select(argument(1), at: index), select(argument(2), at: index))
            default:
                break
            }
        }
        return try context.select(array, index)
    }
}
