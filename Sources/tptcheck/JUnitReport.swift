import Foundation
import TPTExplore
import TPTModel

/// JUnit XML for CI systems: one test suite per model, one test case per checked
/// property, failing exactly when `check` would call the model's verdict
/// unexpected. Under `expect holds` every violated property fails, with the
/// counterexample table as the failure text. Under `expect violated by P`, P fails
/// unless it is violated; other properties broken pass with their counterexample
/// as output. A property the search did not decide (a limit reached, or a swarm
/// member that stopped at its first violation) is skipped, never passed.
func junitReport(_ outcomes: [CheckOutcome]) -> String {
    var suites: [JUnitSuite] = []
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
                } else if let undecided = outcome.result.undecided, undecided.properties.contains(property) {
                    skipped += 1
                    cases.append("    <testcase \(name) time=\"0\"><skipped message=\"\(xmlEscape("not decided: \(undecided.reason)"))\"/></testcase>")
                } else if expectedViolated {
                    failures += 1
                    cases.append("    <testcase \(name) time=\"0\"><failure message=\"expected a violation of \(property.rawValue), but it holds\" type=\"unexpected-verdict\"/></testcase>")
                } else {
                    cases.append("    <testcase \(name) time=\"0\"/>")
                }
            }
        }
        suites.append(JUnitSuite(name: model.name, file: model.file, cases: cases, failures: failures, skipped: skipped,
                                 seconds: outcome.result.seconds,
                                 properties: ["states": outcome.result.states, "transitions": outcome.result.transitions,
                                              "depth": outcome.result.depth],
                                 errors: outcome.warnings.map { "warning: \($0)" }))
    }
    return junitDocument("tptcheck check", suites)
}

/// One `<testsuite>`: its test cases, already rendered, and their counts.
struct JUnitSuite {
    var name: String
    var file: String
    var cases: [String]
    var failures: Int
    var skipped: Int
    var seconds: Double
    /// Figures shown as `<properties>`, in name order.
    var properties: [String: Int] = [:]
    /// Lines of the suite's `<system-err>`: warnings about the model.
    var errors: [String] = []
}

/// The whole JUnit document: the suites under a `<testsuites>` root that adds
/// up their counts.
func junitDocument(_ name: String, _ suites: [JUnitSuite]) -> String {
    func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
    let elements = suites.map { suite in
        let properties = suite.properties.isEmpty ? ""
            : "\n        <properties>" + suite.properties.sorted { $0.key < $1.key }
                .map { "<property name=\"\($0.key)\" value=\"\($0.value)\"/>" }.joined() + "</properties>"
        let systemErr = suite.errors.isEmpty ? ""
            : "\n    <system-err>\(xmlEscape(suite.errors.joined(separator: "\n"), attribute: false))</system-err>"
        return """
              <testsuite name="\(xmlEscape(suite.name))" tests="\(suite.cases.count)" failures="\(suite.failures)" errors="0" skipped="\(suite.skipped)" time="\(time(suite.seconds))" file="\(xmlEscape(suite.file))">\(properties)
            \(suite.cases.joined(separator: "\n"))\(systemErr)
              </testsuite>
            """
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="\(xmlEscape(name))" tests="\(suites.map(\.cases.count).reduce(0, +))" failures="\(suites.map(\.failures).reduce(0, +))" errors="0" skipped="\(suites.map(\.skipped).reduce(0, +))" time="\(time(suites.map(\.seconds).reduce(0, +)))">
        \(elements.joined(separator: "\n"))
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
