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
        #expect(reason.contains("500"))
        #expect(result.states == 500)
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
