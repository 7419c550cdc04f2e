import ArgumentParser
import Foundation
import TPTModel
import TPTProve
import TPTZ3

/// `tptcheck prove`: check each proof file's inductive invariant (or, for
/// translation equivalence, simulation relation) with Z3, for any number of
/// VMs, vCPUs, frames and pages; or, with `--bmc K`, look for
/// counterexamples of up to K steps in models at their own configuration.
struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove isolation, no data leak and translation equivalence with inductive invariants, for any number of VMs and frames.",
        discussion: """
            Each proof file (.proof) names a model (Models/NAME.tpt next to the proof's folder), \
            the properties it proves, and its invariant's clauses. Every obligation is checked: \
            initiation, consecution under every host and guest transition, and each property. \
            Prints, per proof, how many obligations of each kind are proved, the slowest one, \
            and every obligation not proved: refuted (with a counterexample to induction) or \
            unknown. --verbose lists every obligation.

            With --bmc K, the paths are models (.tpt): bounded model checking unrolls \
            each model's transitions at its own configuration and reports, per safety \
            property, the shortest counterexample (the length `check` finds) or \
            "no violation up to K steps", which is not a proof.

            Exit codes: 0 every obligation proved (--bmc: every result as the model \
            expects within the bound); 1 some obligation refuted (--bmc: an unexpected \
            violation); 2 bad input or usage; 3 some obligation unknown, a timeout \
            (--bmc: also an expected violation not found within K steps), never success.
            """)

    @Argument(help: "Proof files (.proof), or directories of them; with --bmc, model files (.tpt) or directories.")
    var paths: [String]

    @Option(help: ArgumentHelp("Bounded model checking of models, up to this many steps.", valueName: "K"))
    var bmc: Int?

    @Option(name: .customLong("emit-smt2"),
            help: ArgumentHelp("Write each obligation's deciding query to this directory as a standalone SMT-LIB2 file "
                               + "(PROOF.NN.OBLIGATION.smt2; unsat means the obligation holds).", valueName: "dir"))
    var emitSMT2: String?

    @Option(help: "Seconds Z3 may spend on one obligation before it is unknown.")
    var timeout: Double = 60

    @Flag(help: "List every obligation with its result and time, not only those not proved.")
    var verbose = false

    @Flag(help: "Print results as JSON.")
    var json = false

    @OptionGroup var sharding: ShardOption

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    func validate() throws {
        if !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        if let bmc, !(1...200).contains(bmc) { throw ValidationError("--bmc must be between 1 and 200 steps") }
        if bmc != nil && emitSMT2 != nil { throw ValidationError("--emit-smt2 writes proof obligations; it does not apply to --bmc") }
    }

    private var timeoutMilliseconds: UInt32 { UInt32(max(1, (timeout * 1000).rounded())) }

    func run() throws {
        if let junit { try checkWritableFile(junit, option: "--junit") }
        if let emitSMT2 { try prepareDirectory(emitSMT2, option: "--emit-smt2") }
        if let bmc { return try runBounded(depth: bmc) }
        var proofs: [(ProofSpecification, Model)] = []
        for (file, text) in sharding.select(try readInputs(paths, suffix: ".proof")) {
            // Models/ next to the folder that holds the proof.
            let parent = ((file as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            let models = parent.isEmpty ? "Models" : (parent as NSString).appendingPathComponent("Models")
            do {
                proofs.append(try parseProof(text, file: file) { name, location throws(Diagnostic) in
                    let path = (models as NSString).appendingPathComponent("\(name).tpt")
                    let modelText: String
                    do throws(InputError) {
                        modelText = try readText(path)
                    } catch {
                        throw Diagnostic("cannot read model '\(name)': \(error.message)", at: location)
                    }
                    return try parseModel(modelText, file: path)
                })
            } catch {
                throw InputError(message: error.description)
            }
        }
        // A model a proof cannot follow is refused before any obligation runs.
        for (proof, model) in proofs where !proof.properties.contains(.equivalence) {
            if let gap = proofCoverageGaps(model).first { throw InputError(message: gap.description) }
        }
        var runs: [ProofRun] = []
        for result in proveConcurrently(proofs) {
            let run = try result.get()
            let (proof, model, outcomes) = (run.proof, run.model, run.outcomes)
            runs.append(run)
            if let emitSMT2 { try writeScripts(run, to: emitSMT2) }
            if json { continue }
            print("\(proof.name): \(proof.properties.map(\.rawValue).joined(separator: ", ")) for model \(model.name), "
                  + "\(proof.clauses.count) clauses, \(outcomes.count) obligations")
            if !verbose { print(obligationSummary(outcomes)) }
            let width = outcomes.map(\.name.count).max() ?? 0
            for outcome in outcomes where verbose || outcome.result != .proved {
                print("  " + CheckOutcome.pad(outcome.name, width + 2) + CheckOutcome.pad(resultText(outcome.result), 30)
                      + String(format: "%7.3f s", outcome.seconds))
                if case .refuted(_, let counterexample) = outcome.result {
                    for line in counterexample { print("      " + line) }
                }
            }
            let verdict = run.unproved.isEmpty ? "proved" : "NOT proved (\(run.unproved.count) of \(outcomes.count) obligations)"
            print("  \(verdict) in \(String(format: "%.2f", run.seconds)) s")
        }
        let unproved = runs.flatMap(\.unproved)
        let status: Int32 = unproved.contains { if case .refuted = $0.result { true } else { false } } ? ExitStatus.unexpectedVerdict
            : unproved.isEmpty ? ExitStatus.success : ExitStatus.inconclusive
        if json { print(proveJSON(runs, exitCode: status)) }
        var reports: [() throws -> Void] = []
        if let junit { reports.append { try writeOutput(proveJUnit(runs), to: junit) } }
        try finish(status: status, writing: reports)
    }

    /// Every proof's obligations, the proofs one per core at a time, each in its
    /// own Z3 context (Z3 runs distinct contexts in parallel); the results in
    /// the proofs' order.
    private func proveConcurrently(_ proofs: [(ProofSpecification, Model)]) -> [Result<ProofRun, InputError>] {
        let results = ProofResults(count: proofs.count)
        let timeout = timeoutMilliseconds, scripts = emitSMT2 != nil
        DispatchQueue.concurrentPerform(iterations: proofs.count) { index in
            let (proof, model) = proofs[index]
            let start = Date()
            do {
                let outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties,
                                         timeoutMilliseconds: timeout, scripts: scripts)
                results.set(index, .success(ProofRun(proof: proof, model: model, outcomes: outcomes, seconds: Date().timeIntervalSince(start))))
            } catch {
                results.set(index, .failure(InputError(message: "\(proof.file): \(error)")))
            }
        }
        return results.all
    }

    /// One file per obligation, numbered in the order `prove` prints them.
    private func writeScripts(_ run: ProofRun, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(message: "\(directory): cannot create: \(error.localizedDescription)")
        }
        for (index, outcome) in run.outcomes.enumerated() {
            guard let script = outcome.smtlib2 else { continue }
            let slug = outcome.name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
                .split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
            let file = (directory as NSString).appendingPathComponent(String(format: "%@.%02d.%@.smt2", run.proof.name, index + 1, slug))
            try writeOutput("; \(run.proof.name): \(outcome.name) (tptcheck: \(resultText(outcome.result)))\n" + script, to: file)
        }
    }

    /// `--bmc K`: every model, every safety property, up to K steps.
    private func runBounded(depth: Int) throws {
        let models = try loadModels(paths)
        var runs: [BoundedRun] = []
        if !json { print(CheckOutcome.pad("model", 32) + CheckOutcome.pad("property", 14) + CheckOutcome.pad("result", 34) + "seconds") }
        for model in models {
            let start = Date()
            let outcomes: [BoundedOutcome]
            do {
                outcomes = try boundedModelCheck(model, depth: depth, timeoutMilliseconds: timeoutMilliseconds)
            } catch {
                throw InputError(message: "\(model.file): \(error.message)")
            }
            let run = BoundedRun(model: model, depth: depth, outcomes: outcomes, seconds: Date().timeIntervalSince(start))
            runs.append(run)
            if json { continue }
            for (index, outcome) in outcomes.enumerated() {
                let status = index + 1 < outcomes.count ? ""
                    : run.status == .expected ? "  as expected" : run.status == .unexpected ? "  UNEXPECTED" : "  INCONCLUSIVE"
                print(CheckOutcome.pad(index == 0 ? model.name : "", 32) + CheckOutcome.pad(outcome.property.rawValue, 14)
                      + CheckOutcome.pad(boundedText(outcome.verdict), 34) + String(format: "%7.2f", outcome.seconds) + status)
            }
            if !run.notChecked.isEmpty {
                print(CheckOutcome.pad("", 32) + run.notChecked.map(\.rawValue).joined(separator: ", ") + ": not decided by --bmc (use check)")
            }
        }
        if !json {
            for run in runs {
                for outcome in run.outcomes {
                    guard case .violated(let steps) = outcome.verdict else { continue }
                    print("\nCounterexample: \(run.model.name) violates \(outcome.property.rawValue) in \(steps.count) steps (bounded model checking)")
                    boundedTrace(steps).forEach { print($0) }
                }
            }
        }
        let status: Int32 = runs.contains { $0.status == .unexpected } ? ExitStatus.unexpectedVerdict
            : runs.contains { $0.status == .inconclusive } ? ExitStatus.inconclusive : ExitStatus.success
        if json { print(boundedJSON(runs, exitCode: status)) }
        var reports: [() throws -> Void] = []
        if let junit { reports.append { try writeOutput(boundedJUnit(runs), to: junit) } }
        try finish(status: status, writing: reports)
    }
}

/// The proofs' results as workers finish them, under a lock.
private final class ProofResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ProofRun, InputError>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<ProofRun, InputError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    /// Every result; called once every worker is done.
    var all: [Result<ProofRun, InputError>] {
        lock.lock()
        defer { lock.unlock() }
        return results.map { $0 ?? .failure(InputError(message: "internal error: a proof was not run (please report this as a bug)")) }
    }
}
