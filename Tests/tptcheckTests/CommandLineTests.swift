import Foundation
import Testing

/// Runs the built `tptcheck` binary and checks the exit-code contract:
/// 0 as expected, 1 unexpected verdict, 2 bad input, 3 inconclusive.
@Suite struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `tptcheck` executable next to the test bundle (same build folder).
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("tptcheck")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/tptcheck")
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   error: String(decoding: errData, as: UTF8.self))
    }

    func temporaryModel(_ text: String) throws -> String {
        let url = Scratch.directory.appendingPathComponent("tptcheck-\(UUID().uuidString).tpt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func bundled(_ name: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent("Models/\(name).tpt"), encoding: .utf8)
    }

    @Test func exitZeroWhenEveryVerdictIsAsExpected() throws {
        let result = try run(["check", "Models/tpt-bug-no-shootdown.tpt", "Models/nested-bug-no-flush.tpt"])
        #expect(result.status == 0)
        #expect(result.output.contains("tpt-bug-no-shootdown"))
        #expect(result.output.contains("violated by isolation"))
        #expect(result.output.contains("as expected"))
    }

    @Test func exitOneWhenAVerdictIsUnexpected() throws {
        let path = try temporaryModel(try bundled("tpt-bug-no-shootdown")
            .replacingOccurrences(of: "expect violated by isolation", with: "expect holds"))
        let result = try run(["check", path])
        #expect(result.status == 1)
        #expect(result.output.contains("UNEXPECTED: expected holds"))
        // The unexpected counterexample is printed as a step table.
        #expect(result.output.contains("VIOLATES isolation"))
    }

    @Test func exitOneWhenTheWrongPropertyBreaks() throws {
        let path = try temporaryModel(try bundled("tpt-bug-no-scrub")
            .replacingOccurrences(of: "expect violated by no_data_leak", with: "expect violated by isolation"))
        #expect(try run(["check", path]).status == 1)
    }

    @Test func exitTwoWithLocationForABadModel() throws {
        let path = try temporaryModel(try bundled("tpt").replacingOccurrences(of: "shootdown(f)", with: "shootdown(h)"))
        let result = try run(["check", path])
        #expect(result.status == 2)
        #expect(result.error.contains("\(path):34:18: unknown name 'h'"))
        #expect(result.output.isEmpty, "no partial result")
    }

    @Test func exitTwoForABinaryFile() throws {
        let url = Scratch.directory.appendingPathComponent("tptcheck-\(UUID().uuidString).tpt")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: url)
        let result = try run(["check", url.path])
        #expect(result.status == 2)
        #expect(result.error.contains("\(url.path):1:1: file is not valid UTF-8 (byte 0 is 0xff)"))
        // A bad byte further in is reported where it is, not at 1:1; a
        // truncated sequence and an overlong one are bad bytes too.
        for (bytes, location) in [(Array("model m\nscheme tpt // é\n".utf8) + [0xC3, 0x28], "3:1"),
                                  (Array("model m\n  x".utf8) + [0xE2, 0x82], "2:4"),
                                  (Array("model é".utf8) + [0xC0, 0xAF], "1:9")] {
            try Data(bytes).write(to: url)
            let bad = try run(["check", url.path])
            #expect(bad.status == 2 && bad.error.contains("\(url.path):\(location): file is not valid UTF-8"), "\(bad.error)")
        }
        // A byte-order mark and CRLF line endings are read, in models and engine configurations.
        let model = try String(contentsOf: Self.repository.appendingPathComponent("Models/tpt-bug-leaf-only-check.tpt"), encoding: .utf8)
        try Data(("\u{FEFF}" + model.replacingOccurrences(of: "\n", with: "\r\n")).utf8).write(to: url)
        #expect(try run(["check", url.path, "--quiet"]).status == 0)
    }

    @Test func exitTwoForMissingFilesAndBadOptions() throws {
        #expect(try run(["check", "Models/no-such-model.tpt"]).status == 2)
        #expect(try run(["check", "--max-states", "zero", "Models"]).status == 2)
        #expect(try run(["frobnicate"]).status == 2)
        // Values past what the machine or Int can hold are refused up front (they trapped, or took 23 GB).
        for (option, value, message) in [("--memory", "inf", "--memory must be a positive number of GiB"),
                                         ("--memory", "1e10", "--memory must be a positive number of GiB"),
                                         ("--memory", "nan", "--memory must be a positive number of GiB"),
                                         ("--threads", "9223372036854775807", "--threads must be between 1 and"),
                                         ("--threads", "1000", "--threads must be between 1 and")] {
            let result = try run(["check", option, value, "Models/tpt.tpt"])
            #expect(result.status == 2, "\(option) \(value)")
            #expect(result.error.contains(message), "\(option) \(value): \(result.error)")
        }
    }

    /// Report paths are checked before the search or the proof starts: no
    /// table is printed and no file is left behind.
    @Test func unwritableReportPathsAreRefusedBeforeTheWork() throws {
        let directory = Scratch.directory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("plain").path
        try Data().write(to: URL(fileURLWithPath: file))
        for arguments in [["check", "Models/tpt.tpt", "--junit", directory.path], ["check", "Models/tpt.tpt", "--itf", file],
                          ["check", "Models/tpt.tpt", "--junit", "/proc/no-such-dir/report.xml"],
                          ["prove", "Proofs/tpt.proof", "--junit", directory.path], ["prove", "--bmc", "2", "Models/tpt.tpt", "--junit", directory.path]] {
            let result = try run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.output.isEmpty, "\(arguments): the work ran")
            #expect(result.error.contains("--junit") || result.error.contains("--itf"), "\(arguments): \(result.error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["plain"])
    }

    @Test func exitThreeAndIncompleteAtTheStateLimit() throws {
        let result = try run(["check", "--max-states", "100", "Models/tpt.tpt"])
        #expect(result.status == 3)
        #expect(result.output.contains("incomplete"))
        #expect(!result.output.contains("holds"))
    }

    @Test func jsonReportCarriesVerdictAndCounterexample() throws {
        // no_data_leak alone: with isolation too, the search would go on to prove it holds.
        let path = try temporaryModel(try bundled("tpt-bug-no-scrub")
            .replacingOccurrences(of: "check isolation, no_data_leak", with: "check no_data_leak"))
        let result = try run(["check", "--json", path])
        #expect(result.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let model = (report?["models"] as? [[String: Any]])?.first
        #expect(model?["verdict"] as? String == "violated")
        #expect(model?["violated"] as? [String] == ["no_data_leak"])
        let trace = (model?["counterexamples"] as? [[String: Any]])?.first
        #expect((trace?["steps"] as? [Any])?.count == 7)
    }
}

