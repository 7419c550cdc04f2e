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

    @OptionGroup var engine: EngineOptions

    @Option(help: ArgumentHelp("Also write an SVG chart of each scheme's cycles relative to native to this file.", valueName: "file"))
    var svg: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Print the report as CSV.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
        if let format, TraceFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)' (bin, lackey, champsim)") }
        var named: Set<Substring> = []
        for name in schemes.split(separator: ",", omittingEmptySubsequences: false) {
            guard TranslationScheme(rawValue: String(name)) != nil else {
                throw ValidationError("unknown scheme '\(name)' in --schemes (native, nested, shadow, pv, tpt, comma-separated)")
            }
            guard named.insert(name).inserted else { throw ValidationError("scheme '\(name)' is named twice in --schemes") }
        }
    }

    func run() throws {
        guard let format = format.flatMap(TraceFormat.init(rawValue:)) ?? TraceFormat(path: trace) else {
            throw InputError(message: "\(trace): cannot tell the trace's format from its name; give --format bin, lackey or champsim")
        }
        if let svg { try checkWritableFile(svg, option: "--svg") }
        let chosen = schemes.split(separator: ",").compactMap { TranslationScheme(rawValue: String($0)) }
        let replay = TPTEngine.Replay(configuration: try engine.configuration(), schemes: chosen)
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
        // Valid but empty: every figure is zero, which should not pass unnoticed.
        if replay.records == 0 { FileHandle.standardError.write(Data("warning: \(trace): the trace holds no accesses\n".utf8)) }
        let report = replay.report(trace: trace)
        // The figures first: a chart that cannot be written after all must not hide them.
        print(json ? replayJSON(report) : csv ? replayCSV(report) : replayText(report, seconds: Date().timeIntervalSince(start)))
        if let svg { try writeOutput(replaySVG([report], title: "tptcheck replay"), to: svg) }
    }
}

