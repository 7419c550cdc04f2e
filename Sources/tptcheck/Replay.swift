import ArgumentParser
import Foundation
import TPTEngine

/// `tptcheck replay`: a memory-access trace through the concrete engine, for
/// every translation scheme in one pass.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a memory-access trace through native, nested, shadow, paravirtual and TPT translation.",
        discussion: """
            Reads the trace once (tptcheck's binary format, valgrind lackey text, or ChampSim \
            records; each may be gzip-compressed) and drives every scheme from it: shared \
            L1 and L2 TLBs, then each scheme's walk, page-walk caches, faults, exits and \
            hypercalls. Prints per scheme the accesses, TLB misses, walk references, exits, \
            estimated cycles and the ratio to native. Exit code 2 for a malformed trace, with \
            its line and column or byte offset.
            """)

    @Argument(help: "The trace file (- for standard input).")
    var trace: String

    @Option(help: "The trace's format: bin, lackey or champsim (default: from the file name).")
    var format: String?

    @Option(help: "The schemes to replay, comma-separated (default: native,nested,shadow,pv,tpt).")
    var schemes: String = TranslationScheme.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Page size: 4k or 2m (default: 4k, or the configuration file's).")
    var pageSize: String?

    @Option(help: "Page-table levels: 4 or 5 (default: 4, or the configuration file's).")
    var levels: Int?

    @Option(help: ArgumentHelp("A file of 'name = value' lines overriding the engine's defaults (see README).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Also write an SVG chart of each scheme's cycles relative to native to this file.", valueName: "file"))
    var svg: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Print the report as CSV.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
        if let pageSize, pageSize != "4k" && pageSize != "2m" { throw ValidationError("--page-size is 4k or 2m") }
        if let levels, levels != 4 && levels != 5 { throw ValidationError("--levels is 4 or 5") }
        if let format, TraceFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)' (bin, lackey, champsim)") }
        for name in schemes.split(separator: ",") where TranslationScheme(rawValue: String(name)) == nil {
            throw ValidationError("unknown scheme '\(name)' (native, nested, shadow, pv, tpt)")
        }
    }

    func run() throws {
        guard let format = format.flatMap(TraceFormat.init(rawValue:)) ?? TraceFormat(path: trace) else {
            throw InputError(message: "\(trace): cannot tell the trace's format from its name; give --format bin, lackey or champsim")
        }
        let chosen = schemes.split(separator: ",").compactMap { TranslationScheme(rawValue: String($0)) }
        let replay = TPTEngine.Replay(configuration: try engineConfiguration(config, pageSize: pageSize, levels: levels), schemes: chosen)
        let start = Date()
        var lastProgress = start
        do throws(TraceError) {
            var reader = try format.open(trace)
            try replay.run(&reader) { replay in
                // A progress line on standard error once a run takes more than two seconds.
                let now = Date()
                guard now.timeIntervalSince(start) > 2, now.timeIntervalSince(lastProgress) > 1, isatty(2) != 0 else { return }
                lastProgress = now
                let rate = Double(replay.records) / now.timeIntervalSince(start) / 1e6
                FileHandle.standardError.write(Data(String(format: "\r%@: %.1f M records, %.1f M/s", trace, Double(replay.records) / 1e6, rate).utf8))
            }
        } catch {
            throw InputError(message: error.message)
        }
        if Date().timeIntervalSince(start) > 2 && isatty(2) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let report = replay.report(trace: trace)
        if let svg { try writeOutput(replaySVG([report], title: "tptcheck replay"), to: svg) }
        print(json ? replayJSON(report) : csv ? replayCSV(report) : replayText(report, seconds: Date().timeIntervalSince(start)))
    }
}

/// The engine's configuration: the defaults, then the file's settings, then
/// the page size and levels given on the command line.
func engineConfiguration(_ file: String?, pageSize: String?, levels: Int?) throws -> EngineConfiguration {
    var configuration = EngineConfiguration()
    if let file {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw InputError(message: "\(file): cannot read the configuration")
        }
        do {
            configuration = try EngineConfiguration(file: file, text: text)
        } catch {
            throw InputError(message: error.message)
        }
    }
    if let pageSize { configuration.pageShift = pageSize == "2m" ? 21 : 12 }
    if let levels { configuration.levels = levels }
    return configuration
}
