import ArgumentParser
import Foundation
import TPTExplore
import TPTModel

/// `tptcheck necessity`: which steps, and which step orders, of a correct model's
/// host rules does isolation actually depend on?
struct Necessity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check a correct model without each host-rule step, and with adjacent steps swapped.",
        discussion: """
            For each step of each host rule, the model is checked again without that step; \
            for each interleaved rule, also with each adjacent pair of steps swapped. A change \
            is 'needed' when the changed model breaks a property (the property and the length \
            of its shortest counterexample are shown) and 'redundant' when it still holds.

            Exit codes: 0 the analysis completed; 1 the model itself does not hold; \
            2 bad input or usage; 3 some variant was inconclusive (a state or memory limit).
            """)

    @Argument(help: "A model file (.tpt) whose verdict is 'holds'.")
    var file: String

    @Flag(help: "Print results as JSON.")
    var json = false

    @OptionGroup var exploration: ExplorationOptions

    func run() throws {
        guard let model = try loadModels([file]).first else { return }
        let options = exploration.exploreOptions(model: model.name)
        // Whether it holds; the first violation answers that.
        var gate = options
        gate.stopAtFirstViolation = true
        let base = checkModel(model, options: gate)
        switch base.verdict {
        case .holds:
            break
        case .violated:
            let properties = base.verdict.violatedProperties.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("\(model.file): necessity needs a model that holds; \(model.name) is violated by \(properties)\n".utf8))
            throw ExitCode(ExitStatus.unexpectedVerdict)
        case .incomplete(let reason):
            FileHandle.standardError.write(Data("\(model.file): inconclusive: \(reason)\n".utf8))
            throw ExitCode(ExitStatus.inconclusive)
        }
        let findings = analyzeNecessity(model, options: options)
        if json {
            print(necessityJSON(model, base: base, findings: findings))
        } else {
            print("\(model.name) holds (\(grouped(base.states)) states); each change below is checked from scratch:")
            let ruleWidth = max(6, findings.map(\.rule.count).max() ?? 0) + 2
            let changeWidth = max(8, findings.map(\.description.count).max() ?? 0) + 2
            // Each property's own shortest length when several break (the
            // length column is the shortest of them).
            func breaks(_ finding: NecessityFinding) -> String {
                guard case .violated(let found) = finding.result.verdict else { return "" }
                if found.count == 1 { return found[0].property.rawValue }
                return found.map { "\($0.property.rawValue) (\($0.steps.count))" }.joined(separator: ", ")
            }
            let breaksWidth = max(8, (findings.map { breaks($0).count }.max() ?? 0) + 2)
            print(CheckOutcome.pad("rule", ruleWidth) + CheckOutcome.pad("change", changeWidth)
                  + CheckOutcome.pad("verdict", 12) + CheckOutcome.pad("breaks", breaksWidth) + CheckOutcome.lpad("length", 6)
                  + CheckOutcome.lpad("states", 14))
            for finding in findings {
                print(CheckOutcome.pad(finding.rule, ruleWidth) + CheckOutcome.pad(finding.description, changeWidth)
                      + CheckOutcome.pad(verdictWord(finding), 12)
                      + CheckOutcome.pad(breaks(finding), breaksWidth)
                      + CheckOutcome.lpad(finding.isNeeded ? String(finding.result.depth) : "-", 6)
                      + CheckOutcome.lpad(grouped(finding.result.states), 14))
            }
        }
        if findings.contains(where: { if case .incomplete = $0.result.verdict { true } else { false } }) {
            throw ExitCode(ExitStatus.inconclusive)
        }
    }
}

func verdictWord(_ finding: NecessityFinding) -> String {
    switch finding.result.verdict {
    case .holds: return "redundant"
    case .violated: return "needed"
    case .incomplete: return "incomplete"
    }
}

func necessityJSON(_ model: Model, base: ExploreResult, findings: [NecessityFinding]) -> String {
    struct Entry: Encodable {
        var rule: String, change: String, kind: String, step: Int, verdict: String
        var breaks: [String], counterexampleLength: Int?, states: Int
    }
    struct Report: Encodable { var model: String; var baseStates: Int; var findings: [Entry] }
    let entries = findings.map { finding -> Entry in
        let (kind, step): (String, Int)
        switch finding.change {
        case .drop(let index): (kind, step) = ("drop", index + 1)
        case .swap(let index): (kind, step) = ("swap", index + 1)
        }
        return Entry(rule: finding.rule, change: finding.description, kind: kind, step: step,
                     verdict: verdictWord(finding), breaks: finding.result.verdict.violatedProperties.map(\.rawValue),
                     counterexampleLength: finding.isNeeded ? finding.result.depth : nil, states: finding.result.states)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(Report(model: model.name, baseStates: base.states, findings: entries))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}
