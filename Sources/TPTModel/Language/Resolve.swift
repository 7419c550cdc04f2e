/// Reads a model file: lex, parse, then resolve names and types into a `Model`.
///
/// Every problem is one `Diagnostic` with the file, line and column of the offending
/// text; nothing is returned for a file with an error.
public func parseModel(_ text: String, file: String) throws(Diagnostic) -> Model {
    var parser = Parser(tokens: try lex(text, file: file))
    let syntax = try parser.parseModel()
    var resolver = Resolver(file: file)
    return try resolver.resolve(syntax)
}

/// Turns syntax into a model: checks every name, type and range.
struct Resolver {
    let file: String
    var configuration = Configuration()
    var scheme = Scheme.tpt

    init(file: String) { self.file = file }

    private var fileStart: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    mutating func resolve(_ syntax: ModelSyntax) throws(Diagnostic) -> Model {
        guard let (name, _) = syntax.name else {
            throw Diagnostic("missing 'model NAME' declaration", at: fileStart)
        }
        guard let (schemeName, schemeLocation) = syntax.scheme else {
            throw Diagnostic("missing 'scheme' declaration (\(Scheme.allCases.map(\.rawValue).joined(separator: ", ")))", at: fileStart)
        }
        guard let resolvedScheme = Scheme(rawValue: schemeName) else {
            throw Diagnostic("unknown scheme '\(schemeName)' (expected \(Scheme.allCases.map(\.rawValue).joined(separator: ", ")))", at: schemeLocation)
        }
        scheme = resolvedScheme

        var seenSettings: Set<String> = []
        for (setting, value, location) in syntax.settings {
            guard let entry = Configuration.settings.first(where: { $0.name == setting }) else {
                let known = Configuration.settings.map(\.name).joined(separator: ", ")
                throw Diagnostic("unknown configuration setting '\(setting)' (expected one of \(known))", at: location)
            }
            guard seenSettings.insert(setting).inserted else {
                throw Diagnostic("configuration setting '\(setting)' is given twice", at: location)
            }
            guard entry.range.contains(value) else {
                throw Diagnostic("'\(setting)' must be between \(entry.range.lowerBound) and \(entry.range.upperBound), not \(value)", at: location)
            }
            configuration[keyPath: entry.keyPath] = value
        }

        let features = scheme.features
        let walkerCheck = syntax.walker?.0 ?? (features.hardwareTags ? .everyLevel : .nothing)
        if let (check, location) = syntax.walker, check != .nothing, !features.hardwareTags {
            throw Diagnostic("the walker checks hardware tags only under \(Self.schemes(having: \.hardwareTags)) (use 'walker checks nothing')", at: location)
        }
        if let location = syntax.walkCache {
            // A cached entry names a frame, the table below it; under nested
            // and snp the guest's entries name guest-physical pages, which
            // the model's caches do not hold.
            guard features.hardwareTags else {
                throw Diagnostic("the walker caches upper levels only under \(Self.schemes(having: \.hardwareTags))", at: location)
            }
            guard configuration.levels >= 2 else {
                throw Diagnostic("a walk of 1 level has no upper level to cache (set 'levels' to 2 or more)", at: location)
            }
            configuration.walkCache = true
        }
        if let (_, location) = syntax.traps, !features.shadowsGuestTables {
            throw Diagnostic("'trap pte_writes' applies only under \(Self.schemes(having: \.shadowsGuestTables))", at: location)
        }
        if let (_, location) = syntax.hypercallChecks, !features.validatesGuestUpdates {
            throw Diagnostic("'hypercall checks' applies only under \(Self.schemes(having: \.validatesGuestUpdates))", at: location)
        }
        let noParameters: [Parameter] = []
        var initialSteps: [Step] = []
        for call in syntax.initialSteps {
            let step = try resolveStep(call, parameters: noParameters)
            if step.usesFlushRequests {
                throw Diagnostic("'\(call.name)' is part of the flush-request protocol, between the host and running vCPUs: "
                                 + "the initial state has no vCPU running yet", at: call.location)
            }
            initialSteps.append(step)
        }

        var rules: [Rule] = []
        for ruleSyntax in syntax.rules {
            if rules.contains(where: { $0.name == ruleSyntax.name }) {
                throw Diagnostic("rule '\(ruleSyntax.name)' is declared twice", at: ruleSyntax.location)
            }
            rules.append(try resolveRule(ruleSyntax))
        }
        if rules.count > 15 {
            throw Diagnostic("a model may have at most 15 rules", at: syntax.rules[15].location)
        }
        // Where the flush-request protocol is first written, if anywhere: a
        // step, or a guard that reads its state.
        let flushRequests = zip(rules, syntax.rules).lazy.compactMap { rule, ruleSyntax in
            rule.steps.firstIndex(where: \.usesFlushRequests).map { ruleSyntax.steps[$0] }
                ?? ruleSyntax.guardCondition?.firstCall(named: Self.flushRequestTests)
        }.first
        configuration.flushRequests = flushRequests != nil
        configuration.permissions = Model.usePermissions(initialSteps, rules)
        let bits = [TransitionSystem.View.safety, .equivalence].map {
            StateLayout(scheme: scheme, configuration: configuration, view: $0, maxRuleParameters: Rule.maxParameters, rules: 15).bits
        }.max()!
        if bits > PackedState.capacityBits {
            throw Diagnostic("this configuration needs \(bits) bits of state; at most \(PackedState.capacityBits) fit in a packed state",
                             at: syntax.settings.first?.location ?? fileStart)
        }

        var properties: [Property] = []
        for (propertyName, location) in syntax.checks {
            let property = try resolveProperty(propertyName, at: location)
            if properties.contains(property) {
                throw Diagnostic("property '\(propertyName)' is checked twice", at: location)
            }
            if property == .equivalence, let cache = syntax.walkCache {
                throw Diagnostic("'\(propertyName)' compares one page's translation, with no multi-level walk to cache; "
                                 + "'walker caches upper levels' at \(cache.line):\(cache.column)", at: location)
            }
            if property == .equivalence, let call = flushRequests {
                throw Diagnostic("'\(propertyName)' runs every rule whole, so no rule can wait for a vCPU's acknowledgement; "
                                 + "'\(call.name)' at \(call.location.line):\(call.location.column) "
                                 + (Self.flushRequestTests.contains(call.name) ? "reads the state of flush requests" : "sends flush requests"), at: location)
            }
            if property == .equivalence && !scheme.comparesWithNested {
                throw Diagnostic("'\(propertyName)' compares a scheme with nested paging; under scheme \(scheme.rawValue) there is nothing to compare "
                                 + "(its translation is nested paging's, checks added)", at: location)
            }
            properties.append(property)
        }
        if properties.isEmpty {
            throw Diagnostic("missing 'check PROPERTY, ...' declaration", at: fileStart)
        }

        guard let (expectationSyntax, _) = syntax.expectation else {
            throw Diagnostic("missing 'expect holds' or 'expect violated by PROPERTY' declaration", at: fileStart)
        }
        let expectation: Expectation
        switch expectationSyntax {
        case .holds:
            expectation = .holds
        case .violated(let names):
            var expected: [Property] = []
            for (propertyName, location) in names {
                let property = try resolveProperty(propertyName, at: location)
                guard properties.contains(property) else {
                    throw Diagnostic("expected violation of '\(propertyName)', which the model does not check", at: location)
                }
                if expected.contains(property) {
                    throw Diagnostic("property '\(propertyName)' is named twice", at: location)
                }
                expected.append(property)
            }
            expectation = .violated(expected)
        }

        return Model(name: name, file: file, scheme: scheme, configuration: configuration,
                     walkerCheck: walkerCheck, pteWriteTraps: syntax.traps?.0 ?? .always,
                     hypercallChecks: syntax.hypercallChecks?.0 ?? .all, initialSteps: initialSteps, rules: rules,
                     properties: properties, expectation: expectation)
    }