@Suite struct NecessityCommandTests {
    let cli = CommandLineTests()

    @Test func printsATableAndExitsZero() throws {
        let result = try cli.run(["necessity", "Models/pv.tpt"])
        #expect(result.status == 0)
        #expect(result.output.contains("drop step 3: shootdown(f)"))
        #expect(result.output.contains("needed      isolation"))
    }

    @Test func refusesAModelThatDoesNotHold() throws {
        let result = try cli.run(["necessity", "Models/tpt-bug-no-scrub.tpt"])
        #expect(result.status == 1)
        #expect(result.error.contains("necessity needs a model that holds"))
    }

    @Test func stateLimitIsInconclusive() throws {
        #expect(try cli.run(["necessity", "--max-states", "10", "Models/tpt.tpt"]).status == 3)
    }
}

@Suite struct ProveCommandTests {
    let cli = CommandLineTests()

    /// (`ProofFileTests` proves every bundled proof; `emittedObligationsRecheckWithTheZ3Binary`
    /// proves several files on one command line, verbosely.)
    @Test func bundledProofsAreProvedAndExitZero() throws {
        // Without --verbose: a count per kind of obligation, nothing per obligation.
        let summary = try cli.run(["prove", "Proofs/shadow.proof"])
        #expect(summary.status == 0)
        #expect(summary.output.contains("  consecution    130 of 130 proved\n"))
        #expect(!summary.output.contains("isolation: read (walk and fill)  "))
    }

