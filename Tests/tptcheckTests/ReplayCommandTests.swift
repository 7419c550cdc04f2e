import Foundation
import Testing

/// `tptcheck gen` and `tptcheck replay`: the report, its JSON and CSV, and
/// exit code 2 with a location for a malformed trace.
@Suite struct ReplayCommandTests {
    let cli = CommandLineTests()

    static func temporary(_ name: String) -> String {
        Scratch.directory.appendingPathComponent("replay-\(UUID().uuidString)-\(name)").path
    }

    /// An empty trace is valid, with a warning; an unwritable --svg is refused before the replay.
    @Test func anEmptyTraceWarnsAndABadSVGPathIsRefusedFirst() throws {
        let empty = Self.temporary("empty.bin")
        try Data(Array("TPTTRACE".utf8) + [1, 0, 0, 0, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: empty))
        let result = try cli.run(["replay", empty])
        #expect(result.status == 0)
        #expect(result.error.contains("warning: \(empty): the trace holds no accesses"))
        let refused = try cli.run(["replay", empty, "--svg", Scratch.directory.path])
        #expect(refused.status == 2 && refused.output.isEmpty && refused.error.contains("--svg names a directory"))
    }

    @Test func generatedTracesReplayThroughEveryScheme() throws {
        let trace = Self.temporary("chase.bin.gz")
        let generated = try cli.run(["gen", "chase", "--accesses", "200000", "--footprint", "64", "--seed", "3", "-o", trace])
        #expect(generated.status == 0)
        #expect(generated.output.contains("200,000 records"))
        let text = try cli.run(["replay", trace])
        #expect(text.status == 0)
        let rows = text.output.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(Array(rows.dropFirst(2)) == ["native", "nested", "shadow", "pv", "tpt"])
        #expect(text.output.contains("1.000x"))

        let json = try cli.run(["replay", "--json", "--schemes", "native,nested", trace])
        let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let schemes = report?["schemes"] as? [[String: Any]] ?? []
        #expect(schemes.map { $0["scheme"] as? String } == ["native", "nested"])
        #expect(schemes.first?["accesses"] as? Int == 200_000)
        #expect(schemes.first?["ratioToNative"] as? Double == 1)
        // Nested paging's 2-D walks read more entries than native's.
        #expect((schemes.last?["walkReferences"] as? Int ?? 0) > (schemes.first?["walkReferences"] as? Int ?? 0))

        let csv = try cli.run(["replay", "--csv", "--schemes", "tpt", trace])
        let lines = csv.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("trace,scheme,accesses,l1Misses,") == true)
        #expect(lines.count == 2 && lines[1].contains(",tpt,200000,"))

        // The same seed, the same trace.
        let again = Self.temporary("chase.bin.gz")
        _ = try cli.run(["gen", "chase", "--accesses", "200000", "--footprint", "64", "--seed", "3", "-o", again])
        let rerun = try cli.run(["replay", "--json", "--schemes", "native,nested", again])
        let rerunReport = try JSONSerialization.jsonObject(with: Data(rerun.output.utf8)) as? [String: Any]
        #expect((rerunReport?["schemes"] as? NSArray) == (report?["schemes"] as? NSArray))
    }

    @Test func aMalformedTraceExitsTwoWithItsLocation() throws {
        let bad = Self.temporary("bad.lackey")
        try "I  0401ab70,3\n L 1fff000678,8\n S xyz,8\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try cli.run(["replay", bad])
        #expect(result.status == 2)
        #expect(result.error == "\(bad):3:4: expected a hexadecimal address\n")
        #expect(try cli.run(["replay", "README.md"]).status == 2)
        #expect(try cli.run(["replay", "--format", "bin", "README.md"]).error.contains("README.md: byte 0: not a tptcheck binary trace"))
        #expect(try cli.run(["replay", "--schemes", "native,ept", bad]).status == 2)
        #expect(try cli.run(["gen", "gups", "--accesses", "0", "-o", bad]).status == 2)
    }

    /// The paper's table: a row per synthetic workload and per trace in the
    /// folder, native at 1, and an SVG chart; a bad configuration is exit 2.
    @Test func paperTableAndChart() throws {
        let folder = Self.temporary("traces")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try " L 7f0000001000,8\n S 7f0000002000,8\n".write(toFile: folder + "/tiny.lackey", atomically: true, encoding: .utf8)
        let chart = Self.temporary("paper.svg")
        let result = try cli.run(["paper", "--accesses", "20000", "--traces", folder, "--svg", chart])
        #expect(result.status == 0)
        let rows = result.output.split(separator: "\n").dropFirst().map { $0.prefix(36).trimmingCharacters(in: .whitespaces) }
        #expect(rows == ["gups (synthetic)", "chase (synthetic)", "stream (synthetic)", "churn (synthetic)", "tiny.lackey"])
        #expect(result.output.split(separator: "\n").dropFirst().allSatisfy { $0.contains("   1.000 ") })
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("tiny.lackey") && svg.contains(">tpt</text>"))
        let config = Self.temporary("bad.conf")
        try "exit_cycles = -1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try cli.run(["replay", "--config", config, folder + "/tiny.lackey"])
        #expect(bad.status == 2 && bad.error.hasPrefix("\(config):1:15: expected a whole number"))
    }

    /// The real traces, when present: their distinct data pages are the faults
    /// (../shared/traces/README.md lists 693 for sqlite3).
    @Test func realTraceReplays() throws {
        let trace = CommandLineTests.repository.deletingLastPathComponent()
            .appendingPathComponent("shared/traces/sqlite3-index-lookups.lackey.gz").path
        guard FileManager.default.fileExists(atPath: trace) else {
            print("skipped: \(trace) is absent")
            return
        }
        let result = try cli.run(["replay", "--json", "--schemes", "native,tpt", trace])
        #expect(result.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let schemes = report?["schemes"] as? [[String: Any]] ?? []
        #expect(report?["instructions"] as? Int == 4_488_794)
        #expect(schemes.first?["accesses"] as? Int ?? 0 >= 1_318_638 + 545_920 + 31_468)
        #expect(schemes.allSatisfy { $0["pageFaults"] as? Int == 693 })
    }
}