    private func resolveProperty(_ name: String, at location: SourceLocation) throws(Diagnostic) -> Property {
        guard let property = Property(rawValue: name) else {
            throw Diagnostic("unknown property '\(name)' (expected \(Property.allCases.map(\.rawValue).joined(separator: ", ")))", at: location)
        }
        return property
    }

    private func resolveRule(_ syntax: RuleSyntax) throws(Diagnostic) -> Rule {
        var parameters: [Parameter] = []
        for (name, typeName, location, typeLocation) in syntax.parameters {
            guard let type = ValueType(rawValue: typeName) else {
                throw Diagnostic("unknown parameter type '\(typeName)' (expected frame, vm, gpage, vcpu)", at: typeLocation)
            }
            if parameters.contains(where: { $0.name == name }) {
                throw Diagnostic("parameter '\(name)' is declared twice", at: location)
            }
            if parameters.count == Rule.maxParameters {
                throw Diagnostic("a rule may take at most \(Rule.maxParameters) parameters", at: location)
            }
            parameters.append(Parameter(name: name, type: type))
        }
        let guardCondition = try syntax.guardCondition.map { (expression) throws(Diagnostic) in
            try resolveGuard(expression, parameters: parameters)
        } ?? .always
        var steps: [Step] = []
        for call in syntax.steps {
            steps.append(try resolveStep(call, parameters: parameters))
        }
        if steps.count > 15 {
            throw Diagnostic("a rule may have at most 15 steps", at: syntax.steps[15].location)
        }
        if syntax.isAtomic, let index = steps.firstIndex(where: { if case .awaitFlush = $0 { true } else { false } }) {
            throw Diagnostic("'await_flush' waits for guest steps (the vCPUs' acknowledgements), so it can only be a step of an "
                             + "interleaved rule; rule '\(syntax.name)' is atomic", at: syntax.steps[index].location)
        }
        return Rule(name: syntax.name, parameters: parameters, isAtomic: syntax.isAtomic,
                    guardCondition: guardCondition, steps: steps, location: syntax.location)
    }

