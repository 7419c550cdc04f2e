import CZ3

/// Rewrites quantifier-free, array-free formulas over finite datatypes into
/// bit-vectors, so that a SAT-based solver (Z3's finite-domain solver, which
/// bit-blasts) decides them. Bounded model checking runs into millions of
/// case splits over datatype values that Z3's SMT core handles one theory
/// propagation at a time; as bits, clause learning prunes them.
///
/// A datatype value is its constructor's index in the high bits and its fields
/// packed below, each field in its own encoding (a Boolean is one bit); bits a
/// constructor does not use are zero, so equal values have equal encodings.
/// A constant of a datatype sort becomes a bit-vector constant of the same
/// name, with a range constraint (`takeConstraints`) that it encodes some value.
/// The constraint is handed out once, so one encoding serves one solver.
public final class Z3BitVectorEncoding {
    let context: Z3Context
    private var raw: Z3_context { context.raw }
    private var memo = TermMemo()
    private var layouts: [UInt32: Layout] = [:]
    private var constraints: [Z3Term] = []

    /// How one sort is laid out in bits.
    private final class Layout {
        let sort: Z3Sort
        let width: UInt32
        /// Datatypes only: per constructor, its declaration, its recognizer, and
        /// per field the accessor, the field's layout and its lowest bit.
        var constructors: [(decl: Z3_func_decl, recognizer: Z3_func_decl, fields: [(accessor: Z3_func_decl, layout: Layout, shift: UInt32)])] = []
        let tagShift: UInt32
        let isBool: Bool

        init(sort: Z3Sort, width: UInt32, tagShift: UInt32 = 0, isBool: Bool = false) {
            self.sort = sort
            self.width = width
            self.tagShift = tagShift
            self.isBool = isBool
        }
    }

    public init(_ context: Z3Context) { self.context = context }

    /// The formula, or term, over bit-vectors.
    public func encode(_ term: Z3Term) throws(Z3Error) -> Z3Term {
        if let known = memo.result(for: term, in: context) { return known }
        let encoded = try rewrite(term)
        memo.record(term, encoded, in: context)
        return encoded
    }

    /// The range constraints of the constants encoded since the last call.
    public func takeConstraints() -> [Z3Term] {
        defer { constraints = [] }
        return constraints
    }

    /// The value of an original term, read from a model of encoded formulas, as
    /// a value of the original sort (a constructor application, a Boolean or a
    /// bit-vector numeral).
    public func value(of term: Z3Term, in model: Z3Model) throws(Z3Error) -> Z3Term {
        let sort = try context.sort(of: term)
        let layout = try self.layout(sort)
        if layout.isBool || layout.constructors.isEmpty { return try model.evaluate(encode(term)) }
        return try decode(model.unsignedValue(of: encode(term)), layout)
    }

    // MARK: Layouts

    private func layout(_ sort: Z3Sort) throws(Z3Error) -> Layout {
        let id = Z3_get_ast_id(raw, Z3_sort_to_ast(raw, sort.raw))
        if let known = layouts[id] { return known }
        let result: Layout
        switch Z3_get_sort_kind(raw, sort.raw) {
        case Z3_BOOL_SORT:
            result = Layout(sort: sort, width: 1, isBool: true)
        case Z3_BV_SORT:
            result = Layout(sort: sort, width: Z3_get_bv_sort_size(raw, sort.raw))
        case Z3_DATATYPE_SORT:
            let count = Z3_get_datatype_sort_num_constructors(raw, sort.raw)
            var constructors: [(decl: Z3_func_decl, recognizer: Z3_func_decl, fields: [(accessor: Z3_func_decl, layout: Layout, shift: UInt32)])] = []
            var payload: UInt32 = 0
            for index in 0..<count {
                guard let decl = Z3_get_datatype_sort_constructor(raw, sort.raw, index),
                      let recognizer = Z3_get_datatype_sort_recognizer(raw, sort.raw, index) else { throw Z3Error(message: "unreadable datatype") }
                var fields: [(accessor: Z3_func_decl, layout: Layout, shift: UInt32)] = []
                var used: UInt32 = 0
                for field in 0..<Z3_get_domain_size(raw, decl) {
                    guard let accessor = Z3_get_datatype_sort_constructor_accessor(raw, sort.raw, index, field) else {
                        throw Z3Error(message: "unreadable datatype field")
                    }
                    let fieldSort = try context.wrapSort(Z3_get_domain(raw, decl, field))
                    let fieldLayout = try layout(fieldSort)
                    fields.append((accessor, fieldLayout, used))
                    used += fieldLayout.width
                }
                payload = max(payload, used)
                constructors.append((decl, recognizer, fields))
            }
            var tagBits: UInt32 = 0
            while (1 << tagBits) < count { tagBits += 1 }
            result = Layout(sort: sort, width: max(1, tagBits + payload), tagShift: payload)
            result.constructors = constructors
        default:
            throw Z3Error(message: "cannot encode sort \(String(cString: Z3_sort_to_string(raw, sort.raw))) as bits")
        }
        layouts[id] = result
        return result
    }

