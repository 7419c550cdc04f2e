import Testing
@testable import TPTExplore
@testable import TPTModel

/// Symmetry reduction is sound when renaming interchangeable VMs and frames
/// maps a state's transitions onto the renamed state's, and useful when the
/// representative is one per class. Both are checked on states the search
/// reaches, then the verdicts and counterexamples with and without it.
@Suite struct SymmetryTests {
    /// The first states of a breadth-first search without reduction.
    func reachable(_ system: TransitionSystem, count: Int) -> [PackedState] {
        var states = [system.initialState()], seen: Set<PackedState> = [states[0]]
        var index = 0
        while index < states.count && states.count < count {
            system.forEachSuccessor(of: states[index]) { _, next, violation in
                if violation == nil && seen.insert(next).inserted { states.append(next) }
                return true
            }
            index += 1
        }
        return states
    }

    /// Every renaming of the free VMs and frames, in a seeded random order.
    func renamings(_ reduction: SymmetryReduction, count: Int, seed: UInt64) -> [Renaming] {
        var random = SwarmRandom(seed: seed)
        return (0..<count).map { _ in
            var renaming = Renaming.identity
            let freeVMs = (0..<reduction.vms).filter { reduction.fixedVMs >> UInt32($0) & 1 == 0 }
            for (from, to) in zip(freeVMs, freeVMs.shuffled(using: &random)) { renaming.vm[from] = UInt8(to) }
            let freeFrames = (0..<reduction.frames).filter { reduction.fixedFrames >> UInt32($0) & 1 == 0 }
            for (from, to) in zip(freeFrames, freeFrames.shuffled(using: &random)) { renaming.frame[from] = UInt8(to) }
            return renaming
        }
    }

    func successors(_ system: TransitionSystem, _ s: PackedState) -> (states: Set<PackedState>, violated: Set<String>) {
        var states: Set<PackedState> = [], violated: Set<String> = []
        system.forEachSuccessor(of: s) { _, next, violation in
            if let violation { violated.insert(violation.property.rawValue) } else { states.insert(next) }
            return true
        }
        return (states, violated)
    }

    @Test(arguments: bundledModelNames)
    func renamingMapsTransitionsOntoTransitions(_ name: String) throws {
        let model = try loadBundledModel(name)
        for view in [TransitionSystem.View.safety, .equivalence] where model.properties.contains(where: { $0.isSafety == (view == .safety) }) {
            let system = TransitionSystem(model: model, view: view)
            let reduction = SymmetryReduction(system)
            for (index, state) in reachable(system, count: 300).enumerated() {
                let (next, violated) = successors(system, state)
                for renaming in renamings(reduction, count: 3, seed: UInt64(index)) {
                    let renamed = reduction.renamed(state, renaming)
                    let defined = system.values(of: state).renamed(vm: { renaming.vm($0) }, frame: { renaming.frame($0) })
                    #expect(renamed == system.state(from: defined), "\(name): the packed renaming is the described one")
                    let (renamedNext, renamedViolated) = successors(system, renamed)
                    #expect(renamedNext == Set(next.map { reduction.renamed($0, renaming) }), "\(name): successors of a renamed state")
                    #expect(renamedViolated == violated, "\(name): properties broken from a renamed state")
                    #expect(reduction.representative(renamed) == reduction.representative(state), "\(name): one representative per class")
                }
            }
        }
    }

    /// With and without reduction: the same verdicts and counterexample
    /// lengths, fewer states, and counterexamples that replay on the model as
    /// written (`CounterexampleTests` replays them step by step). The buggy
    /// models only: their search stops at the violation. The unreduced
    /// spaces of the holding ones take minutes in a debug build, so
    /// `Benchmarks/symmetry-suite.sh` compares those in a release build; here
    /// the renaming test above covers their reachable states, and the random
    /// differential tests compare holding properties with and without.
    @Test(arguments: bundledModelNames.filter { name in
        guard let model = try? loadBundledModel(name), case .violated = model.expectation else { return false }
        return true
    })
    func sameVerdictsWithFewerStates(_ name: String) throws {
        var model = try loadBundledModel(name)
        // Only what the model expects broken: the search stops once it is, and
        // the unreduced space of a property that holds is too big for a test
        // (the random differential tests compare holding properties too).
        if case .violated(let expected) = model.expectation { model.properties = expected }
        let reduced = checkModel(model, options: ExploreOptions(symmetry: true))
        let full = checkModel(model, options: ExploreOptions(symmetry: false))
        #expect(reduced.verdict.violatedProperties == full.verdict.violatedProperties)
        #expect(reduced.depth == full.depth || reduced.verdict.violatedProperties.isEmpty)
        #expect(reduced.states <= full.states)
        // vCPUs keep their names (only VMs and frames are renamed), so a
        // model with two per VM reduces less.
        let least = model.configuration.vcpus > 1 ? 1.5 : 1.8
        if full.states > 100 { #expect(Double(full.states) / Double(reduced.states) >= least, "\(name): \(full.states) -> \(reduced.states)") }
        if case .violated(let traces) = reduced.verdict, case .violated(let fullTraces) = full.verdict {
            #expect(traces.map(\.steps.count) == fullTraces.map(\.steps.count))
        }
    }

    /// Rules that name a VM or a frame by a constant keep it out of renaming.
    @Test func constantsInRulesAreFixed() throws {
        var model = try loadBundledModel("tpt")
        model.rules[0].steps.append(.scrub(frame: .constant(2)))
        model.rules[0].guardCondition = .and(model.rules[0].guardCondition, .not(.test(.ownershipIs(.owner, frame: .constant(3), .vm(.constant(1))))))
        let reduction = SymmetryReduction(TransitionSystem(model: model))
        #expect(reduction.fixedFrames == 0b1100)
        #expect(reduction.fixedVMs == 0b10)
    }
}

/// Swarm members: their counterexamples replay on the model, and without a
/// violation they are inconclusive unless they exhausted the state space.
@Suite struct SwarmTests {
    @Test(arguments: ["tpt-bug-no-shootdown", "tpt-bug-no-scrub", "nested-bug-no-flush", "pv-bug-writable-pt"])
    func membersFindRealViolations(_ name: String) throws {
        let system = TransitionSystem(model: try loadBundledModel(name))
        for seed: UInt64 in 1...3 {
            let result = swarmSearch(system, seed: seed, maxDepth: 30)
            guard case .violated(let traces) = result.verdict else {
                Issue.record("\(name), seed \(seed): \(result.verdict)")
                continue
            }
            for trace in traces { CounterexampleTests().replay(system, trace) }
        }
    }

    @Test func noViolationIsInconclusiveOrExhaustive() throws {
        let system = TransitionSystem(model: try loadBundledModel("tpt"))
        guard case .incomplete = swarmSearch(system, seed: 1, options: ExploreOptions(maxStates: 5000)).verdict else {
            Issue.record("a cut-off swarm search must be incomplete")
            return
        }
        // Small enough to exhaust: the same state count as breadth-first search.
        var model = try loadBundledModel("tpt")
        model.configuration.frames = 2
        let small = TransitionSystem(model: model)
        let exhaustive = swarmSearch(small, seed: 7, maxDepth: 1000)
        guard case .holds = exhaustive.verdict else {
            Issue.record("an exhausted swarm search holds, got \(exhaustive.verdict)")
            return
        }
        #expect(exhaustive.states == explore(small).states)
    }
}
