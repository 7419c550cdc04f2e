import Testing
import TPTExplore
import TPTModel

/// Dropping or swapping a step of the correct tpt model reproduces the bundled
/// bug models: the same property breaks with the same shortest counterexample.
@Suite struct NecessityTests {
    @Test func reclaimVariantsMatchTheBugModels() throws {
        let findings = analyzeNecessity(try loadBundledModel("tpt"))
        let reclaim = findings.filter { $0.rule == "reclaim" }
        func finding(_ change: NecessityFinding.Change) throws -> NecessityFinding {
            try #require(reclaim.first { $0.change == change })
        }
        // Same as tpt-bug-no-shootdown.
        let noShootdown = try finding(.drop(step: 2))
        #expect(noShootdown.description == "drop step 3: shootdown(f)")
        #expect(noShootdown.result.verdict.violatedProperties == [.isolation])
        #expect(noShootdown.result.depth == 6)
        // Same as tpt-bug-no-scrub.
        let noScrub = try finding(.drop(step: 3))
        #expect(noScrub.result.verdict.violatedProperties == [.noDataLeak])
        #expect(noScrub.result.depth == 5)
        // Same as tpt-bug-flush-before-retag.
        let flushFirst = try finding(.swap(step: 1))
        #expect(flushFirst.description == "swap steps 2-3: shootdown(f) before set_tag(f, free)")
        #expect(flushFirst.isNeeded)
        #expect(flushFirst.result.depth == 7)
        // Same as tpt-bug-scrub-before-shootdown.
        let scrubFirst = try finding(.swap(step: 2))
        #expect(scrubFirst.result.verdict.violatedProperties == [.noDataLeak])
        #expect(scrubFirst.result.depth == 8)
        // Without the retag, the old owner refills its TLB after the shootdown,
        // and the next owner's assign retags a frame it still reaches.
        let noRetag = try finding(.drop(step: 1))
        #expect(noRetag.description == "drop step 2: set_tag(f, free)")
        #expect(noRetag.result.verdict.violatedProperties == [.isolation])
        // Every protection step of reclaim is needed; the bookkeeping step is not varied.
        #expect(reclaim.count == 5)
        #expect(reclaim.filter { !$0.isNeeded }.map(\.description) == [])
        #expect(findings.filter { $0.rule == "assign" }.map(\.change) == [.drop(step: 1)])
    }
}
