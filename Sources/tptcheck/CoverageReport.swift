import Foundation
import TPTModel

/// `check --coverage`: how often each rule step and guest action kind fired,
/// and on how many moves the properties were checked, indented under the
/// model's row.
func formatCoverage(_ coverage: Coverage) -> String {
    var lines = ["  coverage" + (coverage.exhaustive ? "" : " (partial: the search stopped before every state was expanded)") + ":"]
    func row(_ label: String, _ count: Int, enabled: Int? = nil) {
        lines.append(CheckOutcome.pad("    " + label, 60) + CheckOutcome.lpad(grouped(count), 14)
                     + (enabled.map { CheckOutcome.lpad(grouped($0), 14) } ?? ""))
    }
    lines.append(CheckOutcome.pad("", 60) + CheckOutcome.lpad("transitions", 14) + CheckOutcome.lpad("enabled in", 14))
    for (index, rule) in coverage.model.rules.enumerated() {
        lines.append("    rule \(rule.name) (\(rule.location))" + (rule.isAtomic ? ", atomic" : ""))
        for (step, count) in coverage.ruleSteps[index].enumerated() {
            row("  step \(step + 1): \(coverage.stepTexts[index][step])", count)
        }
    }
    for kind in Action.Kind.allCases where kind.isGuest && coverage.guestOffered[Int(kind.rawValue)] > 0 {
        row("guest \(kind.name)", coverage.transitions[Int(kind.rawValue)], enabled: coverage.guestEnabled[Int(kind.rawValue)])
    }
    let properties = coverage.model.properties
    let safety = properties.filter(\.isSafety).map(\.rawValue), equivalence = properties.filter { !$0.isSafety }.map(\.rawValue)
    if !safety.isEmpty { row("states with accesses checked for " + safety.joined(separator: ", "), coverage.accessesChecked) }
    if !equivalence.isEmpty { row("states with translations checked for " + equivalence.joined(separator: ", "), coverage.translationsChecked) }
    return lines.joined(separator: "\n")
}

/// The coverage in `check --json`.
struct CoverageJSON: Encodable {
    struct Step: Encodable { var step: Int; var text: String; var transitions: Int }
    struct RuleEntry: Encodable { var rule: String; var location: String; var atomic: Bool; var steps: [Step] }
    var exhaustive: Bool
    var rules: [RuleEntry]
    struct Guest: Encodable { var transitions: Int; var enabledInStates: Int }
    /// Per guest action kind the scheme offers: its transitions, and the
    /// states where it was enabled (changing the state or not).
    var guest: [String: Guest]
    /// States with an access (a translation) on which the properties were checked.
    var statesWithAccessesChecked: Int
    var statesWithTranslationsChecked: Int

    init(_ coverage: Coverage) {
        exhaustive = coverage.exhaustive
        rules = coverage.model.rules.enumerated().map { index, rule in
            RuleEntry(rule: rule.name, location: "\(rule.location)", atomic: rule.isAtomic,
                      steps: coverage.ruleSteps[index].enumerated().map { step, count in
                          Step(step: step + 1, text: coverage.stepTexts[index][step], transitions: count)
                      })
        }
        var guest: [String: Guest] = [:]
        for kind in Action.Kind.allCases where kind.isGuest && coverage.guestOffered[Int(kind.rawValue)] > 0 {
            guest[kind.name] = Guest(transitions: coverage.transitions[Int(kind.rawValue)],
                                     enabledInStates: coverage.guestEnabled[Int(kind.rawValue)])
        }
        self.guest = guest
        statesWithAccessesChecked = coverage.accessesChecked
        statesWithTranslationsChecked = coverage.translationsChecked
    }
}
