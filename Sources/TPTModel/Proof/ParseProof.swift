/// Reads a proof file: its header, then each clause, resolving names and sorts
/// as it goes against the model the header names (`model(name, location)` loads
/// it, or throws a diagnostic at that location).
///
/// ```
/// proof tpt
/// model tpt
/// proves isolation, no_data_leak
/// clause cached:
///   forall v: vm, p: page, f: frame. tlb(v, p) == f =>
///     owner(f) == v or (owner(f) == free and running(f, reclaim, 2..4) and reclaim.v(f) == v)
/// ```
public func parseProof(_ text: String, file: String,
                       model load: (String, SourceLocation) throws(Diagnostic) -> Model) throws(Diagnostic) -> (ProofSpecification, Model) {
    var parser = ProofParser(tokens: try lex(text, file: file), file: file)
    return try parser.parseFile(load)
}

private struct ProofParser {
    let tokens: [Token]
    let file: String
    var position = 0
    var model: Model!
    /// Bound variables, innermost last.
    var scope: [(name: String, sort: ProofSort)] = []
    /// The current clause's size so far: bounded, so no input can exhaust
    /// the stack (`ExpressionBudget`, the limit models have too).
    var budget = ExpressionBudget()

    init(tokens: [Token], file: String) {
        self.tokens = tokens
        self.file = file
    }

    var current: Token { tokens[position] }

    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func error(_ message: String, at token: Token? = nil) -> Diagnostic {
        Diagnostic(message, at: (token ?? current).location)
    }

    mutating func expectWord(_ word: String, _ context: String) throws(Diagnostic) {
        guard current.isWord(word) else { throw error("expected '\(word)' \(context), found \(current.text)") }
        _ = advance()
    }

    mutating func expectSymbol(_ symbol: String, _ context: String) throws(Diagnostic) {
        guard current.isSymbol(symbol) else { throw error("expected '\(symbol)' \(context), found \(current.text)") }
        _ = advance()
    }