    private func bitVectorSort(_ layout: Layout) throws(Z3Error) -> Z3Sort { try context.bitVectorSort(bits: layout.width) }

    // MARK: Rewriting

    private func rewrite(_ term: Z3Term) throws(Z3Error) -> Z3Term {
        guard Z3_get_ast_kind(raw, term.raw) == Z3_APP_AST else {
            if Z3_get_ast_kind(raw, term.raw) == Z3_NUMERAL_AST { return term }
            throw Z3Error(message: "cannot encode \(term) as bits (a quantifier or variable)")
        }
        let app = Z3_to_app(raw, term.raw)
        let decl = Z3_get_app_decl(raw, app)!
        let count = Z3_get_app_num_args(raw, app)
        var arguments: [Z3Term] = []
        for index in 0..<count { arguments.append(try context.wrap(Z3_get_app_arg(raw, app, index))) }
        let kind = Z3_get_decl_kind(raw, decl)
        switch kind {
        case Z3_OP_DT_CONSTRUCTOR:
            let layout = try self.layout(context.sort(of: term))
            guard let index = layout.constructors.firstIndex(where: { Z3_is_eq_func_decl(raw, $0.decl, decl) }) else {
                throw Z3Error(message: "unknown constructor in \(term)")
            }
            return try construct(layout, index, arguments.map { argument throws(Z3Error) in try encode(argument) })
        case Z3_OP_DT_RECOGNISER, Z3_OP_DT_IS:
            let layout = try self.layout(context.sort(of: arguments[0]))
            guard let index = layout.constructors.firstIndex(where: { Z3_is_eq_func_decl(raw, $0.recognizer, decl) }) else {
                throw Z3Error(message: "unknown recognizer in \(term)")
            }
            return try context.equal(tag(of: encode(arguments[0]), layout), context.numeral(UInt64(index), tagSort(layout)))
        case Z3_OP_DT_ACCESSOR:
            let layout = try self.layout(context.sort(of: arguments[0]))
            for constructor in layout.constructors {
                if let field = constructor.fields.first(where: { Z3_is_eq_func_decl(raw, $0.accessor, decl) }) {
                    return try fieldValue(encode(arguments[0]), field.layout, shift: field.shift)
                }
            }
            throw Z3Error(message: "unknown accessor in \(term)")
        case Z3_OP_UNINTERPRETED where count == 0:
            let sort = try context.sort(of: term)
            let layout = try self.layout(sort)
            if layout.isBool || layout.constructors.isEmpty { return term }
            let name = String(cString: Z3_get_symbol_string(raw, Z3_get_decl_name(raw, decl)))
            let constant = try context.constant(name, bitVectorSort(layout))
            constraints.append(try valid(constant, layout))
            return constant
        default:
            if kind == Z3_OP_UNINTERPRETED { throw Z3Error(message: "cannot encode the function application \(term) as bits") }
            // Equality, ite, distinct, the connectives, bit-vector operations:
            // the same operation on the encoded arguments.
            let encoded = try arguments.map { argument throws(Z3Error) in try encode(argument) }
            switch kind {
            case Z3_OP_EQ: return try context.equal(encoded[0], encoded[1])
            case Z3_OP_DISTINCT: return try context.distinct(encoded)
            case Z3_OP_ITE: return try context.ite(encoded[0], encoded[1], encoded[2])
            default:
                let raws: [Z3_ast?] = encoded.map(\.raw)
                return try withExtendedLifetime(encoded) { () throws(Z3Error) -> Z3Term in
                    try context.wrap(Z3_update_term(raw, term.raw, count, raws))
                }
            }
        }
    }