    // MARK: Operands

    private func count(of type: ValueType) -> Int {
        switch type {
        case .frame: return configuration.frames
        case .vm: return configuration.vms
        case .gpage: return configuration.gpages
        case .vcpu: return configuration.vcpus
        }
    }

    /// The type of a page-table entry's or root's target: a frame under tpt and
    /// pv, a guest-physical page under nested paging.
    private var targetType: ValueType { scheme.guestTablesNameGuestPhysical ? .gpage : .frame }

    private static let literalPrefixes: [(prefix: String, type: ValueType)] = [("vm", .vm), ("f", .frame), ("g", .gpage), ("cpu", .vcpu)]

    private func resolveOperand(_ expression: ExpressionSyntax, as type: ValueType, parameters: [Parameter]) throws(Diagnostic) -> Operand {
        guard case .name(let name, let location) = expression else {
            throw Diagnostic("expected a \(type.rawValue) (a parameter or a literal such as \(Self.example(type)))", at: expression.location)
        }
        if let index = parameters.firstIndex(where: { $0.name == name }) {
            guard parameters[index].type == type else {
                throw Diagnostic("'\(name)' is a \(parameters[index].type.rawValue), but a \(type.rawValue) is expected here", at: location)
            }
            return .parameter(index)
        }
        for (prefix, literalType) in Self.literalPrefixes where name.hasPrefix(prefix) {
            guard let value = literalIndex(name.dropFirst(prefix.count)) else { continue }
            guard literalType == type else {
                throw Diagnostic("'\(name)' is a \(literalType.rawValue), but a \(type.rawValue) is expected here", at: location)
            }
            guard value < count(of: type) else {
                throw Diagnostic("\(type.rawValue) '\(name)' is out of range: the configuration has \(count(of: type)) \(type.rawValue)s", at: location)
            }
            return .constant(value)
        }
        throw Diagnostic("unknown name '\(name)' (expected a \(type.rawValue): a parameter or a literal such as \(Self.example(type)))", at: location)
    }

