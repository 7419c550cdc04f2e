import Foundation
import TPTExplore
import TPTModel

/// One model's result, judged against its expectation.
struct CheckOutcome {
    enum Status: String, Encodable {
        case expected, unexpected, incomplete
    }

    var model: Model
    var result: ExploreResult

    var status: Status {
        if case .incomplete = result.verdict { return .incomplete }
        let met = model.expectation.isMet(byViolating: result.verdict.violatedProperties,
                                          undecided: result.undecided?.properties ?? [])
        return met.map { $0 ? .expected : .unexpected } ?? .incomplete
    }

    /// What never fired in an exhaustive search (`Coverage.warnings`).
    var warnings: [String] { result.coverage?.warnings ?? [] }

    var verdictText: String {
        switch result.verdict {
        case .holds: return result.omissionBound.map { "holds (compact: P(missed) <= \(String(format: "%.1e", $0)))" } ?? "holds"
        case .violated:
            let undecided = result.undecided.map { "; undecided: " + $0.properties.map(\.rawValue).joined(separator: ", ") } ?? ""
            return "violated by " + result.verdict.violatedProperties.map(\.rawValue).joined(separator: ", ") + undecided
        case .incomplete: return "incomplete"
        }
    }

    var statusText: String {
        switch status {
        case .expected: return "as expected"
        case .unexpected: return "UNEXPECTED: expected \(model.expectation)"
        case .incomplete:
            if case .incomplete(let reason) = result.verdict { return "INCONCLUSIVE: \(reason)" }
            if let undecided = result.undecided { return "INCONCLUSIVE: \(undecided.reason)" }
            return "INCONCLUSIVE"
        }
    }

    static let header = pad("model", 32) + pad("verdict", 56) + lpad("states", 12) + lpad("transitions", 14)
        + lpad("depth", 7) + lpad("seconds", 9) + "  result"

    var line: String {
        Self.pad(model.name, 32) + Self.pad(verdictText, 56) + Self.lpad(grouped(result.states), 12)
            + Self.lpad(grouped(result.transitions), 14) + Self.lpad(String(result.depth), 7)
            + Self.lpad(String(format: "%.2f", result.seconds), 9) + "  " + statusText
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func lpad(_ text: String, _ width: Int) -> String {
        text.count > width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}

/// 1234567 as "1,234,567".
func grouped(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return result
}

/// A counterexample as a numbered step table, one change per line.
func formatTable(_ counterexample: Counterexample, model: String) -> String {
    var lines: [String] = []
    lines.append("")
    lines.append("Counterexample: \(model) violates \(counterexample.property.rawValue) in \(counterexample.steps.count) step\(counterexample.steps.count == 1 ? "" : "s")")
    lines.append("  initial state: " + counterexample.initialState.joined(separator: ", "))
    let actorWidth = max(5, counterexample.steps.map(\.actor.count).max() ?? 0) + 2
    let actionWidth = max(6, counterexample.steps.map(\.action.count).max() ?? 0) + 2
    lines.append("  " + CheckOutcome.lpad("step", 4) + "  " + CheckOutcome.pad("actor", actorWidth)
                 + CheckOutcome.pad("action", actionWidth) + "changes")
    for (index, step) in counterexample.steps.enumerated() {
        let isLast = index == counterexample.steps.count - 1
        let changes = isLast ? ["VIOLATES \(counterexample.property.rawValue): \(counterexample.explanation)"]
                             : (step.changes.isEmpty ? ["(no change)"] : step.changes)
        let prefix = "  " + CheckOutcome.lpad(String(index + 1), 4) + "  " + CheckOutcome.pad(step.actor, actorWidth)
            + CheckOutcome.pad(step.action, actionWidth)
        lines.append(prefix + changes[0])
        let indent = String(repeating: " ", count: prefix.count)
        for change in changes.dropFirst() { lines.append(indent + change) }
    }
    lines.append("")
    return lines.joined(separator: "\n")
}

/// The machine-readable report of `check --json`.
func jsonReport(_ outcomes: [CheckOutcome], exitCode: Int32) -> String {
    struct Step: Encodable { var step: Int; var actor: String; var action: String; var changes: [String] }
    struct Trace: Encodable { var property: String; var explanation: String; var initialState: [String]; var steps: [Step] }
    struct Entry: Encodable {
        var model: String, file: String, scheme: String, expected: String, verdict: String
        var violated: [String], status: CheckOutcome.Status
        /// Properties the search stopped before deciding, beside the violated ones.
        var undecided: [String]?
        var states: Int, transitions: Int, depth: Int, seconds: Double
        /// With --compact: the bound on the chance that a state was missed.
        var omissionBound: Double?
        /// Why the search was inconclusive.
        var reason: String?
        var counterexamples: [Trace]
        /// What fired how often; absent from a swarm member's search.
        var coverage: CoverageJSON?
        /// What never fired, in an exhaustive search.
        var warnings: [String]
    }
    struct Report: Encodable { var models: [Entry]; var exitCode: Int32 }

    let entries = outcomes.map { outcome -> Entry in
        var traces: [Trace] = []
        if case .violated(let counterexamples) = outcome.result.verdict {
            traces = counterexamples.map { counterexample in
                Trace(property: counterexample.property.rawValue, explanation: counterexample.explanation,
                      initialState: counterexample.initialState,
                      steps: counterexample.steps.enumerated().map { index, step in
                          Step(step: index + 1, actor: step.actor, action: step.action, changes: step.changes)
                      })
            }
        }
        let verdict: String
        var reason: String?
        switch outcome.result.verdict {
        case .holds: verdict = "holds"
        case .violated: verdict = "violated"
        case .incomplete(let why):
            verdict = "incomplete"
            reason = why
        }
        if let undecided = outcome.result.undecided { reason = undecided.reason }
        return Entry(model: outcome.model.name, file: outcome.model.file, scheme: outcome.model.scheme.rawValue,
                     expected: outcome.model.expectation.description, verdict: verdict,
                     violated: outcome.result.verdict.violatedProperties.map(\.rawValue), status: outcome.status,
                     undecided: outcome.result.undecided?.properties.map(\.rawValue),
                     states: outcome.result.states, transitions: outcome.result.transitions,
                     depth: outcome.result.depth, seconds: outcome.result.seconds,
                     omissionBound: outcome.result.omissionBound, reason: reason, counterexamples: traces,
                     coverage: outcome.result.coverage.map(CoverageJSON.init), warnings: outcome.warnings)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(Report(models: entries, exitCode: exitCode))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}
