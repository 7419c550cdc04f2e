import ArgumentParser
import Foundation
import TPTExplore
import TPTModel

/// `tptcheck check`: explore every model exhaustively and compare each verdict
/// with the model's `expect` line.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore models exhaustively and compare each verdict with its expectation.",
        discussion: """
            Prints one line per model: name, verdict, distinct states, transitions, \
            BFS depth, seconds, and whether the verdict matches the model's expectation. \
            Counterexamples are printed as step tables when one model is checked, with \
            --traces, or when a verdict is unexpected.

            After an exhaustive search, a rule that never fires, a guest action that is never \
            enabled, or a property that nothing reachable could break is a warning under the \
            model's row (and a system-err line in JUnit); --coverage prints how often each fired.

            Exit codes: 0 every verdict as expected; 1 some verdict differs (or, with --strict, \
            a warning); 2 bad input or usage; 3 inconclusive (a state, memory or time limit, or a \
            swarm member that found nothing).
            """)

    @Argument(help: "Model files (.tpt), or directories of them.")
    var paths: [String]

    @Flag(help: "Print results as JSON.")
    var json = false

    @OptionGroup var exploration: ExplorationOptions

    @OptionGroup var sharding: ShardOption

    @Flag(help: "Print under each model how many transitions each rule step and guest action fired.")
    var coverage = false

    @Flag(help: "Exit 1 when some model has a warning (a rule that never fires, a guest action never enabled, a vacuous property).")
    var strict = false

    @Flag(help: "Print every counterexample, not only unexpected ones.")
    var traces = false

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write each counterexample to this directory in the ITF trace format (MODEL.PROPERTY.itf.json).",
                               valueName: "dir"))
    var itf: String?

    func run() throws {
        let all = try loadModels(paths)
        if let junit { try checkWritableFile(junit, option: "--junit") }
        if let itf { try prepareDirectory(itf, option: "--itf") }
        // One model split n ways: a swarm, each part a differently seeded search.
        let swarm = all.count == 1 && (sharding.part?.count ?? 1) > 1
        let models = swarm ? all : sharding.select(all)
        var outcomes: [CheckOutcome] = []
        if !json { print(CheckOutcome.header) }
        for model in models {
            var options = exploration.exploreOptions(model: model.name)
            if swarm { options.swarmSeed = UInt64(sharding.part!.index) }
            let outcome = CheckOutcome(model: model, result: checkModel(model, options: options))
            exploration.clearProgress()
            outcomes.append(outcome)
            if !json {
                print(outcome.line)
                for warning in outcome.warnings { print("  warning: \(warning)") }
                if coverage, let counts = outcome.result.coverage { print(formatCoverage(counts)) }
                if case .violated(let counterexamples) = outcome.result.verdict,
                   traces || models.count == 1 || outcome.status == .unexpected {
                    for counterexample in counterexamples {
                        print(formatTable(counterexample, model: model.name))
                    }
                }
            }
        }
        let status = overallStatus(outcomes)
        if json {
            print(jsonReport(outcomes, exitCode: status))
        }
        var reports: [() throws -> Void] = []
        if let junit { reports.append { try writeOutput(junitReport(outcomes), to: junit) } }
        if let itf { reports.append { try writeTraces(outcomes, to: itf) } }
        try finish(status: status, writing: reports)
    }

    private func overallStatus(_ outcomes: [CheckOutcome]) -> Int32 {
        if outcomes.contains(where: { $0.status == .unexpected }) { return ExitStatus.unexpectedVerdict }
        if outcomes.contains(where: { $0.status == .incomplete }) { return ExitStatus.inconclusive }
        if strict && outcomes.contains(where: { !$0.warnings.isEmpty }) { return ExitStatus.unexpectedVerdict }
        return ExitStatus.success
    }
}

/// Writes every counterexample as `DIR/MODEL.PROPERTY.itf.json`.
func writeTraces(_ outcomes: [CheckOutcome], to directory: String) throws(InputError) {
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw InputError(message: "\(directory): cannot create directory: \(error.localizedDescription)")
    }
    for outcome in outcomes {
        guard case .violated(let counterexamples) = outcome.result.verdict else { continue }
        for counterexample in counterexamples {
            let path = (directory as NSString).appendingPathComponent("\(outcome.model.name).\(counterexample.property.rawValue).itf.json")
            try writeOutput(counterexample.itf(model: outcome.model.name, source: outcome.model.file), to: path)
        }
    }
}
