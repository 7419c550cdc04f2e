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
        #expect(result.states == 501)
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
        #expect(result.verdict.violatedProperties == [.isolation])
    }

    @Test func explorationIsDeterministic() throws {
        let system = TransitionSystem(model: try loadBundledModel("nested-bug-no-flush"))
        let first = explore(system), second = explore(system)
        #expect(first.states == second.states)
        #expect(first.transitions == second.transitions)
    }
}
