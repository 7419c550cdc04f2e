/// A whole model file as written, before names and types are resolved.
struct ModelSyntax {
    var name: (String, SourceLocation)?
    var scheme: (String, SourceLocation)?
    var settings: [(name: String, value: Int, location: SourceLocation)] = []
    var walker: (WalkerCheck, SourceLocation)?
    /// `walker caches upper levels`: where it is written.
    var walkCache: SourceLocation?
    var traps: (PTEWriteTraps, SourceLocation)?
    var hypercallChecks: (HypercallChecks, SourceLocation)?
    var initialSteps: [CallSyntax] = []
    var rules: [RuleSyntax] = []
    var checks: [(String, SourceLocation)] = []
    var expectation: (ExpectationSyntax, SourceLocation)?
}

/// `rule NAME(PARAM: TYPE, ...) atomic|interleaved [when GUARD] do STEP...`
struct RuleSyntax {
    var name: String
    /// Each parameter with where its name and its type are written.
    var parameters: [(name: String, type: String, location: SourceLocation, typeLocation: SourceLocation)]
    var isAtomic: Bool
    var guardCondition: ExpressionSyntax?
    var steps: [CallSyntax]
    var location: SourceLocation
}

enum ExpectationSyntax {
    case holds
    case violated([(String, SourceLocation)])
}