    /// A proof file in a folder next to a Models folder with the model.
    func temporaryProof(_ text: String) throws -> String {
        let root = Scratch.directory.appendingPathComponent("tptcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Proofs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Models"), withIntermediateDirectories: true)
        try cli.bundled("tpt").write(to: root.appendingPathComponent("Models/tpt.tpt"), atomically: true, encoding: .utf8)
        let path = root.appendingPathComponent("Proofs/x.proof").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func bundledProof() throws -> String {
        try String(contentsOf: CommandLineTests.repository.appendingPathComponent("Proofs/tpt.proof"), encoding: .utf8)
    }

    @Test func aClauseThatIsNotInductiveExitsOne() throws {
        let path = try temporaryProof(try bundledProof().replacingOccurrences(of: "running(f, reclaim, 2..4)", with: "running(f, reclaim, 2..3)"))
        let result = try cli.run(["prove", path])
        #expect(result.status == 1)
        // Old data outlives step 3 (the shootdown) until the scrub: the clause breaks there, and only there.
        let refuted = result.output.split(separator: "\n").filter { $0.contains("REFUTED") }
        #expect(refuted.count == 1 && refuted[0].contains("consecution: reclaim step 3/6 keeps data"), "\(refuted)")
        // The counterexample to induction: the state before, the step, what changed, the clause.
        #expect(result.output.contains("      before:"))
        #expect(result.output.contains("      transition: reclaim step 3/6 (v = "))
        #expect(result.output.contains("      after, changed:\n        host f"))
    }

