/// An expression as written: an operand, a call such as `tag(f)`, a comparison,
/// or a boolean combination. Names are resolved later, in `Resolve.swift`.
indirect enum ExpressionSyntax {
    case name(String, SourceLocation)
    case number(Int, SourceLocation)
    case call(CallSyntax)
    case compare(equal: Bool, ExpressionSyntax, ExpressionSyntax, SourceLocation)
    case isVM(ExpressionSyntax, SourceLocation)
    case not(ExpressionSyntax, SourceLocation)
    case and(ExpressionSyntax, ExpressionSyntax, SourceLocation)
    case or(ExpressionSyntax, ExpressionSyntax, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .name(_, let l), .number(_, let l), .compare(_, _, _, let l), .isVM(_, let l),
             .not(_, let l), .and(_, _, let l), .or(_, _, let l):
            return l
        case .call(let call):
            return call.location
        }
    }

    /// The first call written in the expression with one of the names, if any.
    func firstCall(named names: Set<String>) -> CallSyntax? {
        switch self {
        case .name, .number: return nil
        case .call(let call): return names.contains(call.name) ? call : nil
        case .compare(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            return left.firstCall(named: names) ?? right.firstCall(named: names)
        case .isVM(let inner, _), .not(let inner, _): return inner.firstCall(named: names)
        }
    }
}

/// `name(argument, ...)`: a primitive step, or a function in a guard.
struct CallSyntax {
    var name: String
    var arguments: [ExpressionSyntax]
    var location: SourceLocation
}
