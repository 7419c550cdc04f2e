import Foundation
import Testing
@testable import TPTDifferential
import TPTModel

/// The backends agree on random models: the explicit search with and without
/// symmetry reduction and bounded model checking find the same shortest
/// counterexample length for every property (`compareBackends`). The
/// benchmark-style `tptdiff` runs thousands; this runs a fixed seed's first ones.
@Suite struct DifferentialTests {
    @Test func backendsAgreeOnRandomModels() throws {
        var generator = RandomModelGenerator(seed: 20261201)
        var limits = DifferentialLimits()
        limits.maxDepth = 5
        limits.maxStates = 50_000
        var agreed = 0, violated = 0, holding = 0
        for index in 0..<150 {
            let text = generator.model(index: index)
            switch compareBackends(text, file: "random-\(index).tpt", limits: limits) {
            case .agreed(let lengths):
                agreed += 1
                violated += lengths.values.filter { $0 != nil }.count
                holding += lengths.values.filter { $0 == nil }.count
            case .skipped:
                break
            case .disagreed(let why):
                Issue.record("random model \(index): \(why)\n\(text)")
            }
        }
        // The comparison is not vacuous: most models run, and both verdicts occur.
        #expect(agreed > 100, "\(agreed) of 150 compared")
        #expect(violated > 20 && holding > 20, "\(violated) violated, \(holding) holding")
    }

    @Test func generatedModelsParse() throws {
        var generator = RandomModelGenerator(seed: 7)
        var parsed = 0
        for index in 0..<200 where (try? parseModel(generator.model(index: index), file: "m.tpt")) != nil { parsed += 1 }
        #expect(parsed > 180, "\(parsed) of 200 generated models are accepted by the language")
    }

    @Test func aKnownViolationIsComparedAtItsLength() throws {
        // The leaf-only walker checks no page-table frame: vm0 loads vm1's root,
        // then its walk reads it. Two steps in every backend.
        let text = """
            model leaf
            scheme tpt
            config vms 2, vcpus 1, frames 2, levels 1, fanout 1, tlb 1, gpages 1
            walker checks tag at leaf
            init
              set_owner(f0, vm0)  set_tag(f0, vm0)  set_writer(f0, vm0)  set_root(vm0, f0)
              set_owner(f1, vm1)  set_tag(f1, vm1)  set_writer(f1, vm1)  set_root(vm1, f1)
            check isolation
            expect violated by isolation
            """
        guard case .agreed(let lengths) = compareBackends(text, file: "leaf.tpt") else {
            Issue.record("expected the backends to agree on a two-step violation")
            return
        }
        #expect(lengths[.isolation] == .some(2))
    }

    /// The flush-request, walk-cache and per-vCPU-root models: every transition of sampled
    /// reachable states (requests, acknowledgements, the wait, descheduling
    /// and resuming; cached tables, walks resumed there, their shootdown) is
    /// the same in `check` and in the bounded step relation, with the same
    /// properties broken; and the backends agree on each model's
    /// counterexample lengths up to the bound.
    @Test(arguments: ["tpt-async-shootdown", "tpt-bug-no-ack-wait", "tpt-bug-lazy-skip", "tpt-walk-cache", "tpt-bug-walk-cache-retag",
                      "tpt-deferred-flush", "real-xsa-480", "pv-vcpu-roots", "pv-bug-unpin-other-root",
                      "tpt-bug-shootdown-one-vcpu", "tpt-write-protect", "tpt-bug-downgrade-no-shootdown", "nested-bug-downgrade-one-vcpu",
                      "tpt-deferred-release", "tpt-bug-release-before-flush"])
    func backendsAgreeOnTheProtocolModels(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(name).tpt")
        var text = try String(contentsOf: url, encoding: .utf8)
        // A walk cache per frame, or a root per vCPU, multiplies the states:
        // two frames still cache, reclaim and hand out a table, pin and unpin
        // one (and break the buggy rules).
        text = text.replacingOccurrences(of: "frames 4", with: "frames 2").replacingOccurrences(of: "frames 3", with: "frames 2")
        var limits = DifferentialLimits()
        limits.sampledStates = 12
        #expect(compareTransitions(try parseModel(text, file: url.path), limits: limits) == nil)
        limits.maxDepth = 4
        limits.maxStates = 500_000
        let outcome = compareBackends(text, file: url.path, limits: limits)
        guard case .agreed = outcome else {
            Issue.record("\(name): \(outcome)")
            return
        }
    }
}
