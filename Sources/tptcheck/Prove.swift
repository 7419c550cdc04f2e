import ArgumentParser
import Foundation
import TPTModel
import TPTProve
import TPTZ3

/// `tptcheck prove`: check each proof file's inductive invariant with Z3, for
/// any number of VMs, frames and pages.
struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove models' safety properties with inductive invariants, for any number of VMs and frames.",
        discussion: """
            Each proof file (.proof) names a model (Models/NAME.tpt next to the proof's folder), \
            the properties it proves, and its invariant's clauses. Every obligation is checked: \
            initiation, consecution under every host and guest transition, and each property. \
            Prints one line per obligation: proved, refuted (with a counterexample), or unknown.

            Exit codes: 0 every obligation proved; 1 some obligation refuted; \
            2 bad input or usage; 3 some obligation unknown (a timeout), never success.
            """)

    @Argument(help: "Proof files (.proof), or directories of them.")
    var paths: [String]

    @Option(help: "Seconds Z3 may spend on one obligation before it is unknown.")
    var timeout: Double = 60

    @Flag(help: "Print results as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    func validate() throws {
        if !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
    }

    func run() throws {
        var proofs: [(ProofSpecification, Model)] = []
        for (file, text) in try readInputs(paths, suffix: ".proof") {
            // Models/ next to the folder that holds the proof.
            let parent = ((file as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            let models = parent.isEmpty ? "Models" : (parent as NSString).appendingPathComponent("Models")
            do {
                proofs.append(try parseProof(text, file: file) { name, location throws(Diagnostic) in
                    let path = (models as NSString).appendingPathComponent("\(name).tpt")
                    guard let data = FileManager.default.contents(atPath: path), let modelText = String(data: data, encoding: .utf8) else {
                        throw Diagnostic("cannot read model '\(name)' (\(path))", at: location)
                    }
                    return try parseModel(modelText, file: path)
                })
            } catch {
                throw InputError(message: error.description)
            }
        }
        for (proof, model) in proofs where !model.scheme.walksGuestTables {
            throw InputError(message: "\(proof.modelLocation): proofs cover tpt and nested models for now; "
                             + "'\(model.name)' is \(model.scheme.rawValue)")
        }
        var runs: [ProofRun] = []
        for (proof, model) in proofs {
            let start = Date()
            let outcomes: [ObligationOutcome]
            do {
                outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties,
                                     timeoutMilliseconds: UInt32(max(1, (timeout * 1000).rounded())))
            } catch {
                throw InputError(message: "\(proof.file): \(error)")
            }
            let run = ProofRun(proof: proof, model: model, outcomes: outcomes, seconds: Date().timeIntervalSince(start))
            runs.append(run)
            if json { continue }
            print("\(proof.name): \(proof.properties.map(\.rawValue).joined(separator: ", ")) for model \(model.name), "
                  + "\(proof.clauses.count) clauses, \(outcomes.count) obligations")
            for outcome in outcomes {
                print("  " + CheckOutcome.pad(outcome.name, 44) + CheckOutcome.pad(resultText(outcome.result), 28)
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
        if let junit { try writeOutput(proveJUnit(runs), to: junit) }
        if json { print(proveJSON(runs, exitCode: status)) }
        if status != ExitStatus.success { throw ExitCode(status) }
    }
}
