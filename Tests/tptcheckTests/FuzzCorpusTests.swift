import Foundation
import Testing
import TPTFuzz

/// The regression corpus: every input the fuzzer or a user found breaking the
/// contract, kept once fixed (`FuzzCorpus/KIND/`), run as `tptfuzz` runs a
/// case. None may crash, hang or be rejected without a location; a file named
/// `reject-...` must be rejected, one named `accept-...` accepted.
@Suite(.serialized) struct FuzzCorpusTests {
    static let corpus = CommandLineTests.repository.appendingPathComponent("Tests/tptcheckTests/FuzzCorpus").path

    /// One workspace for the suite, as the fuzzer prepares it.
    static let workspace: String = {
        let directory = Scratch.directory.appendingPathComponent("fuzz-workspace-\(UUID().uuidString)").path
        try! Workspace.prepare(directory, repository: CommandLineTests.repository.path)
        return directory
    }()

    /// The commands each kind's cases run under (`InputKind.arguments`'s variants).
    static func variants(_ kind: InputKind) -> [Int] {
        switch kind {
        case .models: return [0, 7]
        case .configs: return [0, 1, 2]
        case .traces: return [0, 1]
        case .proofs, .commands: return [0]
        }
    }

    @Test(arguments: InputKind.allCases)
    func everyCaseKeepsTheContract(_ kind: InputKind) throws {
        let folder = Self.corpus + "/" + kind.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.isEmpty, "no \(kind.rawValue) in the corpus")
        let runner = CaseRunner(executable: CommandLineTests.executable.path, workingDirectory: Self.workspace)
        for name in names {
            let path = kind.casePath(in: Self.workspace, name: name)
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            for variant in Self.variants(kind) {
                let arguments = try kind.arguments(for: path, variant: variant)
                let outcome = runner.run(arguments, input: kind.locatedInput(path), seconds: kind.seconds,
                                         busyIsSlow: !kind.boundsItsWork).outcome
                let run = "\(kind.rawValue)/\(name): tptcheck \(arguments.joined(separator: " ")): \(outcome)"
                #expect(!outcome.isFinding, "\(run)")
                if name.hasPrefix("reject-") { #expect(outcome == .rejected, "\(run)") }
                if name.hasPrefix("accept-") {
                    if case .accepted = outcome {} else { Issue.record("expected acceptance: \(run)") }
                }
            }
        }
    }

    /// The judge itself: a crash, a hang, an exit code outside the contract
    /// and a message without a location are findings; a located message is not.
    @Test func theJudgeCatchesEachKindOfFinding() throws {
        let folder = Scratch.directory.appendingPathComponent("fuzz-judge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func script(_ name: String, _ body: String) throws -> CaseRunner {
            let path = folder + "/" + name
            try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            return CaseRunner(executable: path, workingDirectory: folder)
        }
        let input = folder + "/case.tpt"
        func outcome(_ runner: CaseRunner, seconds: Double = 10) -> Outcome {
            runner.run([input], input: input, seconds: seconds).outcome
        }
        #expect(outcome(try script("segv", "kill -SEGV $$")).kind == "crash")
        #expect(outcome(try script("trap", "echo 'Fatal error: Index out of range' >&2; exit 2")).kind == "crash")
        #expect(outcome(try script("exit7", "exit 7")).kind == "crash")
        #expect(outcome(try script("sleep", "exec sleep 20"), seconds: 0.5) == .hang)
        // Busy at the limit: slow where the work is not bounded, a hang where it is.
        let spin = try script("spin", "while :; do :; done")
        #expect(spin.run([input], input: input, seconds: 1, busyIsSlow: true).outcome == .slow)
        #expect(spin.run([input], input: input, seconds: 1).outcome == .hang)
        #expect(outcome(try script("vague", "echo 'error: something is wrong' >&2; exit 2")).kind == "unlocated")
        #expect(outcome(try script("located", "echo \"$1:3:14: expected a frame\" >&2; exit 2")) == .rejected)
        #expect(outcome(try script("offset", "echo \"$1: compressed byte 120: the trace ends early\" >&2; exit 2")) == .rejected)
        #expect(outcome(try script("fine", "exit 3")) == .accepted(3))
    }
}
