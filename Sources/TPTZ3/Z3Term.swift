import CZ3

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
