import Foundation
import TPTModel
import TPTProve

/// One model's bounded model checking: what `prove --bmc` prints, and writes
/// as JSON or JUnit.
struct BoundedRun {
    var model: Model
    var depth: Int
    var outcomes: [BoundedOutcome]
    var seconds: Double

    enum Status { case expected, unexpected, inconclusive }

    var violated: [Property] {
        outcomes.compactMap { if case .violated = $0.verdict { $0.property } else { nil } }
    }

    /// Against the model's expectation, on the safety properties (translation
    /// equivalence is `check`'s), read as `check` reads it: a model expected to
    /// hold must show no violation, and each property a buggy model names must
    /// be among the violated. A violation of a model expected to hold is
    /// unexpected; an expected one not found within the bound, or a solver
    /// that gave up, is inconclusive: a longer trace may still exist.
    var status: Status {
        let expected: [Property]
        switch model.expectation {
        case .holds: expected = []
        case .violated(let properties): expected = properties.filter(\.isSafety)
        }
        if case .holds = model.expectation, !violated.isEmpty { return .unexpected }
        if outcomes.contains(where: { if case .unknown = $0.verdict { true } else { false } }) { return .inconclusive }
        return expected.allSatisfy(violated.contains) ? .expected : .inconclusive
    }

    /// Properties the model checks that bounded model checking does not decide.
    var notChecked: [Property] { model.properties.filter { !$0.isSafety } }
}

func boundedText(_ verdict: BoundedVerdict) -> String {
    switch verdict {
    case .violated(let steps): return "violated in \(steps.count) step\(steps.count == 1 ? "" : "s")"
    case .noViolation(let depth): return "no violation up to \(depth) steps"
    case .unknown(let reason, let length): return "UNKNOWN at \(length) steps: \(reason)"
    }
}

/// The counterexample as numbered steps, each with the state lines it changed.
func boundedTrace(_ steps: [BoundedStep]) -> [String] {
    var lines: [String] = []
    for (index, step) in steps.enumerated() {
        lines.append(String(format: "%4d. ", index + 1) + step.action)
        lines += step.changes.map { "        " + $0 }
    }
    return lines
}

func boundedJSON(_ runs: [BoundedRun], exitCode: Int32) -> String {
    struct Result: Encodable {
        var property: String, result: String, length: Int?, depth: Int?, reason: String?, trace: [String]?, seconds: Double
    }
    struct Entry: Encodable {
        var model: String, file: String, depth: Int, status: String, results: [Result], notChecked: [String], seconds: Double
    }
    struct Report: Encodable { var models: [Entry]; var exitCode: Int32 }
    let entries = runs.map { run in
        Entry(model: run.model.name, file: run.model.file, depth: run.depth,
              status: run.status == .expected ? "as expected" : run.status == .unexpected ? "unexpected" : "inconclusive",
              results: run.outcomes.map { outcome in
                  switch outcome.verdict {
                  case .violated(let steps):
                      return Result(property: outcome.property.rawValue, result: "violated", length: steps.count, depth: nil, reason: nil,
                                    trace: boundedTrace(steps), seconds: outcome.seconds)
                  case .noViolation(let depth):
                      return Result(property: outcome.property.rawValue, result: "no violation", length: nil, depth: depth, reason: nil,
                                    trace: nil, seconds: outcome.seconds)
                  case .unknown(let reason, let length):
                      return Result(property: outcome.property.rawValue, result: "unknown", length: length, depth: nil, reason: reason,
                                    trace: nil, seconds: outcome.seconds)
                  }
              },
              notChecked: run.notChecked.map(\.rawValue), seconds: run.seconds)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: (try? encoder.encode(Report(models: entries, exitCode: exitCode))) ?? Data("{}".utf8), as: UTF8.self)
}

/// JUnit XML: a test suite per model, a test case per property. A violation
/// the model does not expect fails, and so does a missing expected one; an
/// unknown is skipped, never passed.
func boundedJUnit(_ runs: [BoundedRun]) -> String {
    var suites: [JUnitSuite] = []
    for run in runs {
        var cases: [String] = []
        var suiteFailures = 0, suiteSkipped = 0
        let expectsHolds = if case .holds = run.model.expectation { true } else { false }
        let expected: [Property] = if case .violated(let properties) = run.model.expectation { properties } else { [] }
        for outcome in run.outcomes {
            let head = "    <testcase classname=\"\(xmlEscape(run.model.name))\" name=\"\(xmlEscape(outcome.property.rawValue))\" time=\"\(String(format: "%.3f", outcome.seconds))\""
            let message = xmlEscape(boundedText(outcome.verdict))
            switch outcome.verdict {
            case .violated(let steps) where expectsHolds:
                suiteFailures += 1
                cases.append(head + "><failure message=\"\(message)\" type=\"unexpected violation\">"
                             + xmlEscape(boundedTrace(steps).joined(separator: "\n"), attribute: false) + "</failure></testcase>")
            case .noViolation where expected.contains(outcome.property), .unknown:
                suiteSkipped += 1
                cases.append(head + "><skipped message=\"\(message)\"/></testcase>")
            default:
                cases.append(head + "><system-out>\(message)</system-out></testcase>")
            }
        }
        suites.append(JUnitSuite(name: run.model.name, file: run.model.file, cases: cases, failures: suiteFailures,
                                 skipped: suiteSkipped, seconds: run.seconds, properties: ["depth": run.depth]))
    }
    return junitDocument("tptcheck prove --bmc", suites)
}
