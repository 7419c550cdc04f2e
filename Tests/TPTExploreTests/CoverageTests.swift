import Foundation
import Testing
@testable import TPTExplore
@testable import TPTModel

/// The explorer's coverage counts are what a plain breadth-first search,
/// counting each transition itself, finds; and its warnings name what is dead.
@Suite struct CoverageTests {
    /// Counts every transition and offered move of the reachable states, one
    /// state at a time, by the definitions `Coverage` documents.
    struct CountingSink: TransitionSink {
        var kinds: [Action.Kind: Int] = [:]
        var offered: Set<Action.Kind> = [], enabled: Set<Action.Kind> = []
        var accessChecked = false, translationChecked = false
        var actions: [(Action, PackedState)] = []

        mutating func take(_ action: Action, _ next: PackedState, _ violation: Violation?) -> Bool {
            kinds[action.kind, default: 0] += 1
            actions.append((action, next))
            return true
        }

        mutating func offer(_ kind: Action.Kind, enabled isEnabled: Bool, checks: PropertyCheck?) {
            offered.insert(kind)
            if isEnabled { enabled.insert(kind) }
            if checks == .access { accessChecked = true }
            if checks == .translation { translationChecked = true }
        }
    }

    func bruteForce(_ system: TransitionSystem) -> Coverage {
        var coverage = system.coverage(adding: [], exhaustive: true)
        var queue = [system.initialState()], seen: Set<PackedState> = [queue[0]], head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            var sink = CountingSink()
            _ = system.forEachSuccessor(of: state, into: &sink)
            for (kind, count) in sink.kinds { coverage.transitions[Int(kind.rawValue)] += count }
            for kind in sink.offered { coverage.guestOffered[Int(kind.rawValue)] += 1 }
            for kind in sink.enabled { coverage.guestEnabled[Int(kind.rawValue)] += 1 }
            if sink.accessChecked { coverage.accessesChecked += 1 }
            if sink.translationChecked { coverage.translationsChecked += 1 }
            for (action, next) in sink.actions {
                switch action.kind {
                case .startRule:
                    let rule = Int(action.subject)
                    let runsAll = system.view == .equivalence || system.model.rules[rule].isAtomic
                    for step in 0..<(runsAll ? system.model.rules[rule].steps.count : 1) { coverage.ruleSteps[rule][step] += 1 }
                case .continueRule:
                    let thread = Int(action.subject)
                    coverage.ruleSteps[state[system.layout.threadRule[thread]] - 1][state[system.layout.threadStep[thread]]] += 1
                default: break
                }
                if seen.insert(next).inserted { queue.append(next) }
            }
        }
        return coverage
    }

    /// Bundled models at smaller configurations (the brute force is slow,
    /// and runs without symmetry reduction): atomic and interleaved rules,
    /// both views, four schemes; 500 to 17,000 states each.
    static let smaller: [String: [(String, String)]] = [
        "tpt": [("frames 4", "frames 3"), ("levels 2", "levels 1"), ("fanout 2", "fanout 1"), ("gpages 2", "gpages 1")],
        "shadow": [("frames 4", "frames 3"), ("gpages 2", "gpages 1")],
        "snp": [("levels 2", "levels 1"), ("fanout 2", "fanout 1")],
        "pv": [("frames 4", "frames 3")],
    ]

    @Test(arguments: ["tpt", "shadow", "snp", "pv"])
    func explorerCountsWhatABreadthFirstSearchCounts(_ name: String) throws {
        let url = modelsDirectory().appendingPathComponent(name + ".tpt")
        var text = try String(contentsOf: url, encoding: .utf8)
        for (from, to) in Self.smaller[name]! { text = text.replacingOccurrences(of: from, with: to) }
        let model = try parseModel(text, file: url.path)
        for view in [TransitionSystem.View.safety, .equivalence] where model.properties.contains(where: { $0.isSafety == (view == .safety) }) {
            let system = TransitionSystem(model: model, view: view)
            let expected = bruteForce(system)
            for threads in [1, 2] {
                let result = explore(system, options: ExploreOptions(symmetry: false, threads: threads))
                let coverage = try #require(result.coverage)
                #expect(coverage.exhaustive)
                #expect(coverage.transitions == expected.transitions, "\(name) \(view) \(threads) threads")
                #expect(coverage.guestOffered == expected.guestOffered)
                #expect(coverage.guestEnabled == expected.guestEnabled)
                #expect(coverage.ruleSteps == expected.ruleSteps)
                #expect(coverage.accessesChecked == expected.accessesChecked)
                #expect(coverage.translationsChecked == expected.translationsChecked)
                #expect(result.transitions == expected.transitions.reduce(0, +))
                #expect(coverage.ruleSteps.allSatisfy { $0.allSatisfy { $0 > 0 } })
            }
        }
    }

    static let deadGuard = """
        model dead
        scheme nested
        config vms 2, vcpus 1, frames 3, levels 1, fanout 2, tlb 1, gpages 1
        walker checks nothing
        init
          set_owner(f0, vm0)  nested_map(vm0, g0, f0)  set_writer(f0, vm0)  set_root(vm0, g0)
        rule assign(f: frame, v: vm, g: gpage) atomic
          when owner(f) == free and owner(f) == vm1
          do   set_owner(f, v)
        rule reclaim(f: frame) interleaved
          when owner(f) == vm0 and not in_flight(f)
          do   set_owner(f, free)
               scrub(f)
        check isolation, no_data_leak
        expect holds
        """

    @Test func aRuleWhoseGuardNeverHoldsIsAWarningAtTheRule() throws {
        let model = try parseModel(Self.deadGuard, file: "dead.tpt")
        let result = checkModel(model)
        guard case .holds = result.verdict else { Issue.record("\(result.verdict)"); return }
        #expect(result.coverage?.warnings == ["dead.tpt:7:1: rule assign never fires: no reachable state satisfies its guard with a change to the state"])
    }

    @Test func aPropertyNothingReachableCanBreakIsVacuous() throws {
        // No VM has a root or a mapping: every access faults.
        let text = Self.deadGuard.replacingOccurrences(of: "  set_owner(f0, vm0)  nested_map(vm0, g0, f0)  set_writer(f0, vm0)  set_root(vm0, g0)\n", with: "  set_owner(f0, vm0)\n")
        let result = checkModel(try parseModel(text, file: "vacuous.tpt"))
        let warnings = result.coverage?.warnings ?? []
        #expect(warnings.contains("vacuous.tpt: isolation holds vacuously: no guest access reaches a frame in any reachable state"))
        #expect(warnings.contains("vacuous.tpt: no_data_leak holds vacuously: no guest access reaches a frame in any reachable state"))
        // With a mapping, an access reaches a frame: not vacuous.
        #expect(try checkModel(parseModel(Self.deadGuard, file: "dead.tpt")).coverage?.warnings.contains { $0.contains("vacuously") } == false)
    }

    @Test func equivalenceWithNoTranslationToCompareIsVacuous() throws {
        let text = """
            model bare
            scheme tpt
            config vms 1, vcpus 1, frames 2, levels 1, fanout 1, tlb 1, gpages 1
            walker checks tag at every level
            check equivalent_to_nested
            expect holds
            """
        let result = checkModel(try parseModel(text, file: "bare.tpt"))
        #expect(result.coverage?.warnings.contains("bare.tpt: equivalent_to_nested holds vacuously: no translation produces a mapping under either scheme in any reachable state") == true,
                "\(result.coverage?.warnings ?? [])")
    }

    @Test func aSearchThatStopsWarnsOfNothing() throws {
        let model = try parseModel(Self.deadGuard, file: "dead.tpt")
        let result = checkModel(model, options: ExploreOptions(maxStates: 5))
        #expect(result.coverage?.exhaustive == false)
        #expect(result.coverage?.warnings == [])
    }
}