    @Test func aBadProofExitsTwoWithItsLocation() throws {
        let path = try temporaryProof(try bundledProof().replacingOccurrences(of: "forall k: frame.", with: "forall k: cpu."))
        let result = try cli.run(["prove", path])
        #expect(result.status == 2)
        #expect(result.error.contains("\(path):14:13: unknown sort 'cpu'"))
        #expect(try cli.run(["prove", "--timeout", "0", "Proofs"]).status == 2)
        // A shadow model's guest is encoded: an invariant that says nothing
        // proves nothing, and the counterexample is at the model's size.
        let shadow = try temporaryProof("proof s\nmodel shadow\nproves isolation\nclause anything: true\n")
        try cli.bundled("shadow").write(toFile: ((shadow as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent + "/Models/shadow.tpt", atomically: true, encoding: .utf8)
        let refuted = try cli.run(["prove", "--timeout", "5", shadow])
        #expect(refuted.status == 1)
        #expect(refuted.output.contains("isolation: read (walk and fill)") && refuted.output.contains("REFUTED (at the model's size)"))
    }

    /// A timeout is unknown, and unknown is exit 3, never success.
    @Test func aTimeoutIsInconclusive() throws {
        // Two proofs, not the folder: building every bundled proof's
        // obligations took 35 s of CPU for the same verdict.
        let result = try cli.run(["prove", "--timeout", "0.001", "Proofs/tpt.proof", "Proofs/shadow.proof"])
        #expect(result.status == 3)
        #expect(result.output.contains("UNKNOWN: timeout"))
        #expect(!result.output.contains("  proved in"))
    }

    @Test func jsonAndJUnitCarryEveryObligation() throws {
        let out = Scratch.directory.appendingPathComponent("prove-\(UUID().uuidString).xml").path
        let path = try temporaryProof(try bundledProof().replacingOccurrences(of: "running(f, reclaim, 2..4)", with: "running(f, reclaim, 2..3)"))
        let result = try cli.run(["prove", "--json", "--junit", out, path])
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(report?["exitCode"] as? Int == 1)
        let proof = (report?["proofs"] as? [[String: Any]])?.first
        #expect(proof?["verdict"] as? String == "not proved")
        let obligations = proof?["obligations"] as? [[String: Any]] ?? []
        #expect(obligations.count == 138)
        let refuted = obligations.filter { $0["result"] as? String == "refuted" }
        #expect(refuted.map { $0["obligation"] as? String } == ["consecution: reclaim step 3/6 keeps data"])
        #expect((refuted.first?["counterexample"] as? [String])?.contains("after, changed:") == true)
        // A real XML parser accepts the JUnit file: one failure, the refuted obligation.
        let junit = try JUnitTests().parse(out)
        #expect(junit.cases.count == 138)
        #expect(junit.cases.filter { $0.outcome == "failure" }.map(\.name) == ["tpt.consecution: reclaim step 3/6 keeps data"])
    }

    /// Bundled proofs of three schemes and features (tags; pv's pins and
    /// flush requests; snp's reverse map) are proved (exit 0, nothing
    /// refuted or unknown), and the obligations written with --emit-smt2,
    /// one file each, get the same answer from the standalone `z3` binary
    /// (Debian's z3 package, which .ci/run installs): unsat where tptcheck
    /// proved it, sat where it refuted it. (`ProofFileTests` proves every
    /// bundled proof.)
    @Test func emittedObligationsRecheckWithTheZ3Binary() throws {
        let bundled = Scratch.directory.appendingPathComponent("smt2-\(UUID().uuidString)").path
        let broken = bundled + "-shrunk"
        let shrunk = try temporaryProof(try bundledProof().replacingOccurrences(of: "running(f, reclaim, 2..4)", with: "running(f, reclaim, 2..3)"))
        let proofs = ["tpt", "pv-retype", "snp"]
        let result = try cli.run(["prove", "--verbose", "--emit-smt2", bundled] + proofs.map { "Proofs/\($0).proof" })
        #expect(result.status == 0)
        #expect(result.output.contains("tpt: isolation, no_data_leak for model tpt, 8 clauses, 138 obligations"))
        #expect(result.output.contains("pv-retype: isolation, no_data_leak for model pv-retype, 11 clauses, 219 obligations"))
        #expect(result.output.contains("isolation: read (walk and fill)"))
        let unproved = result.output.split(separator: "\n").filter { $0.contains("REFUTED") || $0.contains("UNKNOWN") }
        #expect(unproved.isEmpty, "\(unproved)")
        // One file per obligation: as many as the proofs' headers say they have.
        let obligations = result.output.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasSuffix(" obligations"), let count = line.split(separator: " ").dropLast().last else { return nil }
            return Int(count)
        }
        #expect(obligations.count == proofs.count)
        #expect(try cli.run(["prove", "--emit-smt2", broken, shrunk]).status == 1)
        var answers: [String: Int] = [:]
        for directory in [bundled, broken] {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".smt2") }.sorted()
            #expect(files.count == (directory == bundled ? obligations.reduce(0, +) : 138))
            for file in files {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["z3", "-T:60", (directory as NSString).appendingPathComponent(file)]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = Pipe()
                try process.run()
                let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                process.waitUntilExit()
                #expect(process.terminationStatus != 127, "the z3 binary is missing: apt-get install -y z3")
                let expected = directory == broken && file.hasSuffix(".consecution-reclaim-step-3-6-keeps-data.smt2") ? "sat" : "unsat"
                #expect(answer == expected, "\(file)")
                answers[answer, default: 0] += 1
            }
        }
        #expect(answers == ["unsat": obligations.reduce(0, +) + 137, "sat": 1])
    }

    /// Bounded model checking: the shortest counterexample, "no violation up
    /// to K" (never "proved"), and exit 3 when K is too short to find what a
    /// model expects.
    @Test func boundedModelCheckingReportsLengthsAndBounds() throws {
        let buggy = try cli.run(["prove", "--bmc", "8", "Models/tpt-bug-no-shootdown.tpt"])
        #expect(buggy.status == 0)
        #expect(buggy.output.contains("isolation     violated in 8 steps"))
        #expect(buggy.output.contains("Counterexample: tpt-bug-no-shootdown violates isolation in 8 steps (bounded model checking)"))
        let last = buggy.output.split(separator: "\n").first { $0.hasPrefix("   8. ") } ?? ""
        // In check's words: the trace replayed on the explicit semantics.
        #expect(last.contains(" read p") && last.hasSuffix("breaks isolation"), "\(last)")
        #expect(buggy.output.contains("host reclaim(vm"))
        let out = Scratch.directory.appendingPathComponent("bmc-\(UUID().uuidString).xml").path
        let short = try cli.run(["prove", "--bmc", "3", "--junit", out, "Models/tpt-bug-no-shootdown.tpt"])
        #expect(short.status == 3)
        // The expected violation not found within the bound is skipped, never passed.
        let junit = try JUnitTests().parse(out)
        #expect(junit.cases.map(\.name) == ["tpt-bug-no-shootdown.isolation", "tpt-bug-no-shootdown.no_data_leak"])
        #expect(junit.cases.map(\.outcome) == ["skipped", "passed"])
        #expect(short.output.contains("no violation up to 3 steps"))
        #expect(short.output.contains("INCONCLUSIVE"))
        let correct = try cli.run(["prove", "--bmc", "4", "--json", "Models/pv.tpt"])
        #expect(correct.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(correct.output.utf8)) as? [String: Any]
        let model = (report?["models"] as? [[String: Any]])?.first
        #expect(model?["status"] as? String == "as expected")
        #expect((model?["results"] as? [[String: Any]])?.map { $0["result"] as? String } == ["no violation", "no violation"])
        #expect(model?["notChecked"] as? [String] == ["equivalent_to_nested"])
        #expect(!correct.output.contains("proved"))
        #expect(try cli.run(["prove", "--bmc", "0", "Models/pv.tpt"]).status == 2)
        #expect(try cli.run(["prove", "--bmc", "3", "--emit-smt2", "/tmp", "Models/pv.tpt"]).status == 2)
    }
}

