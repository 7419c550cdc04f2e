import Foundation
import Testing

/// `--shard i/n` splits a model directory into disjoint parts that cover it,
/// and turns one model into a swarm of seeded searches.
@Suite struct ShardTests {
    let cli = CommandLineTests()

    /// The model names of a `check` report.
    func models(_ output: String) -> [String] {
        output.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { !$0.hasPrefix("Counterexample") }
    }

    @Test func partsAreDisjointAndCoverTheDirectory() throws {
        // A directory of the smaller bundled models: the parts are what is tested.
        let directory = Scratch.directory.appendingPathComponent("shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["host-bug-double-assign", "nested-bug-no-flush", "nested", "pv-bug-writable-pt", "tpt-bug-leaf-only-check"] {
            try cli.bundled(name).write(to: directory.appendingPathComponent("\(name).tpt"), atomically: true, encoding: .utf8)
        }
        let all = try cli.run(["check", directory.path, "--shard", "1/1", "--quiet", "--threads", "2"])
        #expect(all.status == 0)
        #expect(models(all.output).count == 5)
        var seen: [String] = []
        for index in 1...3 {
            let part = try cli.run(["check", directory.path, "--shard", "\(index)/3", "--quiet", "--threads", "2"])
            #expect(part.status == 0, "part \(index): \(part.error)")
            seen += models(part.output)
        }
        #expect(seen.sorted() == models(all.output).sorted())
        #expect(Set(seen).count == seen.count)
    }

    @Test func oneModelRunsASwarmMember() throws {
        // A bug is found, as the model expects, with a counterexample.
        let bug = try cli.run(["check", "Models/tpt-bug-no-shootdown.tpt", "--shard", "2/4", "--quiet"])
        #expect(bug.status == 0)
        #expect(bug.output.contains("Counterexample: tpt-bug-no-shootdown violates isolation"))
        // A correct model is never proved by a bounded search.
        let correct = try cli.run(["check", "Models/tpt.tpt", "--shard", "1/4", "--max-states", "20000", "--quiet"])
        #expect(correct.status == 3)
        #expect(correct.output.contains("no violation in a swarm search with seed 1"))
    }

    @Test func badShardsAreUsageErrors() throws {
        for bad in ["0/3", "4/3", "2", "a/b", "1/0"] {
            let run = try cli.run(["check", "Models", "--shard", bad])
            #expect(run.status == 2, "--shard \(bad)")
            #expect(run.error.contains("--shard is i/n"))
        }
    }
}
