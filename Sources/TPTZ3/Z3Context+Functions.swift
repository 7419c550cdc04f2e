import CZ3

/// A Z3 function symbol (uninterpreted, or a datatype's constructor, tester or
/// field accessor), kept alive by reference counting.
public final class Z3Function {
    let context: Z3Context
    let raw: Z3_func_decl

    init(context: Z3Context, raw: Z3_func_decl) {
        self.context = context
        self.raw = raw
        Z3_inc_ref(context.raw, Z3_func_decl_to_ast(context.raw, raw))
    }

    deinit { Z3_dec_ref(context.raw, Z3_func_decl_to_ast(context.raw, raw)) }

    /// The term `self(arguments...)`.
    public func callAsFunction(_ arguments: Z3Term...) throws(Z3Error) -> Z3Term {
        try context.apply(self, arguments)
    }
}

/// An algebraic datatype: its sort and, per constructor, the constructor, its
/// tester (`is-NAME`) and its field accessors.
public struct Z3Datatype {
    public struct Constructor {
        public let make: Z3Function
        public let test: Z3Function
        public let fields: [Z3Function]
    }

    public let sort: Z3Sort
    public let constructors: [Constructor]
}

extension Z3Context {
    /// An uninterpreted function from `domain` to `range`.
    public func function(_ name: String, _ domain: [Z3Sort], _ range: Z3Sort) throws(Z3Error) -> Z3Function {
        let sorts: [Z3_sort?] = domain.map(\.raw)
        let made = withExtendedLifetime(domain) {
            sorts.withUnsafeBufferPointer { Z3_mk_func_decl(raw, Z3_mk_string_symbol(raw, name), UInt32(sorts.count), $0.baseAddress, range.raw) }
        }
        try check()
        guard let made else { throw Z3Error(message: "Z3 returned no function") }
        return Z3Function(context: self, raw: made)
    }

    public func apply(_ function: Z3Function, _ arguments: [Z3Term]) throws(Z3Error) -> Z3Term {
        let raws: [Z3_ast?] = arguments.map(\.raw)
        let made = withExtendedLifetime(arguments) {
            raws.withUnsafeBufferPointer { Z3_mk_app(raw, function.raw, UInt32(raws.count), $0.baseAddress) }
        }
        return try wrap(made)
    }

    /// The array `lambda bound: body` (bound: constants made with `constant(_:_:)`).
    public func lambda(_ bound: [Z3Term], _ body: Z3Term) throws(Z3Error) -> Z3Term {
        try binding(bound) { Z3_mk_lambda_const(raw, $0, $1, body.raw) }
    }

    /// A datatype whose fields have the given (already made) sorts; no recursion.
    public func datatype(_ name: String, _ constructors: [(name: String, fields: [(name: String, sort: Z3Sort)])]) throws(Z3Error) -> Z3Datatype {
        var made: [Z3_constructor?] = []
        defer { for constructor in made { Z3_del_constructor(raw, constructor) } }
        for constructor in constructors {
            let names: [Z3_symbol?] = constructor.fields.map { Z3_mk_string_symbol(raw, $0.name) }
            let sorts: [Z3_sort?] = constructor.fields.map { $0.sort.raw }
            var references = [UInt32](repeating: 0, count: constructor.fields.count)
            made.append(Z3_mk_constructor(raw, Z3_mk_string_symbol(raw, constructor.name), Z3_mk_string_symbol(raw, "is-" + constructor.name),
                                          UInt32(names.count), names, sorts, &references))
            try check()
        }
        let sort = made.withUnsafeMutableBufferPointer { Z3_mk_datatype(raw, Z3_mk_string_symbol(raw, name), UInt32($0.count), $0.baseAddress) }
        try check()
        guard let sort else { throw Z3Error(message: "Z3 returned no datatype") }
        var result: [Z3Datatype.Constructor] = []
        for (index, constructor) in constructors.enumerated() {
            var make: Z3_func_decl?, test: Z3_func_decl?
            var accessors = [Z3_func_decl?](repeating: nil, count: constructor.fields.count)
            Z3_query_constructor(raw, made[index], UInt32(accessors.count), &make, &test, &accessors)
            try check()
            guard let make, let test else { throw Z3Error(message: "Z3 returned no constructor") }
            var fields: [Z3Function] = []
            for accessor in accessors {
                guard let accessor else { throw Z3Error(message: "Z3 returned no field accessor") }
                fields.append(Z3Function(context: self, raw: accessor))
            }
            result.append(.init(make: Z3Function(context: self, raw: make), test: Z3Function(context: self, raw: test), fields: fields))
        }
        return Z3Datatype(sort: Z3Sort(context: self, raw: sort), constructors: result)
    }
}