/// Text inputs are read as streams: a model through a pipe is checked.
@Suite struct StreamedInputTests {
    @Test func aModelReadFromStandardInputIsChecked() throws {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["check", "/dev/stdin", "--threads", "1"]
        process.currentDirectoryURL = CommandLineTests.repository
        process.standardInput = try FileHandle(forReadingFrom: CommandLineTests.repository.appendingPathComponent("Models/nested.tpt"))
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("holds"), "\(text)")
    }
}

/// Coverage and vacuity from the command line: warnings under the model's
/// row, in JSON and in JUnit; `--strict` makes them exit 1.
@Suite struct CoverageCommandTests {
    let commandLine = CommandLineTests()

    /// The nested model with a rule whose guard can never hold.
    func deadRuleModel() throws -> String {
        try commandLine.temporaryModel(try commandLine.bundled("nested")
            .replacingOccurrences(of: "when owner(f) == free and nested(v, g) == empty",
                                  with: "when owner(f) == free and owner(f) == vm0 and nested(v, g) == empty"))
    }

    @Test func aDeadRuleIsAWarningAndStrictMakesItExitOne() throws {
        let path = try deadRuleModel()
        let plain = try commandLine.run(["check", path])
        #expect(plain.status == 0)
        #expect(plain.output.contains("  warning: \(path):14:1: rule assign never fires"), "\(plain.output)")
        let strict = try commandLine.run(["check", "--strict", path])
        #expect(strict.status == 1)
        let junit = Scratch.directory.appendingPathComponent("coverage-\(UUID().uuidString).xml").path
        _ = try commandLine.run(["check", path, "--junit", junit])
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<system-err>warning: \(path):14:1: rule assign never fires"))
        let json = try commandLine.run(["check", "--json", path])
        let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let entry = (report?["models"] as? [[String: Any]])?.first
        #expect((entry?["warnings"] as? [String])?.first?.contains("rule assign never fires") == true)
        let coverage = entry?["coverage"] as? [String: Any]
        let rules = coverage?["rules"] as? [[String: Any]]
        #expect(rules?.map { $0["rule"] as? String } == ["assign", "reclaim"])
        let assignSteps = rules?.first?["steps"] as? [[String: Any]]
        #expect(assignSteps?.allSatisfy { $0["transitions"] as? Int == 0 } == true)
    }

    @Test func coveragePrintsEveryRuleStepAndGuestAction() throws {
        let result = try commandLine.run(["check", "--coverage", "Models/nested.tpt"])
        #expect(result.status == 0)
        for line in ["rule assign (Models/nested.tpt:14:1), atomic", "step 1: set_owner(f, v)", "rule reclaim (Models/nested.tpt:23:1)",
                     "step 4: scrub(f)", "guest read", "guest load_root", "states with accesses checked for isolation, no_data_leak"] {
            #expect(result.output.contains(line), "missing \(line) in \(result.output)")
        }
        #expect(!result.output.contains("warning"))
        // The bundled models have no warnings, strictly.
        #expect(try commandLine.run(["check", "--strict", "Models/nested.tpt", "Models/pv.tpt"]).status == 0)
    }
}
