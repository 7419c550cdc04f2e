import Foundation
import TPTModel
import TPTProve

/// One proof file's result: what `prove` prints, and writes as JSON or JUnit.
struct ProofRun {
    var proof: ProofSpecification
    var model: Model
    var outcomes: [ObligationOutcome]
    var seconds: Double

    var unproved: [ObligationOutcome] { outcomes.filter { $0.result != .proved } }
}

func resultText(_ result: ObligationResult) -> String {
    switch result {
    case .proved: return "proved"
    case .refuted(let bounded, _): return bounded ? "REFUTED (at the model's size)" : "REFUTED"
    case .unknown(let reason): return "UNKNOWN: \(reason)"
    }
}

/// Per kind of obligation, how many are proved; and the slowest obligation.
func obligationSummary(_ outcomes: [ObligationOutcome]) -> String {
    func kind(_ outcome: ObligationOutcome) -> String {
        switch outcome.kind {
        case .initiation: return "initiation"
        case .consecution: return "consecution"
        case .safety: return "property"
        }
    }
    var lines: [String] = []
    for name in ["initiation", "consecution", "property"] {
        let ofKind = outcomes.filter { kind($0) == name }
        let proved = ofKind.filter { $0.result == .proved }.count
        lines.append("  " + CheckOutcome.pad(name, 13) + CheckOutcome.lpad(String(proved), 5) + " of " + String(ofKind.count) + " proved")
    }
    if let slowest = outcomes.max(by: { $0.seconds < $1.seconds }) {
        lines.append("  slowest: \(slowest.name) (\(String(format: "%.3f", slowest.seconds)) s)")
    }
    return lines.joined(separator: "\n")
}

func proveJSON(_ runs: [ProofRun], exitCode: Int32) -> String {
    struct Obligation: Encodable {
        var obligation: String; var result: String; var detail: String?; var counterexample: [String]? = nil; var seconds: Double
    }
    struct Entry: Encodable {
        var proof: String, file: String, model: String, properties: [String], clauses: [String]
        var verdict: String, seconds: Double, obligations: [Obligation]
    }
    struct Report: Encodable { var proofs: [Entry]; var exitCode: Int32 }
    let entries = runs.map { run in
        Entry(proof: run.proof.name, file: run.proof.file, model: run.model.name, properties: run.proof.properties.map(\.rawValue),
              clauses: run.proof.clauses.map(\.name), verdict: run.unproved.isEmpty ? "proved" : "not proved", seconds: run.seconds,
              obligations: run.outcomes.map { outcome in
                  switch outcome.result {
                  case .proved: return Obligation(obligation: outcome.name, result: "proved", seconds: outcome.seconds)
                  case .refuted(let bounded, let counterexample):
                      return Obligation(obligation: outcome.name, result: "refuted", detail: bounded ? "counterexample at the model's size" : nil,
                                        counterexample: counterexample, seconds: outcome.seconds)
                  case .unknown(let reason): return Obligation(obligation: outcome.name, result: "unknown", detail: reason, seconds: outcome.seconds)
                  }
              })
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: (try? encoder.encode(Report(proofs: entries, exitCode: exitCode))) ?? Data("{}".utf8), as: UTF8.self)
}

/// JUnit XML: a test suite per proof, a test case per obligation. A refuted
/// obligation fails; an unknown one is skipped, never passed.
func proveJUnit(_ runs: [ProofRun]) -> String {
    var suites: [JUnitSuite] = []
    for run in runs {
        var cases: [String] = []
        for outcome in run.outcomes {
            let head = "    <testcase classname=\"\(xmlEscape(run.proof.name))\" name=\"\(xmlEscape(outcome.name))\" time=\"\(String(format: "%.3f", outcome.seconds))\""
            switch outcome.result {
            case .proved: cases.append(head + "/>")
            case .refuted(_, let counterexample):
                cases.append(head + "><failure message=\"\(xmlEscape(resultText(outcome.result)))\" type=\"refuted\">"
                             + xmlEscape(counterexample.joined(separator: "\n"), attribute: false) + "</failure></testcase>")
            case .unknown:
                cases.append(head + "><skipped message=\"\(xmlEscape(resultText(outcome.result)))\"/></testcase>")
            }
        }
        let failures = run.outcomes.filter { if case .refuted = $0.result { true } else { false } }.count
        let skipped = run.outcomes.filter { if case .unknown = $0.result { true } else { false } }.count
        suites.append(JUnitSuite(name: run.proof.name, file: run.proof.file, cases: cases, failures: failures, skipped: skipped,
                                 seconds: run.seconds))
    }
    return junitDocument("tptcheck prove", suites)
}
