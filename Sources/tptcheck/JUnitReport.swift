import Foundation
import TPTExplore
import TPTModel

/// JUnit XML for CI systems: one test suite per model, one test case per checked
/// property, failing exactly when `check` would call the model's verdict
/// unexpected. Under `expect holds` every violated property fails, with the
/// counterexample table as the failure text. Under `expect violated by P`, P fails
/// unless it is violated; other properties broken at the same depth pass with their
/// counterexample as output. A property the search did not decide (a state limit,
/// or a search that stopped at the first violation) is skipped, never passed.
func junitReport(_ outcomes: [CheckOutcome]) -> String {
    var suites: [String] = []
    var totalTests = 0, totalFailures = 0, totalSkipped = 0
    var totalSeconds = 0.0
    for outcome in outcomes {
        let model = outcome.model
        var cases: [String] = []
        var failures = 0, skipped = 0
        for property in model.properties {
            let name = "classname=\"\(xmlEscape(model.name))\" name=\"\(property.rawValue)\""
            let expectedViolated: Bool
            if case .violated(let expected) = model.expectation { expectedViolated = expected.contains(property) } else { expectedViolated = false }
            switch outcome.result.verdict {
            case .incomplete(let reason):
                skipped += 1
                cases.append("    <testcase \(name) time=\"0\"><skipped message=\"\(xmlEscape("inconclusive: \(reason)"))\"/></testcase>")
            case .holds:
                if expectedViolated {
                    failures += 1
                    cases.append("    <testcase \(name) time=\"0\"><failure message=\"expected a violation of \(property.rawValue), but it holds\" type=\"unexpected-verdict\"/></testcase>")
                } else {
                    cases.append("    <testcase \(name) time=\"0\"/>")
                }
            case .violated(let counterexamples):
                if let counterexample = counterexamples.first(where: { $0.property == property }) {
                    if model.expectation != .holds {
                        cases.append("    <testcase \(name) time=\"0\"><system-out>\(xmlEscape(formatTable(counterexample, model: model.name), attribute: false))</system-out></testcase>")
                    } else {
                        failures += 1
                        let message = "\(property.rawValue) violated in \(counterexample.steps.count) steps: \(counterexample.explanation)"
                        cases.append("    <testcase \(name) time=\"0\"><failure message=\"\(xmlEscape(message))\" type=\"violation\">\(xmlEscape(formatTable(counterexample, model: model.name), attribute: false))</failure></testcase>")
                    }
                } else if expectedViolated {
                    failures += 1
                    let broken = counterexamples.map(\.property.rawValue).joined(separator: ", ")
                    cases.append("    <testcase \(name) time=\"0\"><failure message=\"\(xmlEscape("expected a violation of \(property.rawValue), but \(broken) broke first"))\" type=\"unexpected-verdict\"/></testcase>")
                } else {
                    skipped += 1
                    cases.append("    <testcase \(name) time=\"0\"><skipped message=\"not decided: the search stopped at the first violation\"/></testcase>")
                }
            }
        }
        let seconds = String(format: "%.3f", outcome.result.seconds)
        suites.append("""
              <testsuite name="\(xmlEscape(model.name))" tests="\(cases.count)" failures="\(failures)" errors="0" skipped="\(skipped)" time="\(seconds)" file="\(xmlEscape(model.file))">
                <properties><property name="states" value="\(outcome.result.states)"/><property name="transitions" value="\(outcome.result.transitions)"/><property name="depth" value="\(outcome.result.depth)"/></properties>
            \(cases.joined(separator: "\n"))
              </testsuite>
            """)
        totalTests += cases.count
        totalFailures += failures
        totalSkipped += skipped
        totalSeconds += outcome.result.seconds
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="tptcheck check" tests="\(totalTests)" failures="\(totalFailures)" errors="0" skipped="\(totalSkipped)" time="\(String(format: "%.3f", totalSeconds))">
        \(suites.joined(separator: "\n"))
        </testsuites>

        """
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 forbids.
/// Line breaks are kept in element content and encoded in attributes.
func xmlEscape(_ text: String, attribute: Bool = true) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        case "\n": result += attribute ? "&#10;" : "\n"
        case "\t", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
        }
    }
    return result
}
