/// Words that start a declaration; a list of steps ends at the next one.
let declarationKeywords: Set<String> = ["model", "scheme", "config", "walker", "trap", "hypercall", "init", "rule", "check", "expect"]

/// A hand-written recursive-descent parser for `.tpt` files.
///
/// Grammar (line breaks are insignificant; `//` starts a comment):
///
///     file        := declaration*
///     declaration := 'model' NAME | 'scheme' NAME
///                  | 'config' NAME NUMBER (',' NAME NUMBER)*
///                  | 'walker' 'checks' ('tag' 'at' 'every' 'level' | 'tag' 'at' 'leaf' | 'nothing')
///                  | 'walker' 'caches' 'upper' 'levels'
///                  | 'trap' 'pte_writes' ('always' | 'sometimes')
///                  | 'init' call+
///                  | 'rule' NAME '(' (NAME ':' TYPE (',' NAME ':' TYPE)*)? ')'
///                        ('atomic' | 'interleaved') ('when' expr)? 'do' call+
///                  | 'check' NAME (',' NAME)*
///                  | 'expect' ('holds' | 'violated' 'by' NAME)
///     call        := NAME '(' (expr (',' expr)*)? ')' ';'?
///     expr        := and ('or' and)*
///     and         := unary ('and' unary)*
///     unary       := 'not' unary | comparison
///     comparison  := primary (('==' | '!=') primary | 'is' 'vm')?
///     primary     := NUMBER | NAME | call | '(' expr ')'
struct Parser {
    private var tokens: [Token]
    private var position = 0
    /// The current expression's size so far: bounded, so no input can
    /// exhaust the stack (`ExpressionBudget`).
    private var budget = ExpressionBudget()

    init(tokens: [Token]) { self.tokens = tokens }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func error(_ message: String, at token: Token? = nil) -> Diagnostic {
        let token = token ?? current
        return Diagnostic(message, at: token.location)
    }

    private mutating func expectWord(_ word: String, context: String) throws(Diagnostic) {
        guard current.isWord(word) else {
            throw error("expected '\(word)' \(context), found \(current.text)")
        }
        _ = advance()
    }

    private mutating func expectSymbol(_ symbol: String, context: String) throws(Diagnostic) {
        guard current.isSymbol(symbol) else {
            throw error("expected '\(symbol)' \(context), found \(current.text)")
        }
        _ = advance()
    }