    private static func example(_ type: ValueType) -> String {
        switch type {
        case .frame: return "f0"
        case .vm: return "vm0"
        case .gpage: return "g0"
        case .vcpu: return "cpu0"
        }
    }

    private func resolveTag(_ expression: ExpressionSyntax, parameters: [Parameter]) throws(Diagnostic) -> TagValue {
        if case .name("free", _) = expression { return .free }
        if case .name("host", _) = expression { return .host }
        if let vm = try readOnly(expression, as: .vm, parameters: parameters) { return .readOnly(vm) }
        do {
            return .vm(try resolveOperand(expression, as: .vm, parameters: parameters))
        } catch {
            throw Diagnostic("expected a tag: free, host, or a vm (ro(VM) for one that may only read)", at: expression.location)
        }
    }

    /// `ro(X)`: the value X, granting read access only; nil for any other expression.
    private func readOnly(_ expression: ExpressionSyntax, as type: ValueType, parameters: [Parameter]) throws(Diagnostic) -> Operand? {
        guard case .call(let call) = expression, call.name == "ro" else { return nil }
        let a = try arguments(call, 1, type.rawValue)
        do {
            return try resolveOperand(a[0], as: type, parameters: parameters)
        } catch {
            throw Diagnostic("expected a \(type.rawValue) inside ro(...): \(error.message)", at: a[0].location)
        }
    }

    /// A frame operand that may be written `ro(F)`: the frame and whether it is writable.
    private func frameWithPermission(_ expression: ExpressionSyntax, parameters: [Parameter]) throws(Diagnostic) -> (Operand, writable: Bool) {
        if let frame = try readOnly(expression, as: .frame, parameters: parameters) { return (frame, false) }
        return (try resolveOperand(expression, as: .frame, parameters: parameters), true)
    }

    /// The guard tests that read the flush-request protocol's state.
    static let flushRequestTests: Set<String> = ["flush_pending", "descheduled"]

    // MARK: Steps

    private func arguments(_ call: CallSyntax, _ count: Int, _ signature: String) throws(Diagnostic) -> [ExpressionSyntax] {
        guard call.arguments.count == count else {
            throw Diagnostic("'\(call.name)' takes \(count) argument\(count == 1 ? "" : "s") (\(signature)), not \(call.arguments.count)", at: call.location)
        }
        return call.arguments
    }

    /// `owner` exists under every scheme; hardware `tag`s only under tpt.
    private func ownershipRecord(_ name: String, at location: SourceLocation) throws(Diagnostic) -> OwnershipRecord {
        let record = OwnershipRecord(rawValue: name)!
        if record == .tag && !scheme.features.hardwareTags {
            throw Diagnostic("hardware tags exist only under \(Self.schemes(having: \.hardwareTags)) (use owner for the host's record)", at: location)
        }
        return record
    }

    /// Refuses a step or test that needs what the model's scheme lacks.
    private func require(_ feature: KeyPath<SchemeFeatures, Bool>, _ call: CallSyntax) throws(Diagnostic) {
        if !scheme.features[keyPath: feature] {
            throw Diagnostic("'\(call.name)' exists only under \(Self.schemes(having: feature))", at: call.location)
        }
    }

    /// `scheme pv`, or `schemes nested, snp`: the schemes that have the feature.
    static func schemes(having feature: KeyPath<SchemeFeatures, Bool>) -> String {
        let names = Scheme.allCases.filter { $0.features[keyPath: feature] }.map(\.rawValue)
        return (names.count == 1 ? "scheme " : "schemes ") + names.joined(separator: ", ")
    }

