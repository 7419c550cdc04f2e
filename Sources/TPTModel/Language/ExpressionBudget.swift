/// The one limit on an expression's size, for a model's guards and step
/// arguments and a proof's clauses alike: at most `maxOperators` operators
/// (`and`, `or`, `not`, `=>`, `==`, `!=`, `is vm`, `forall`) and `maxDepth`
/// levels of parentheses and calls. Every stage after the parser (the
/// resolver, both backends, the proof encoder) walks expressions
/// recursively, so a tree this size is what bounds their stack: a guard of
/// 14,000 `and`-ed terms once overflowed it.
struct ExpressionBudget {
    static let maxOperators = 256
    static let maxDepth = 32

    private var operators = 0
    private var depth = 0

    /// A new expression starts: its count starts from zero.
    mutating func start() {
        operators = 0
        depth = 0
    }

    /// One more operator, at the token that spells it.
    mutating func spendOperator(at location: SourceLocation) throws(Diagnostic) {
        operators += 1
        if operators > Self.maxOperators {
            throw Diagnostic("expression has more than \(Self.maxOperators) operators (and, or, not, =>, ==, !=, is vm, forall); split it", at: location)
        }
    }

    /// One level deeper (a parenthesis, a call's arguments); `leave` when done.
    mutating func enter(at location: SourceLocation) throws(Diagnostic) {
        depth += 1
        if depth > Self.maxDepth {
            throw Diagnostic("expression is nested more than \(Self.maxDepth) levels deep", at: location)
        }
    }

    mutating func leave() { depth -= 1 }

    var isAtTop: Bool { depth == 0 }
}
