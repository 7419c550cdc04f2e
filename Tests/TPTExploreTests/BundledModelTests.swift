import Foundation
import Testing
import TPTExplore
import TPTModel

func modelsDirectory() -> URL {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models")
}

func loadBundledModel(_ name: String) throws -> Model {
    let url = modelsDirectory().appendingPathComponent(name + ".tpt")
    return try parseModel(try String(contentsOf: url, encoding: .utf8), file: url.path)
}

let bundledModelNames = [
    "tpt", "nested", "shadow", "pv", "shadow-bug-missed-trap", "pv-bug-writable-pt",
    "tpt-bug-no-shootdown", "tpt-bug-flush-before-retag", "tpt-bug-leaf-only-check",
    "tpt-bug-no-scrub", "tpt-bug-scrub-before-shootdown", "nested-bug-no-flush", "host-bug-double-assign",
    "snp", "snp-bug-no-flush", "snp-bug-no-rmp-clear", "snp-bug-assign-by-rmp",
    "tpt-async-shootdown", "tpt-bug-no-ack-wait", "tpt-bug-lazy-skip", "pv-retype", "real-xsa-401", "real-xsa-241",
    "nested-async-flush", "real-xsa-346", "tpt-walk-cache", "tpt-bug-walk-cache-retag",
    "real-xsa-292", "real-cve-2022-39189", "tpt-deferred-flush", "real-xsa-480",
    "pv-vcpu-roots", "pv-bug-unpin-other-root", "tpt-bug-shootdown-one-vcpu",
    "tpt-write-protect", "tpt-bug-downgrade-no-shootdown", "nested-write-protect", "nested-bug-downgrade-one-vcpu",
    "tpt-deferred-release", "tpt-bug-release-before-flush",
]

/// Every bundled model reaches the verdict it expects, for the reason it names.
@Suite struct BundledModelTests {
    @Test func everyBundledModelIsListedHere() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: modelsDirectory().path)
            .filter { $0.hasSuffix(".tpt") }.map { String($0.dropLast(4)) }
        #expect(Set(names) == Set(bundledModelNames))
    }

    @Test(arguments: bundledModelNames)
    func verdictMatchesExpectation(_ name: String) throws {
        let model = try loadBundledModel(name)
        let result = checkModel(model)
        #expect(model.expectation.isMet(byViolating: result.verdict.violatedProperties),
                "\(name): expected \(model.expectation), got \(result.verdict)")
        if case .holds = result.verdict {
            #expect(result.states > 1000, "a holding model should explore a real state space")
        }
        // Nothing in a bundled model is dead: every rule fires, every guest
        // action offered is enabled somewhere, no property holds vacuously.
        #expect(result.coverage?.warnings == [], "\(name): \(result.coverage?.warnings ?? ["no coverage"])")
    }

    @Test func correctModelsMeetTheRequiredSize() throws {
        for name in ["tpt", "nested", "snp"] {  // shadow runs smaller for now: see Models/shadow.tpt
            let c = try loadBundledModel(name).configuration
            #expect(c.vms >= 2 && c.frames >= 4 && c.levels >= 2 && c.fanout >= 2 && c.tlb >= 1)
        }
    }
}