    private func resolveStep(_ call: CallSyntax, parameters: [Parameter]) throws(Diagnostic) -> Step {
        let p = parameters
        switch call.name {
        case "set_owner", "set_tag":
            let record = try ownershipRecord(String(call.name.dropFirst(4)), at: call.location)
            let a = try arguments(call, 2, "frame, \(record.rawValue)")
            return .setOwnership(record, frame: try resolveOperand(a[0], as: .frame, parameters: p), try resolveTag(a[1], parameters: p))
        case "shootdown":
            let a = try arguments(call, call.arguments.count == 3 ? 3 : 1, "frame; or frame, vm, vcpu")
            return .shootdown(frame: try resolveOperand(a[0], as: .frame, parameters: p),
                              vm: a.count == 3 ? try resolveOperand(a[1], as: .vm, parameters: p) : nil,
                              vcpu: a.count == 3 ? try resolveOperand(a[2], as: .vcpu, parameters: p) : nil)
        case "scrub":
            let a = try arguments(call, 1, "frame")
            return .scrub(frame: try resolveOperand(a[0], as: .frame, parameters: p))
        case "shootdown_tables":
            guard configuration.walkCache else {
                throw Diagnostic("'shootdown_tables' removes paging-structure-cache entries; this model's walker caches none "
                                 + "(declare 'walker caches upper levels')", at: call.location)
            }
            let a = try arguments(call, 1, "frame")
            return .shootdownTables(frame: try resolveOperand(a[0], as: .frame, parameters: p))
        case "flush_tlb":
            let a = try arguments(call, call.arguments.count == 2 ? 2 : 1, "vm; or vm, vcpu")
            return .flushTLB(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                             vcpu: a.count == 2 ? try resolveOperand(a[1], as: .vcpu, parameters: p) : nil)
        case "set_writer":
            let a = try arguments(call, 2, "frame, vm")
            return .setWriter(frame: try resolveOperand(a[0], as: .frame, parameters: p),
                              vm: try resolveOperand(a[1], as: .vm, parameters: p))
        case "set_root":
            if !scheme.features.hasRoot {
                throw Diagnostic("'set_root' does not apply under scheme \(scheme.rawValue): the hardware walks the shadow", at: call.location)
            }
            let a = try arguments(call, call.arguments.count == 3 ? 3 : 2, "vm, \(targetType.rawValue); or vm, vcpu, \(targetType.rawValue)")
            return .setRoot(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                            vcpu: a.count == 3 ? try resolveOperand(a[1], as: .vcpu, parameters: p) : nil,
                            target: try resolveOperand(a[a.count - 1], as: targetType, parameters: p))
        case "nested_map":
            let a = try arguments(call, 3, "vm, gpage, frame or ro(frame)")
            let (frame, writable) = try frameWithPermission(a[2], parameters: p)
            return .nestedMap(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                              gpage: try resolveOperand(a[1], as: .gpage, parameters: p), frame: frame, writable: writable)
        case "nested_unmap":
            let a = try arguments(call, 2, "vm, gpage")
            return .nestedUnmap(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                                gpage: try resolveOperand(a[1], as: .gpage, parameters: p))
        case "shadow_zap":
            try require(\.shadowsGuestTables, call)
            let a = try arguments(call, 2, "vm, gpage")
            return .shadowZap(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                              gpage: try resolveOperand(a[1], as: .gpage, parameters: p))
        case "pin", "unpin":
            try require(\.pinnedFrames, call)
            let frame = try resolveOperand(try arguments(call, 1, "frame")[0], as: .frame, parameters: p)
            return call.name == "pin" ? .pin(frame: frame) : .unpin(frame: frame)
        case "revoke":
            if !scheme.features.hasHostMadeEntries {
                throw Diagnostic("'revoke' removes host-made entries (shadow, pv, or a TPT guest's 1-D entries); scheme \(scheme.rawValue) has none", at: call.location)
            }
            let a = try arguments(call, 1, "frame")
            return .revoke(frame: try resolveOperand(a[0], as: .frame, parameters: p))
        case "rmp_assign":
            try require(\.reverseMap, call)
            let a = try arguments(call, 3, "frame, vm, gpage")
            return .rmpAssign(frame: try resolveOperand(a[0], as: .frame, parameters: p), vm: try resolveOperand(a[1], as: .vm, parameters: p),
                              gpage: try resolveOperand(a[2], as: .gpage, parameters: p))
        case "rmp_clear":
            try require(\.reverseMap, call)
            let a = try arguments(call, 1, "frame")
            return .rmpClear(frame: try resolveOperand(a[0], as: .frame, parameters: p))
        case "request_flush", "request_flush_running":
            let a = try arguments(call, 1, "vm")
            return .requestFlush(vm: try resolveOperand(a[0], as: .vm, parameters: p), runningOnly: call.name == "request_flush_running")
        case "await_flush":
            let a = try arguments(call, 1, "vm")
            return .awaitFlush(vm: try resolveOperand(a[0], as: .vm, parameters: p))
        default:
            throw Diagnostic("unknown step '\(call.name)' (expected set_owner, set_tag, shootdown, shootdown_tables, scrub, flush_tlb, set_writer, set_root, nested_map, nested_unmap, shadow_zap, pin, unpin, revoke, rmp_assign, rmp_clear, request_flush, request_flush_running, await_flush)", at: call.location)
        }
    }

