import Foundation
import Testing
import TPTExplore
@testable import TPTModel
import TPTProve
import TPTZ3

/// The explicit checker and the Z3 encoding run the one definition of every
/// primitive step and guard; on concrete states they must agree exactly.
@Suite struct AgreementTests {
    static func bundled(_ name: String) throws -> Model {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(name).tpt")
        return try parseModel(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    /// Some reachable states: the first ones breadth-first, then every `stride`-th.
    static func sample(_ system: TransitionSystem, count: Int, stride: Int) -> [PackedState] {
        var seen: Set<PackedState> = [system.initialState()]
        var queue = [system.initialState()], head = 0
        while head < queue.count && queue.count < count * stride {
            system.forEachSuccessor(of: queue[head]) { _, next, violation in
                if violation == nil && seen.insert(next).inserted { queue.append(next) }
                return true
            }
            head += 1
        }
        return Swift.stride(from: 0, to: queue.count, by: stride).map { queue[$0] }.prefix(count).map { $0 }
    }

    /// A vocabulary closed over the configuration's literals, and a test of
    /// whether a formula holds there.
    static func closedWorld(_ c: Configuration) throws -> (Z3Context, Vocabulary, (Z3Term) throws -> Bool) {
        let z3 = Z3Context()
        let vocabulary = try Vocabulary(z3, configuration: c)
        let solver = try Z3Solver(z3, timeoutMilliseconds: 20_000)
        try solver.assert(vocabulary.closure())
        return (z3, vocabulary, { formula in
            try solver.push()
            defer { try? solver.pop() }
            try solver.assert(z3.not(formula))
            return try solver.check() == .unsatisfiable
        })
    }

    /// Every choice of values for a rule's parameters.
    static func bindings(_ rule: Rule, _ c: Configuration) -> [[Int]] {
        rule.parameters.reduce([[]]) { partial, parameter in
            let count = parameter.type == .frame ? c.frames : parameter.type == .vm ? c.vms : c.gpages
            return partial.flatMap { prefix in (0..<count).map { prefix + [$0] } }
        }
    }

    /// Both views of every correct model: the equivalence product keeps per-page
    /// guest and direct entries under every scheme, so `revoke` and `shadow_zap`
    /// meet entries there that the safety view of tpt does not have.
    static let cases: [(String, TransitionSystem.View)] = ["tpt", "nested", "shadow", "pv", "snp"].flatMap { name in
        name == "nested" || name == "snp" ? [(name, .safety)] : [(name, .safety), (name, .equivalence)]
    } + [("tpt-async-shootdown", .safety), ("tpt-walk-cache", .safety), ("tpt-deferred-flush", .safety), ("pv-vcpu-roots", .safety), ("tpt-bug-shootdown-one-vcpu", .safety),
         ("tpt-write-protect", .safety), ("tpt-write-protect", .equivalence), ("nested-write-protect", .safety)]

    @Test(arguments: cases)
    func stepsAndGuardsAgreeOnReachableStates(_ name: String, _ view: TransitionSystem.View) throws {
        let model = try Self.bundled(name)
        let system = TransitionSystem(model: model, view: view)
        let (z3, vocabulary, valid) = try Self.closedWorld(model.configuration)

        var checked = 0, changed = 0
        for state in Self.sample(system, count: 12, stride: 53) {
            let encoded = try SymbolicState.encode(state, of: system, in: vocabulary)
            for rule in model.rules {
                for values in Self.bindings(rule, model.configuration) {
                    let bindings = Bindings(values)
                    let terms = try zip(rule.parameters, values).map { parameter, value throws(Z3Error) in
                        try vocabulary.literal(parameter.type, value)
                    }
                    let algebra = try SymbolicAlgebra(vocabulary, model: model, state: encoded, bindings: terms)
                    let guardTerm = rule.guardCondition.evaluate(in: algebra)
                    let expected = system.holds(rule.guardCondition, bindings, in: state)
                    #expect(try valid(z3.equal(guardTerm, z3.bool(expected))), "\(name): guard of \(rule.name)\(values)")
                    for step in rule.steps {
                        var next = state
                        system.apply(step, bindings, to: &next)
                        let symbolic = try SymbolicAlgebra(vocabulary, model: model, state: encoded, bindings: terms)
                        var applied = symbolic
                        step.apply(to: &applied)
                        if let error = applied.error { throw error }
                        let expectedState = try SymbolicState.encode(next, of: system, in: vocabulary)
                        #expect(try valid(applied.state.equals(expectedState, in: z3)),
                                "\(name): \(system.describe(step, bindings)) on a reachable state")
                        checked += 1
                        // The comparison can fail: a step that changed the state
                        // does not leave the encoding equal to the old one.
                        if next != state {
                            #expect(try !valid(encoded.equals(expectedState, in: z3)))
                            changed += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 100 && changed > 10, "\(checked) steps compared, \(changed) of them changing the state")
    }

    /// The properties on an access, and each vCPU's walk: at every level, the same
    /// target sets, the same page-table reads that break isolation or leak, and
    /// the same frames reached.
    @Test(arguments: ["tpt", "nested", "snp", "tpt-bug-leaf-only-check", "tpt-bug-no-scrub", "tpt-walk-cache",
                      "tpt-async-shootdown", "nested-write-protect"])
    func walkAgreesOnReachableStates(_ name: String) throws {
        let model = try Self.bundled(name)
        let system = TransitionSystem(model: model)
        let c = model.configuration
        let (z3, vocabulary, valid) = try Self.closedWorld(c)
        let targetType: ValueType = model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
        let targetCount = targetType == .gpage ? c.gpages : c.frames
        var compared = 0, rootsDiffer = 0
        for state in Self.sample(system, count: 6, stride: 31) {
            let symbolic = try SymbolicAlgebra(vocabulary, model: model, state: SymbolicState.encode(state, of: system, in: vocabulary))
            let concrete = ConcreteAlgebra(system: system, state: state, bindings: Bindings())
            for vm in 0..<c.vms {
                let vmTerm = try vocabulary.literal(.vm, vm)
                // The properties on a data access.
                for frame in 0..<c.frames {
                    let f = try vocabulary.literal(.frame, frame)
                    #expect(try valid(z3.equal(symbolic.accessBreaksIsolation(vm: vmTerm, frame: f),
                                               z3.bool(concrete.accessBreaksIsolation(vm: vm, frame: frame)))))
                    #expect(try valid(z3.equal(symbolic.accessLeaks(vm: vmTerm, frame: f), z3.bool(concrete.accessLeaks(vm: vm, frame: frame)))))
                }
                // Each vCPU's walk, from its own root.
                if (1..<c.vcpus).contains(where: { concrete.rootTargets(of: vm, $0) != concrete.rootTargets(of: vm, 0) }) { rootsDiffer += 1 }
                for cpu in 0..<c.vcpus {
                    var symbolicSet = symbolic.rootTargets(of: vmTerm, try vocabulary.vcpuLiteral(cpu))
                    var concreteSet = concrete.rootTargets(of: vm, cpu)
                    // The vCPU's paging-structure cache, where the walker keeps one.
                    let concreteCache = concrete.cachesWalks ? concrete.cachedTables(of: vm, cpu) : nil
                    let symbolicCache = symbolic.cachesWalks ? symbolic.cachedTables(of: vmTerm, try vocabulary.vcpuLiteral(cpu)) : nil
                    #expect(concrete.cachesWalks == symbolic.cachesWalks)
                    for level in 0...c.levels {
                        for target in 0..<targetCount {
                            let t = try vocabulary.literal(targetType, target)
                            let member = concreteSet & (1 << UInt32(target)) != 0
                            #expect(try valid(z3.equal(z3.select(symbolicSet, t), z3.bool(member))), "\(name): level \(level) target \(target)")
                            if level < c.levels {
                                #expect(try valid(z3.equal(symbolic.pageTableReadBreaksIsolation(vm: vmTerm, at: t),
                                                           z3.bool(concrete.pageTableReadBreaksIsolation(vm: vm, at: target)))))
                                #expect(try valid(z3.equal(symbolic.pageTableReadLeaks(vm: vmTerm, at: t),
                                                           z3.bool(concrete.pageTableReadLeaks(vm: vm, at: target)))))
                                if let concreteCache, let symbolicCache, level > 0 {
                                    let cached = concreteCache & (1 << UInt32(target)) != 0
                                    #expect(try valid(z3.equal(z3.select(symbolicCache, t), z3.bool(cached))), "\(name): cached \(target)")
                                    #expect(try valid(z3.equal(symbolic.pageTableReadBreaksIsolation(vm: vmTerm, at: t, cached: true),
                                                               z3.bool(concrete.pageTableReadBreaksIsolation(vm: vm, at: target, cached: true)))))
                                    #expect(try valid(z3.equal(symbolic.pageTableReadLeaks(vm: vmTerm, at: t, cached: true),
                                                               z3.bool(concrete.pageTableReadLeaks(vm: vm, at: target, cached: true)))))
                                }
                            } else {
                                let (ends, frame) = symbolic.walkEnds(vm: vmTerm, at: t)
                                let expected = concrete.walkEnds(vm: vm, at: target)
                                #expect(try valid(z3.equal(ends, z3.bool(expected.ends))))
                                if expected.ends { #expect(try valid(z3.equal(frame, vocabulary.literal(.frame, expected.frame)))) }
                            }
                            compared += 1
                        }
                        if level < c.levels {
                            symbolicSet = symbolic.nextTargets(of: vmTerm, after: symbolicSet, cached: level == 0 ? nil : symbolicCache)
                            concreteSet = concrete.nextTargets(of: vm, after: concreteSet, cached: level == 0 ? nil : concreteCache)
                        }
                    }
                }
            }
            if let error = symbolic.error { throw error }
        }
        #expect(compared > 50)
        // With two vCPUs, some sampled VM runs them on different roots.
        #expect(c.vcpus == 1 || rootsDiffer > 0, "\(name): no sampled state has vCPUs on different roots")
    }
}
