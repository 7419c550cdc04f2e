import Testing
import TPTExplore
import TPTModel

@Suite struct LimitTests {
    @Test func stateLimitIsIncompleteNeverHolds() throws {
        let result = explore(TransitionSystem(model: try loadBundledModel("tpt")), options: ExploreOptions(maxStates: 500))
        guard case .incomplete(let reason) = result.verdict else {
            Issue.record("expected incomplete, got \(result.verdict)")
            return
        }
        #expect(reason == "more than 500 states")
        // The search stops after the window of frontier states that passed the limit.
        #expect(result.states > 500)
    }

    @Test func aMemoryLimitIsIncomplete() throws {
        let result = explore(TransitionSystem(model: try loadBundledModel("tpt")), options: ExploreOptions(maxBytes: 1 << 20))
        guard case .incomplete(let reason) = result.verdict else {
            Issue.record("expected incomplete, got \(result.verdict)")
            return
        }
        #expect(reason == "memory limit of 1 MiB reached")
    }

    /// The states, verdict and counterexample do not depend on the number of threads.
    @Test(arguments: ["tpt", "tpt-bug-no-shootdown", "shadow-bug-missed-trap", "nested"])
    func threadsChangeNothing(_ name: String) throws {
        let model = try loadBundledModel(name)
        let one = checkModel(model, options: ExploreOptions(threads: 1))
        for threads in [2, 3] {
            let many = checkModel(model, options: ExploreOptions(threads: threads))
            #expect(many.states == one.states && many.transitions == one.transitions && many.depth == one.depth)
            #expect(many.verdict.violatedProperties == one.verdict.violatedProperties)
            if case .violated(let traces) = many.verdict, case .violated(let expected) = one.verdict {
                #expect(traces.map(\.actions) == expected.map(\.actions))
            }
        }
    }

    @Test func aLimitAsLargeAsTheStateSpaceIsNoLimit() throws {
        var model = try loadBundledModel("tpt")
        model.configuration.frames = 3
        let system = TransitionSystem(model: model)
        let exact = explore(system)
        guard case .holds = exact.verdict else {
            Issue.record("the three-frame tpt model should hold, got \(exact.verdict)")
            return
        }
        guard case .holds = explore(system, options: ExploreOptions(maxStates: exact.states)).verdict else {
            Issue.record("a limit equal to the state count must not make the verdict incomplete")
            return
        }
        guard case .incomplete = explore(system, options: ExploreOptions(maxStates: exact.states - 1)).verdict else {
            Issue.record("a limit one below the state count must make the verdict incomplete")
            return
        }
    }

    @Test func violationFoundBeforeTheLimitIsConclusive() throws {
        let result = explore(TransitionSystem(model: try loadBundledModel("tpt-bug-no-shootdown")),
                             options: ExploreOptions(maxStates: 1_000_000))
        #expect(result.verdict.violatedProperties == [.isolation, .noDataLeak])
        #expect(result.undecided == nil)
    }

    @Test func explorationIsDeterministic() throws {
        let system = TransitionSystem(model: try loadBundledModel("nested-bug-no-flush"))
        let first = explore(system), second = explore(system)
        #expect(first.states == second.states)
        #expect(first.transitions == second.transitions)
    }
}

/// Hash compaction finds the same verdicts, the same states (no collision at
/// this size) and the same traces, and says how likely a miss was.
@Suite struct CompactTests {
    @Test(arguments: ["tpt", "tpt-bug-no-shootdown", "shadow-bug-missed-trap", "pv"])
    func sameVerdictsAndTraces(_ name: String) throws {
        let model = try loadBundledModel(name)
        let exact = checkModel(model, options: ExploreOptions(threads: 2))
        let compact = checkModel(model, options: ExploreOptions(threads: 2, compact: true))
        #expect(compact.states == exact.states && compact.depth == exact.depth)
        #expect(compact.verdict.violatedProperties == exact.verdict.violatedProperties)
        if case .violated(let traces) = compact.verdict, case .violated(let expected) = exact.verdict {
            #expect(traces.map(\.actions) == expected.map(\.actions))
        }
        let bound = try #require(compact.omissionBound)
        #expect(bound > 0 && bound < 1e-6)
        #expect(exact.omissionBound == nil)
        // Fingerprints (8 bytes) and two levels of rows against every row (16
        // bytes for tpt): smaller once levels are many and big.
        if name == "tpt" { #expect(compact.storeBytes < exact.storeBytes) }
    }
}