    // MARK: Values

    private func tagSort(_ layout: Layout) throws(Z3Error) -> Z3Sort {
        try context.bitVectorSort(bits: max(1, layout.width - layout.tagShift))
    }

    private func tag(of value: Z3Term, _ layout: Layout) throws(Z3Error) -> Z3Term {
        if layout.width == layout.tagShift { return try context.numeral(0, tagSort(layout)) }
        return try context.extract(value, high: layout.width - 1, low: layout.tagShift)
    }

    private func fieldValue(_ value: Z3Term, _ field: Layout, shift: UInt32) throws(Z3Error) -> Z3Term {
        let bits = try context.extract(value, high: shift + field.width - 1, low: shift)
        return field.isBool ? try context.equal(bits, context.numeral(1, context.bitVectorSort(bits: 1))) : bits
    }

    /// The constructor applied to encoded fields: the tag, the fields, zeros.
    private func construct(_ layout: Layout, _ index: Int, _ fields: [Z3Term]) throws(Z3Error) -> Z3Term {
        let sort = try bitVectorSort(layout)
        var value = try context.numeral(UInt64(index) << UInt64(layout.tagShift), sort)
        for (field, encoded) in zip(layout.constructors[index].fields, fields) {
            var bits = field.layout.isBool
                ? try context.ite(encoded, context.numeral(1, context.bitVectorSort(bits: 1)), context.numeral(0, context.bitVectorSort(bits: 1)))
                : encoded
            if layout.width > field.layout.width { bits = try context.zeroExtend(bits, by: layout.width - field.layout.width) }
            if field.shift > 0 { bits = try context.shiftLeft(bits, by: field.shift) }
            value = try context.bvOr(value, bits)
        }
        return value
    }

    /// That an encoded value names some value of the layout.
    private func valid(_ value: Z3Term, _ layout: Layout) throws(Z3Error) -> Z3Term {
        if layout.isBool || layout.constructors.isEmpty { return try context.bool(true) }
        var cases: [Z3Term] = []
        for (index, constructor) in layout.constructors.enumerated() {
            var parts = [try context.equal(tag(of: value, layout), context.numeral(UInt64(index), tagSort(layout)))]
            var used: UInt32 = 0
            for field in constructor.fields {
                let bits = try context.extract(value, high: field.shift + field.layout.width - 1, low: field.shift)
                if !field.layout.isBool { parts.append(try valid(bits, field.layout)) }
                used = field.shift + field.layout.width
            }
            if used < layout.tagShift {
                parts.append(try context.equal(context.extract(value, high: layout.tagShift - 1, low: used),
                                               context.numeral(0, context.bitVectorSort(bits: layout.tagShift - used))))
            }
            cases.append(try context.and(parts))
        }
        return try context.or(cases)
    }

    private func decode(_ bits: UInt64, _ layout: Layout) throws(Z3Error) -> Z3Term {
        if layout.isBool { return try context.bool(bits & 1 == 1) }
        if layout.constructors.isEmpty { return try context.numeral(bits, bitVectorSort(layout)) }
        let index = Int(bits >> UInt64(layout.tagShift))
        guard index < layout.constructors.count else { throw Z3Error(message: "\(bits) encodes no value") }
        let constructor = layout.constructors[index]
        var fields: [Z3Term] = []
        for field in constructor.fields {
            fields.append(try decode((bits >> UInt64(field.shift)) & ((1 << UInt64(field.layout.width)) - 1), field.layout))
        }
        let raws: [Z3_ast?] = fields.map(\.raw)
        return try withExtendedLifetime(fields) { () throws(Z3Error) -> Z3Term in
            try context.wrap(Z3_mk_app(raw, constructor.decl, UInt32(fields.count), raws))
        }
    }
}