    mutating func name(_ what: String) throws(Diagnostic) -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else { throw error("expected \(what), found \(current.text)") }
        return (name, advance().location)
    }

    // MARK: Header and clauses

    mutating func parseFile(_ load: (String, SourceLocation) throws(Diagnostic) -> Model) throws(Diagnostic) -> (ProofSpecification, Model) {
        try expectWord("proof", "at the start of a proof file")
        let (proofName, _) = try name("a proof name")
        try expectWord("model", "after the proof's name")
        let (modelName, modelLocation) = try name("a model name (Models/NAME.tpt)")
        model = try load(modelName, modelLocation)
        try expectWord("proves", "after the model's name")
        var properties: [Property] = []
        repeat {
            if current.isSymbol(",") { _ = advance() }
            let (propertyName, location) = try name("a property name")
            guard let property = Property(rawValue: propertyName) else {
                throw Diagnostic("a proof proves isolation, no_data_leak or equivalent_to_nested, not '\(propertyName)'", at: location)
            }
            if let first = properties.first, first.isSafety != property.isSafety {
                throw Diagnostic("a proof of equivalent_to_nested proves nothing else: its transitions are the product with nested paging",
                                 at: location)
            }
            guard model.properties.contains(property) else {
                throw Diagnostic("model '\(model.name)' does not check '\(propertyName)'", at: location)
            }
            if properties.contains(property) { throw Diagnostic("property '\(propertyName)' is named twice", at: location) }
            properties.append(property)
        } while current.isSymbol(",")
        var clauses: [Clause] = []
        while current.kind != .end {
            let keyword = current
            try expectWord("clause", "(each clause is 'clause NAME: FORMULA')")
            let (clauseName, _) = try name("a clause name")
            if clauses.contains(where: { $0.name == clauseName }) {
                throw error("clause '\(clauseName)' is declared twice", at: keyword)
            }
            try expectSymbol(":", "after the clause's name")
            budget.start()
            clauses.append(Clause(name: clauseName, formula: try formula(), location: keyword.location))
        }
        if clauses.isEmpty { throw error("a proof needs at least one clause") }
        return (ProofSpecification(name: proofName, file: file, modelName: modelName, modelLocation: modelLocation,
                                   properties: properties, clauses: clauses), model)
    }

    // MARK: Formulas

    mutating func formula() throws(Diagnostic) -> Formula {
        if current.isWord("forall") {
            try budget.spendOperator(at: advance().location)
            var bound: [(name: String, sort: ProofSort)] = []
            repeat {
                if current.isSymbol(",") { _ = advance() }
                let (variable, _) = try name("a variable name")
                try expectSymbol(":", "after '\(variable)'")
                let (sortName, location) = try name("a sort (frame, vm, gpage, page, vcpu)")
                guard let sort = ProofSort(rawValue: sortName), sort != .ownership else {
                    throw Diagnostic("unknown sort '\(sortName)' (expected frame, vm, gpage, page, vcpu)", at: location)
                }
                bound.append((variable, sort))
            } while current.isSymbol(",")
            try expectSymbol(".", "after the bound variables")
            scope += bound
            defer { scope.removeLast(bound.count) }
            return .forall(bound, try formula())
        }
        let left = try disjunction()
        if current.isSymbol("=>") {
            try budget.spendOperator(at: advance().location)
            return .implies(left, try formula())
        }
        return left
    }

    mutating func disjunction() throws(Diagnostic) -> Formula {
        var result = try conjunction()
        while current.isWord("or") {
            try budget.spendOperator(at: advance().location)
            result = .or(result, try conjunction())
        }
        return result
    }

    mutating func conjunction() throws(Diagnostic) -> Formula {
        var result = try unary()
        while current.isWord("and") {
            try budget.spendOperator(at: advance().location)
            result = .and(result, try unary())
        }
        return result
    }

    mutating func unary() throws(Diagnostic) -> Formula {
        if current.isWord("not") {
            try budget.spendOperator(at: advance().location)
            return .not(try unary())
        }
        if current.isSymbol("(") {
            try budget.enter(at: advance().location)
            defer { budget.leave() }
            let inner = try formula()
            try expectSymbol(")", "to close '('")
            return inner
        }
        return try atom()
    }

    mutating func atom() throws(Diagnostic) -> Formula {
        let start = current
        if start.isWord("true") || start.isWord("false") {
            _ = advance()
            return .constant(start.isWord("true"))
        }
        if start.isWord("running") { return try running() }
        if start.isWord("pinned") {
            _ = advance()
            let arguments = try termArguments(1, "frame")
            return .pinned(try require(arguments[0], .frame))
        }
        if start.isWord("flush_pending") || start.isWord("descheduled") {
            _ = advance()
            let arguments = try termArguments(2, "vm, vcpu")
            return .vcpuFlag(start.isWord("descheduled") ? .descheduled : .flushPending,
                             vm: try require(arguments[0], .vm), vcpu: try require(arguments[1], .vcpu))
        }
        if start.isWord("walk_cached") {
            _ = advance()
            let arguments = try termArguments(3, "vm, vcpu, frame")
            return .walkCached(vm: try require(arguments[0], .vm), vcpu: try require(arguments[1], .vcpu), frame: try require(arguments[2], .frame))
        }
        if start.isWord("writable") {
            _ = advance()
            try expectSymbol("(", "after 'writable'")
            let permissions = model.configuration.permissions
            guard let entries = EntryMap.allCases.first(where: { current.isWord($0.rawValue) }), entries.hasPermission(permissions: permissions) else {
                throw error("expected tlb(...), direct(...), gpt(...)\(permissions ? ", nested(...)" : "") or reference_tlb(...) inside writable(...)")
            }
            _ = advance()
            let (vm, indices) = try entryArguments(entries)
            try expectSymbol(")", "to close 'writable('")
            return .writable(entries, vm: vm, indices: indices)
        }
        if let entries = EntryMap.allCases.first(where: { start.isWord($0.rawValue) }) {
            _ = advance()
            let (vm, indices) = try entryArguments(entries)
            let equal = current.isSymbol("==")
            guard equal || current.isSymbol("!=") else { throw error("expected '==' or '!=' after \(entries.rawValue)(...)") }
            _ = advance()
            var target: Term?
            if current.isWord("empty") { _ = advance() } else { target = try require(try term(), entries.sorts(under: model.scheme).target) }
            let maps = Formula.maps(entries, vm: vm, indices: indices, target: target)
            return equal ? maps : .not(maps)
        }
        let left = try term()
        if current.isWord("is") {
            _ = advance()
            try expectWord("vm", "after 'is'")
            return .namesVM(try require(left, .ownership))
        }
        let equal = current.isSymbol("==")
        guard equal || current.isSymbol("!=") else {
            throw error("expected '==', '!=' or 'is vm' after a value, found \(current.text)")
        }
        let operatorToken = advance()
        let right = try term()
        let comparison: Formula
        switch (left.sort, right.sort) {
        case let (a, b) where a == b: comparison = .equal(left.term, right.term)
        case (.ownership, .vm): comparison = .equal(left.term, .owned(right.term))
        case (.vm, .ownership): comparison = .equal(.owned(left.term), right.term)
        default:
            throw Diagnostic("cannot compare a \(left.sort.rawValue) with a \(right.sort.rawValue)", at: operatorToken.location)
        }
        return equal ? comparison : .not(comparison)
    }

    /// `(v, c, p)` for a TLB, `(v, i)` for a per-VM table, `(v, c)` for a root: a
    /// VM, then the indices of the map's sorts.
    mutating func entryArguments(_ entries: EntryMap) throws(Diagnostic) -> (Term, [Term]) {
        let sorts = [.vm] + entries.sorts(under: model.scheme).indices
        let arguments = try termArguments(sorts.count, sorts.map(\.rawValue).joined(separator: ", "))
        var terms: [Term] = []
        for (argument, sort) in zip(arguments, sorts) { terms.append(try require(argument, sort)) }
        return (terms[0], Array(terms.dropFirst()))
    }

    /// `running(f, RULE)`, `running(f, RULE, 3)` or `running(f, RULE, 2..4)`:
    /// the rule is in progress on the frame, its next step among those given.
    mutating func running() throws(Diagnostic) -> Formula {
        _ = advance()
        try expectSymbol("(", "after 'running'")
        let frame = try require(try term(), .frame)
        try expectSymbol(",", "after the frame")
        let (ruleName, ruleLocation) = try name("a rule name")
        let rule = try interleavedRule(ruleName, at: ruleLocation)
        var steps: ClosedRange<Int>?
        if current.isSymbol(",") {
            _ = advance()
            let stepsToken = current
            let first = try number("a step number")
            var last = first
            if current.isSymbol("..") {
                _ = advance()
                last = try number("a step number")
            }
            let count = model.rules[rule].steps.count
            guard first >= 2, last >= first, last <= count else {
                throw error("'\(ruleName)' has steps 1 to \(count); a rule in progress is next at step 2 to \(count)", at: stepsToken)
            }
            steps = first...last
        }
        try expectSymbol(")", "to close 'running('")
        return .running(frame: frame, rule: rule, nextSteps: steps)
    }

    mutating func number(_ what: String) throws(Diagnostic) -> Int {
        guard case .number(let value) = current.kind else { throw error("expected \(what), found \(current.text)") }
        _ = advance()
        return value
    }

    func interleavedRule(_ name: String, at location: SourceLocation) throws(Diagnostic) -> Int {
        guard let rule = model.rules.firstIndex(where: { $0.name == name }) else {
            throw Diagnostic("model '\(model.name)' has no rule '\(name)'", at: location)
        }
        guard !model.rules[rule].isAtomic else {
            throw Diagnostic("rule '\(name)' is atomic: it is never in progress", at: location)
        }
        return rule
    }

    // MARK: Terms

    mutating func termArguments(_ count: Int, _ signature: String) throws(Diagnostic) -> [(term: Term, sort: ProofSort, location: SourceLocation)] {
        let call = tokens[position - 1]
        try budget.enter(at: current.location)
        defer { budget.leave() }
        try expectSymbol("(", "after \(call.text)")
        var arguments: [(term: Term, sort: ProofSort, location: SourceLocation)] = []
        while !current.isSymbol(")") {
            if !arguments.isEmpty { try expectSymbol(",", "between arguments") }
            arguments.append(try term())
        }
        _ = advance()
        guard arguments.count == count else {
            throw Diagnostic("\(call.text) takes \(count) argument\(count == 1 ? "" : "s") (\(signature)), not \(arguments.count)", at: call.location)
        }
        return arguments
    }

    func require(_ value: (term: Term, sort: ProofSort, location: SourceLocation), _ sort: ProofSort) throws(Diagnostic) -> Term {
        guard value.sort == sort else {
            throw Diagnostic("expected a \(sort.rawValue) here, not a \(value.sort.rawValue)", at: value.location)
        }
        return value.term
    }

    private static let literalPrefixes: [(String, ProofSort)] = [("vm", .vm), ("f", .frame), ("g", .gpage), ("p", .page), ("cpu", .vcpu)]

    mutating func term() throws(Diagnostic) -> (term: Term, sort: ProofSort, location: SourceLocation) {
        let (word, location) = try name("a value (a variable, f0, vm0, free, owner(f), ...)")
        switch word {
        case "free": return (.free, .ownership, location)
        case "host": return (.host, .ownership, location)
        case "owner", "tag", "writer":
            let frame = try require(try termArguments(1, "frame")[0], .frame)
            let term: Term = word == "owner" ? .owner(frame) : word == "tag" ? .tag(frame) : .writer(frame)
            return (term, .ownership, location)
        case "ro" where current.isSymbol("("):
            guard model.configuration.permissions else {
                throw Diagnostic("model '\(model.name)' grants no read-only access (no ro(...) in its steps or guards), so no owner or tag is ro(v)",
                                 at: location)
            }
            return (.ownedReadOnly(try require(try termArguments(1, "vm")[0], .vm)), .ownership, location)
        case "rmp" where model.scheme.hasReverseMap:
            return (.rmp(try require(try termArguments(1, "frame")[0], .frame)), .ownership, location)
        default:
            break
        }
        if let entries = EntryMap.allCases.first(where: { $0.rawValue == word }), current.isSymbol("(") {
            // As a value, an entry stands for what it names.
            let (vm, indices) = try entryArguments(entries)
            return (.target(entries, vm: vm, indices: indices), entries.sorts(under: model.scheme).target, location)
        }
        if current.isSymbol(".") {
            // RULE.PARAMETER(frame): a parameter of the rule in progress on the frame.
            _ = advance()
            let rule = try interleavedRule(word, at: location)
            let (parameterName, parameterLocation) = try name("a parameter of rule '\(word)'")
            guard let parameter = model.rules[rule].parameters.firstIndex(where: { $0.name == parameterName }) else {
                throw Diagnostic("rule '\(word)' has no parameter '\(parameterName)'", at: parameterLocation)
            }
            let frame = try require(try termArguments(1, "frame")[0], .frame)
            let sort = ProofSort(rawValue: model.rules[rule].parameters[parameter].type.rawValue)!
            return (.argument(rule: rule, parameter: parameter, frame: frame), sort, location)
        }
        if let bound = scope.last(where: { $0.name == word }) {
            return (.variable(word, bound.sort), bound.sort, location)
        }
        for (prefix, sort) in Self.literalPrefixes where word.hasPrefix(prefix) {
            guard let index = literalIndex(word.dropFirst(prefix.count)) else { continue }
            let c = model.configuration
            let count = [ProofSort.frame: c.frames, .vm: c.vms, .gpage: c.gpages, .page: c.virtualPages, .vcpu: c.vcpus][sort]!
            guard index < count else {
                throw Diagnostic("\(sort.rawValue) '\(word)' is out of range: model '\(model.name)' has \(count) \(sort.rawValue)s", at: location)
            }
            return (.literal(sort, index), sort, location)
        }
        throw Diagnostic("unknown name '\(word)' (expected a bound variable, a literal such as f0 or vm1, free, host, owner(f), tag(f), writer(f), rmp(f) (snp), an entry such as gpt(v, p), or RULE.PARAMETER(f))", at: location)
    }
}