    private mutating func name(_ what: String) throws(Diagnostic) -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else {
            throw error("expected \(what), found \(current.text)")
        }
        let location = advance().location
        return (name, location)
    }

    private mutating func number(_ what: String) throws(Diagnostic) -> Int {
        guard case .number(let value) = current.kind else {
            throw error("expected \(what), found \(current.text)")
        }
        _ = advance()
        return value
    }

    mutating func parseModel() throws(Diagnostic) -> ModelSyntax {
        var model = ModelSyntax()
        while current.kind != .end {
            let keyword = current
            guard case .identifier(let word) = keyword.kind, declarationKeywords.contains(word) else {
                throw error("expected a declaration (\(declarationKeywords.sorted().joined(separator: ", "))), found \(current.text)")
            }
            _ = advance()
            func once<T>(_ existing: T?, as declaration: String? = nil) throws(Diagnostic) {
                if existing != nil { throw error("'\(declaration ?? word)' is declared twice", at: keyword) }
            }
            switch word {
            case "model":
                try once(model.name)
                model.name = try name("a model name")
            case "scheme":
                try once(model.scheme)
                model.scheme = try name("a scheme name (\(Scheme.allCases.map(\.rawValue).joined(separator: ", ")))")
            case "config":
                repeat {
                    if current.isSymbol(",") { _ = advance() }
                    let (setting, location) = try name("a configuration setting")
                    let value = try number("a number after '\(setting)'")
                    model.settings.append((setting, value, location))
                } while current.isSymbol(",")
            case "walker" where current.isWord("caches"):
                try once(model.walkCache, as: "walker caches")
                _ = advance()
                try expectWord("upper", context: "after 'walker caches'")
                try expectWord("levels", context: "after 'walker caches upper'")
                model.walkCache = keyword.location
            case "walker":
                try once(model.walker, as: "walker checks")
                model.walker = (try parseWalkerCheck(), keyword.location)
            case "trap":
                try once(model.traps)
                try expectWord("pte_writes", context: "after 'trap'")
                let (word, location) = try name("'always' or 'sometimes'")
                guard let traps = PTEWriteTraps(rawValue: word) else {
                    throw Diagnostic("expected 'always' or 'sometimes' after 'trap pte_writes', found '\(word)'", at: location)
                }
                model.traps = (traps, keyword.location)
            case "hypercall":
                try once(model.hypercallChecks)
                try expectWord("checks", context: "after 'hypercall'")
                var checks: HypercallChecks = []
                if current.isWord("nothing") {
                    _ = advance()
                } else {
                    repeat {
                        if current.isSymbol(",") { _ = advance() }
                        let (word, location) = try name("'owner' or 'read_only_tables'")
                        switch word {
                        case "owner": checks.insert(.owner)
                        case "read_only_tables": checks.insert(.readOnlyTables)
                        default:
                            throw Diagnostic("unknown hypercall check '\(word)' (expected owner, read_only_tables, or nothing)", at: location)
                        }
                    } while current.isSymbol(",")
                }
                model.hypercallChecks = (checks, keyword.location)
            case "init":
                if !model.initialSteps.isEmpty { throw error("'init' is declared twice", at: keyword) }
                model.initialSteps = try parseSteps(after: "init")
            case "rule":
                model.rules.append(try parseRule(at: keyword.location))
            case "check":
                if !model.checks.isEmpty { throw error("'check' is declared twice", at: keyword) }
                repeat {
                    if current.isSymbol(",") { _ = advance() }
                    model.checks.append(try name("a property name"))
                } while current.isSymbol(",")
            case "expect":
                try once(model.expectation)
                if current.isWord("holds") {
                    _ = advance()
                    model.expectation = (.holds, keyword.location)
                } else if current.isWord("violated") {
                    _ = advance()
                    try expectWord("by", context: "after 'violated'")
                    var properties: [(String, SourceLocation)] = []
                    repeat {
                        if current.isSymbol(",") { _ = advance() }
                        properties.append(try name("a property name"))
                    } while current.isSymbol(",")
                    model.expectation = (.violated(properties), keyword.location)
                } else {
                    throw error("expected 'holds' or 'violated by PROPERTY' after 'expect', found \(current.text)")
                }
            default:
                fatalError("unreachable: declaration keyword \(word)")
            }
        }
        return model
    }

    private mutating func parseWalkerCheck() throws(Diagnostic) -> WalkerCheck {
        try expectWord("checks", context: "(or 'caches') after 'walker'")
        if current.isWord("nothing") {
            _ = advance()
            return .nothing
        }
        try expectWord("tag", context: "(walker checks tag at every level | tag at leaf | nothing)")
        try expectWord("at", context: "after 'tag'")
        if current.isWord("leaf") {
            _ = advance()
            return .leafOnly
        }
        try expectWord("every", context: "or 'leaf' after 'tag at'")
        try expectWord("level", context: "after 'every'")
        return .everyLevel
    }

    private mutating func parseRule(at location: SourceLocation) throws(Diagnostic) -> RuleSyntax {
        let (ruleName, _) = try name("a rule name")
        try expectSymbol("(", context: "after the rule name")
        var parameters: [(String, String, SourceLocation, SourceLocation)] = []
        if !current.isSymbol(")") {
            repeat {
                if current.isSymbol(",") { _ = advance() }
                let (parameter, parameterLocation) = try name("a parameter name")
                try expectSymbol(":", context: "after parameter '\(parameter)'")
                let (type, typeLocation) = try name("a parameter type (frame, vm, gpage, vcpu)")
                parameters.append((parameter, type, parameterLocation, typeLocation))
            } while current.isSymbol(",")
        }
        try expectSymbol(")", context: "after the rule's parameters")
        let isAtomic: Bool
        if current.isWord("atomic") {
            isAtomic = true
        } else if current.isWord("interleaved") {
            isAtomic = false
        } else {
            throw error("expected 'atomic' or 'interleaved' after the rule's parameters, found \(current.text)")
        }
        _ = advance()
        var guardCondition: ExpressionSyntax?
        if current.isWord("when") {
            _ = advance()
            guardCondition = try parseExpression()
        }
        try expectWord("do", context: "before the rule's steps")
        let steps = try parseSteps(after: "do")
        return RuleSyntax(name: ruleName, parameters: parameters, isAtomic: isAtomic,
                          guardCondition: guardCondition, steps: steps, location: location)
    }

    private mutating func parseSteps(after keyword: String) throws(Diagnostic) -> [CallSyntax] {
        var steps: [CallSyntax] = []
        while case .identifier(let word) = current.kind, !declarationKeywords.contains(word) {
            let (stepName, location) = try name("a step")
            steps.append(CallSyntax(name: stepName, arguments: try parseArguments(of: stepName), location: location))
            if current.isSymbol(";") { _ = advance() }
        }
        if steps.isEmpty {
            throw error("expected at least one step after '\(keyword)', found \(current.text)")
        }
        return steps
    }

    private mutating func parseArguments(of callee: String) throws(Diagnostic) -> [ExpressionSyntax] {
        try expectSymbol("(", context: "after '\(callee)'")
        var arguments: [ExpressionSyntax] = []
        if !current.isSymbol(")") {
            repeat {
                if current.isSymbol(",") { _ = advance() }
                arguments.append(try parseExpression())
            } while current.isSymbol(",")
        }
        try expectSymbol(")", context: "to close the arguments of '\(callee)'")
        return arguments
    }

    private mutating func parseExpression() throws(Diagnostic) -> ExpressionSyntax {
        if budget.isAtTop { budget.start() }
        try budget.enter(at: current.location)
        defer { budget.leave() }
        var left = try parseAnd()
        while current.isWord("or") {
            let location = advance().location
            try budget.spendOperator(at: location)
            left = .or(left, try parseAnd(), location)
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> ExpressionSyntax {
        var left = try parseUnary()
        while current.isWord("and") {
            let location = advance().location
            try budget.spendOperator(at: location)
            left = .and(left, try parseUnary(), location)
        }
        return left
    }

    private mutating func parseUnary() throws(Diagnostic) -> ExpressionSyntax {
        if current.isWord("not") {
            let location = advance().location
            try budget.spendOperator(at: location)
            var negations = 1
            while current.isWord("not") {
                try budget.spendOperator(at: advance().location)
                negations += 1
            }
            let operand = try parseUnary()
            return negations % 2 == 1 ? .not(operand, location) : operand
        }
        let left = try parsePrimary()
        if current.isSymbol("==") || current.isSymbol("!=") {
            let token = advance()
            try budget.spendOperator(at: token.location)
            return .compare(equal: token.isSymbol("=="), left, try parsePrimary(), token.location)
        }
        if current.isWord("is") {
            let location = advance().location
            try budget.spendOperator(at: location)
            try expectWord("vm", context: "after 'is'")
            return .isVM(left, location)
        }
        return left
    }

    private mutating func parsePrimary() throws(Diagnostic) -> ExpressionSyntax {
        switch current.kind {
        case .number(let value):
            return .number(value, advance().location)
        case .identifier(let word) where !declarationKeywords.contains(word):
            let location = advance().location
            if current.isSymbol("(") {
                return .call(CallSyntax(name: word, arguments: try parseArguments(of: word), location: location))
            }
            return .name(word, location)
        case .symbol("("):
            _ = advance()
            let inner = try parseExpression()
            try expectSymbol(")", context: "to close '('")
            return inner
        default:
            throw error("expected an expression, found \(current.text)")
        }
    }
}
