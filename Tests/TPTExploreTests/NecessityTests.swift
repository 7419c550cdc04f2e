import Testing
import TPTExplore
import TPTModel

/// Dropping or swapping a step of the correct tpt model reproduces the bundled
/// bug models: the same property breaks with the same shortest counterexample.
@Suite struct NecessityTests {
    /// The bundled tpt model with only some of its properties checked.
    func tpt(checking properties: [Property]) throws -> Model {
        var model = try loadBundledModel("tpt")
        model.properties = properties
        return model
    }

    @Test func reclaimVariantsMatchTheBugModels() throws {
        // The bug models check the safety properties only. (Under symmetry
        // reduction every variant fits in the limit.)
        let findings = analyzeNecessity(try tpt(checking: [.isolation, .noDataLeak]),
                                        options: ExploreOptions(maxStates: 400_000))
        let reclaim = findings.filter { $0.rule == "reclaim" }
        func finding(_ change: NecessityFinding.Change) throws -> NecessityFinding {
            try #require(reclaim.first { $0.change == change })
        }
        // Same as tpt-bug-no-shootdown.
        let noShootdown = try finding(.drop(step: 2))
        #expect(noShootdown.description == "drop step 3: shootdown(f)")
        #expect(noShootdown.result.verdict.violatedProperties == [.isolation, .noDataLeak])
        #expect(noShootdown.result.depth == 8)
        // Same as tpt-bug-no-scrub.
        let noScrub = try finding(.drop(step: 3))
        #expect(noScrub.result.verdict.violatedProperties == [.noDataLeak])
        #expect(noScrub.result.depth == 7)
        // Same as tpt-bug-flush-before-retag.
        let flushFirst = try finding(.swap(step: 1))
        #expect(flushFirst.description == "swap steps 2-3: shootdown(f) before set_tag(f, free)")
        #expect(flushFirst.isNeeded)
        #expect(flushFirst.result.depth == 9)
        // Same as tpt-bug-scrub-before-shootdown.
        let scrubFirst = try finding(.swap(step: 2))
        #expect(scrubFirst.result.verdict.violatedProperties == [.noDataLeak])
        #expect(scrubFirst.result.depth == 10)
        // Without the retag, the old owner refills its TLB after the shootdown,
        // and the next owner's assign retags a frame it still reaches.
        let noRetag = try finding(.drop(step: 1))
        #expect(noRetag.description == "drop step 2: set_tag(f, free)")
        #expect(noRetag.result.verdict.violatedProperties == [.isolation, .noDataLeak])
        // The guest's revoke is no safety step: without it both properties hold.
        guard case .holds = try finding(.drop(step: 4)).result.verdict else {
            Issue.record("dropping revoke should leave isolation and no_data_leak holding")
            return
        }
        // Bookkeeping (set_owner, the p2m) is not varied.
        #expect(reclaim.count == 7)
        #expect(findings.filter { $0.rule == "assign" }.map(\.change) == [.drop(step: 2)])
    }

    @Test func equivalenceNeedsTheGuestsRevokeAndTheAssignTag() throws {
        let findings = analyzeNecessity(try tpt(checking: [.equivalence]))
        func finding(_ rule: String, _ change: NecessityFinding.Change) throws -> NecessityFinding {
            try #require(findings.first { $0.rule == rule && $0.change == change })
        }
        // A frame reclaimed and handed back to the same VM as another page is
        // still reached through the guest's stale 1-D entry.
        let noRevoke = try finding("reclaim", .drop(step: 4))
        #expect(noRevoke.description == "drop step 5: revoke(f)")
        #expect(noRevoke.result.verdict.violatedProperties == [.equivalence])
        #expect(noRevoke.result.depth == 4)
        // Untagged, a newly assigned frame faults where nested paging reaches it.
        let noTag = try finding("assign", .drop(step: 2))
        #expect(noTag.result.verdict.violatedProperties == [.equivalence])
        #expect(noTag.result.depth == 3)
        // The product runs host rules whole, so the order of their steps cannot matter to it.
        #expect(findings.filter { if case .swap = $0.change { return true } else { return false } }.allSatisfy { !$0.isNeeded })
    }

    /// A variant without the flush-request steps keeps the protocol's state
    /// (it used to trap the transition system's precondition when the
    /// dropped step was the model's only one). tpt-deferred-release's unmap
    /// without its request breaks isolation; its release's guard still reads
    /// the requests.
    @Test func droppingTheOnlyFlushRequestKeepsTheProtocolState() throws {
        // The bundled model with no spare frame: the release still hands a
        // frame to the other VM, in a fiftieth of the states.
        let url = modelsDirectory().appendingPathComponent("tpt-deferred-release.tpt")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "frames 3", with: "frames 2")
        let findings = analyzeNecessity(try parseModel(text, file: url.path))
        let noRequest = try #require(findings.first { $0.rule == "unmap" && $0.change == .drop(step: 2) })
        #expect(noRequest.result.verdict.violatedProperties.contains(.isolation))
        let lone = try parseModel("""
            model lone
            scheme tpt
            config vms 1, vcpus 2, frames 2, levels 1, fanout 1, tlb 1
            init
              set_owner(f0, vm0) set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
            rule poke(v: vm) atomic
              when true
              do request_flush(v)
            check isolation
            expect holds
            """, file: "lone.tpt")
        #expect(analyzeNecessity(lone).map(\.isNeeded) == [false])
    }
}