    // MARK: Guards

    private func resolveGuard(_ expression: ExpressionSyntax, parameters p: [Parameter]) throws(Diagnostic) -> Guard {
        switch expression {
        case .name("true", _):
            return .always
        case .not(let inner, _):
            return .not(try resolveGuard(inner, parameters: p))
        case .and(let left, let right, _):
            return .and(try resolveGuard(left, parameters: p), try resolveGuard(right, parameters: p))
        case .or(let left, let right, _):
            return .or(try resolveGuard(left, parameters: p), try resolveGuard(right, parameters: p))
        case .isVM(let subject, _):
            guard case .call(let call) = subject, call.name == "owner" || call.name == "tag" || call.name == "rmp" else {
                throw Diagnostic("'is vm' applies to owner(FRAME), tag(FRAME) or rmp(FRAME)", at: subject.location)
            }
            if call.name == "rmp" {
                try require(\.reverseMap, call)
                let a = try arguments(call, 1, "frame")
                return .test(.reverseMapAssigned(frame: try resolveOperand(a[0], as: .frame, parameters: p)))
            }
            let record = try ownershipRecord(call.name, at: call.location)
            let a = try arguments(call, 1, "frame")
            return .test(.ownershipIsVM(record, frame: try resolveOperand(a[0], as: .frame, parameters: p)))
        case .compare(let equal, let left, let right, let location):
            if case .name(let name, let nameLocation) = left {
                // A parameter against another of its type, or a constant.
                guard let index = p.firstIndex(where: { $0.name == name }) else {
                    throw Diagnostic("'\(name)' is not a parameter of the rule: a comparison compares a parameter with a value of its type, "
                                     + "or owner(FRAME), tag(FRAME), rmp(FRAME), nested(VM, GPAGE) or root(VM) with a value", at: nameLocation)
                }
                let type = p[index].type
                let condition = Guard.test(.same(.parameter(index), try resolveOperand(right, as: type, parameters: p), type))
                return equal ? condition : .not(condition)
            }
            guard case .call(let call) = left else {
                throw Diagnostic("a comparison compares a parameter with a value of its type, or owner(FRAME), tag(FRAME), rmp(FRAME), "
                                 + "nested(VM, GPAGE) or root(VM) with a value", at: location)
            }
            let condition: Guard
            switch call.name {
            case "owner", "tag":
                let record = try ownershipRecord(call.name, at: call.location)
                let a = try arguments(call, 1, "frame")
                condition = .test(.ownershipIs(record, frame: try resolveOperand(a[0], as: .frame, parameters: p), try resolveTag(right, parameters: p)))
            case "nested":
                    let a = try arguments(call, 2, "vm, gpage")
                var frame: Operand?, writable = true
                if case .name("empty", _) = right { frame = nil } else { (frame, writable) = try frameWithPermission(right, parameters: p) }
                condition = .test(.nestedIs(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                                            gpage: try resolveOperand(a[1], as: .gpage, parameters: p), frame: frame, readOnly: !writable))
            case "root":
                try require(\.hasRoot, call)
                let a = try arguments(call, call.arguments.count == 2 ? 2 : 1, "vm; or vm, vcpu")
                let target: Operand?
                if case .name("none", _) = right { target = nil } else { target = try resolveOperand(right, as: targetType, parameters: p) }
                condition = .test(.rootIs(vm: try resolveOperand(a[0], as: .vm, parameters: p),
                                          vcpu: a.count == 2 ? try resolveOperand(a[1], as: .vcpu, parameters: p) : nil, target: target, targetType))
            case "rmp":
                try require(\.reverseMap, call)
                let a = try arguments(call, 1, "frame")
                let frame = try resolveOperand(a[0], as: .frame, parameters: p)
                switch try resolveTag(right, parameters: p) {
                case .free: condition = .test(.reverseMapIs(frame: frame, vm: nil))
                case .vm(let vm): condition = .test(.reverseMapIs(frame: frame, vm: vm))
                case .host:
                    throw Diagnostic("a reverse-map entry is free or assigned to a VM: a frame the host uses is 'free' in it", at: right.location)
                case .readOnly:
                    throw Diagnostic("a reverse-map entry grants no permission: compare it with free or a vm", at: right.location)
                }
            default:
                throw Diagnostic("cannot compare '\(call.name)(...)': comparisons take owner(FRAME), tag(FRAME), rmp(FRAME), nested(VM, GPAGE) or root(VM)", at: call.location)
            }
            return equal ? condition : .not(condition)
        case .call(let call):
            switch call.name {
            case "mapped":
                    let a = try arguments(call, 1, "frame")
                return .test(.mapped(frame: try resolveOperand(a[0], as: .frame, parameters: p)))
            case "in_flight":
                let a = try arguments(call, 1, "frame")
                return .test(.inFlight(frame: try resolveOperand(a[0], as: .frame, parameters: p)))
            case "pinned":
                try require(\.pinnedFrames, call)
                let a = try arguments(call, 1, "frame")
                return .test(.pinned(frame: try resolveOperand(a[0], as: .frame, parameters: p)))
            case "flush_pending", "descheduled":
                let a = try arguments(call, call.arguments.count == 2 ? 2 : 1, "vm; or vm, vcpu")
                let vm = try resolveOperand(a[0], as: .vm, parameters: p)
                let vcpu = a.count == 2 ? try resolveOperand(a[1], as: .vcpu, parameters: p) : nil
                return .test(call.name == "flush_pending" ? .flushPending(vm: vm, vcpu: vcpu) : .descheduled(vm: vm, vcpu: vcpu))
            default:
                throw Diagnostic("unknown condition '\(call.name)' (expected owner(f) == ..., tag(f) == ..., owner(f) is vm, rmp(f) == ..., nested(v, g) == ..., mapped(f), in_flight(f), pinned(f), flush_pending(v), descheduled(v, c))", at: call.location)
            }
        case .name(let name, let location):
            throw Diagnostic("'\(name)' is not a condition", at: location)
        case .number(_, let location):
            throw Diagnostic("a number is not a condition", at: location)
        }
    }
}
