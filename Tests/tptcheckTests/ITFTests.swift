import Foundation
import Testing
import TPTExplore
import TPTModel

/// ITF files written by `check --itf` parse back into the same trace.
@Suite struct ITFTests {
    let cli = CommandLineTests()

    func counterexample(_ name: String) throws -> Counterexample {
        let url = CommandLineTests.repository.appendingPathComponent("Models/\(name).tpt")
        let model = try parseModel(try String(contentsOf: url, encoding: .utf8), file: "Models/\(name).tpt")
        guard case .violated(let traces) = explore(TransitionSystem(model: model)).verdict else {
            Issue.record("\(name) is not violated")
            throw CancellationError()
        }
        return try #require(traces.first)
    }

    @Test func writtenFileParsesBackIntoTheSameTrace() throws {
        let directory = Scratch.directory.appendingPathComponent("itf-\(UUID().uuidString)")
        let result = try cli.run(["check", "--itf", directory.path, "Models/tpt-bug-no-shootdown.tpt", "Models/nested-bug-no-flush.tpt"])
        #expect(result.status == 0)
        for (name, property) in [("tpt-bug-no-shootdown", "isolation"), ("nested-bug-no-flush", "isolation")] {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(name).\(property).itf.json"))
            let parsed = try ITFTrace(itf: data)
            let expected = ITFTrace(try counterexample(name))
            #expect(parsed == expected)
            #expect(parsed.states.count == expected.states.count)
        }
    }

    @Test func statesCarryActionsParametersAndTheViolation() throws {
        let trace = try counterexample("tpt-bug-no-shootdown")
        let parsed = try ITFTrace(itf: trace.itf(model: "tpt-bug-no-shootdown", source: "x.tpt"))
        #expect(parsed.states.count == 9)
        #expect(parsed.states[0].action == "init")
        #expect(parsed.states[1].action == "read")
        #expect(parsed.states[1].parameters == [StateComponent(name: "frame", value: .text("f0")),
                                                StateComponent(name: "page", value: .text("p0"))])
        #expect(parsed.states[1].components.contains(StateComponent(name: "tlb vm0", value: .set(["p0->f0 rw"]))))
        #expect(parsed.states[2].action == "reclaim")
        #expect(parsed.states[2].parameters.contains(StateComponent(name: "primitive", value: .text("set_owner(f0, free)"))))
        #expect(parsed.states[7].parameters == [StateComponent(name: "f", value: .text("f0")),
                                                StateComponent(name: "g", value: .text("g1")),
                                                StateComponent(name: "v", value: .text("vm1"))])
        #expect(parsed.states[8].violation.hasPrefix("isolation: vm0 reached f0"))
        #expect(parsed.states[7].violation == "")
        // The document declares the ITF format and every variable.
        let document = try #require(try JSONSerialization.jsonObject(with: trace.itf(model: "m", source: "x.tpt")) as? [String: Any])
        #expect((document["#meta"] as? [String: Any])?["format"] as? String == "ITF")
        #expect(document["vars"] as? [String] == ["owner", "tag", "writer", "root", "tlb", "p2m", "host", "action", "actor", "parameters", "violation"])
    }

    @Test func malformedITFIsAnError() {
        #expect(throws: ITFTrace.FormatError.self) { try ITFTrace(itf: Data(#"{"vars": ["owner"], "states": [{}]}"#.utf8)) }
    }
}
