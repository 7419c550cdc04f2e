import Foundation
import Testing
import TPTExplore
import TPTModel
import TPTProve

/// Bounded model checking and the explicit checker agree: on the bundled
/// buggy models (`buggy`), BMC breaks each property the model names at exactly the length
/// of the explicit checker's shortest counterexample for that property, and on
/// the correct models it finds nothing within a few steps. (The other
/// properties a buggy model also breaks, deeper, are compared by
/// `Benchmarks/prove-suite.sh`: they cost minutes of solver time.)
@Suite struct BoundedTests {
    /// Every buggy model but tpt-bug-scrub-before-shootdown, whose 10-step
    /// trace takes over a minute of solver time (`Benchmarks/prove-suite.sh`
    /// compares it; the random differential tests compare lengths on many more).
    static let buggy = ["tpt-bug-no-shootdown", "tpt-bug-flush-before-retag", "tpt-bug-leaf-only-check", "tpt-bug-no-scrub",
                        "nested-bug-no-flush", "host-bug-double-assign", "shadow-bug-missed-trap", "pv-bug-writable-pt",
                        "snp-bug-no-flush", "snp-bug-no-rmp-clear", "snp-bug-assign-by-rmp"]

    @Test(arguments: buggy)
    func shortestCounterexamplesAgree(_ name: String) throws {
        try Self.compareShortestCounterexamples(try AgreementTests.bundled(name), name)
    }

    /// With two vCPUs per VM, each with its own TLB, the lengths still agree.
    @Test func shortestCounterexamplesAgreeWithTwoVCPUs() throws {
        var model = try AgreementTests.bundled("nested-bug-no-flush")
        model.configuration.vcpus = 2
        model.expectation = .violated([.isolation])
        try Self.compareShortestCounterexamples(model, "nested-bug-no-flush with 2 vCPUs")
    }

    static func compareShortestCounterexamples(_ model: Model, _ name: String) throws {
        guard case .violated(let named) = model.expectation else {
            Issue.record("\(name) expects no violation")
            return
        }
        for property in named where property.isSafety {
            // The explicit checker on this property alone (a search stops at its first violation).
            var single = model
            single.properties = [property]
            guard case .violated(let found) = explore(TransitionSystem(model: single, view: .safety)).verdict else {
                Issue.record("\(name): the explicit checker finds no violation of \(property)")
                continue
            }
            let length = found[0].steps.count
            // Agreement, not speed: the 10-step traces take a minute or more of
            // solver time, longer while other tests share the cores.
            let outcome = try #require(try boundedModelCheck(model, depth: length, properties: [property],
                                                             timeoutMilliseconds: 600_000).first)
            guard case .violated(let steps) = outcome.verdict else {
                Issue.record("\(name) \(property): explicit \(length) steps, BMC \(outcome.verdict)")
                continue
            }
            #expect(steps.count == length, "\(name) \(property)")
            #expect(steps.last?.action.hasSuffix("breaks \(property.rawValue)") == true)
        }
    }

    @Test(arguments: ["tpt", "nested", "shadow", "pv"])
    func correctModelsHaveNoShortViolation(_ name: String) throws {
        let outcomes = try boundedModelCheck(try AgreementTests.bundled(name), depth: 5)
        #expect(outcomes.map(\.property) == [.isolation, .noDataLeak])
        for outcome in outcomes { #expect(outcome.verdict == .noViolation(upTo: 5), "\(name) \(outcome.property)") }
    }

    /// A counterexample reads step by step: each step names its transition and
    /// parameters, and the state lines it changed.
    @Test func traceStepsNameTheirParametersAndChanges() throws {
        let model = try AgreementTests.bundled("tpt-bug-no-shootdown")
        let outcome = try #require(try boundedModelCheck(model, depth: 8, properties: [.isolation]).first)
        guard case .violated(let steps) = outcome.verdict else {
            Issue.record("no counterexample: \(outcome.verdict)")
            return
        }
        // In check's words: the steps the trace replays as on the explicit semantics.
        #expect(steps.contains { $0.action.hasPrefix("host reclaim(vm") && $0.action.contains("step 1/5: set_owner(f") })
        #expect(steps.contains { step in step.changes.contains { $0.hasPrefix("owner f") && $0.hasSuffix(" -> free") } })
    }
}
