import Foundation
import TPTEngine

// Concrete-engine throughput: accesses per second and peak memory of one-pass
// replays through all five schemes.
//
//     swift run -c release replaybench            # the suite (about 40 s)
//     swift run -c release replaybench TRACE [SCHEMES]   # one replay, in this process
//
// The suite writes 10- and 50-million-access gups traces (random updates over
// 1 GiB: almost every access misses the L2 TLB) and a 50-million-access stream
// trace in the binary format, then replays each, and every trace in
// ../shared/traces, each in its own process so that its peak memory is its
// own. gups at 10 and 50 million shows whether memory grows with the trace.

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// One replay, timed; prints a line.
func replayOne(_ path: String, schemes: [TranslationScheme]) throws {
    let replay = Replay(schemes: schemes)
    let start = Date()
    var reader = try TraceFormat(path: path)!.open(path)
    try replay.run(&reader)
    let seconds = Date().timeIntervalSince(start)
    let report = replay.report(trace: path)
    let accesses = report.schemes[0].counters.accesses
    let name = "\((path as NSString).lastPathComponent), \(schemes.count == 5 ? "all five schemes" : schemes.map(\.rawValue).joined(separator: ","))"
    print(name.padding(toLength: 52, withPad: " ", startingAt: 0)
          + String(format: "%12d records %12d accesses %7.2f s %8.1f M records/s %8.1f M accesses/s  peak %6.1f MiB",
                   replay.records, accesses, seconds, Double(replay.records) / seconds / 1e6, Double(accesses) / seconds / 1e6,
                   peakResidentMiB()))
}

func generate(_ workload: Workload, accesses: Int, to path: String) throws {
    var parameters = WorkloadParameters()
    parameters.accesses = accesses
    let writer = try BinaryTraceWriter(path: path)
    try workload.generate(parameters) { record throws(TraceError) in try writer.append(record) }
    try writer.finish()
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if let trace = arguments.first {
        let schemes = arguments.count > 1 ? arguments[1].split(separator: ",").compactMap { TranslationScheme(rawValue: String($0)) }
                                          : TranslationScheme.allCases
        try replayOne(trace, schemes: schemes)
        exit(0)
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("replaybench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    var runs: [[String]] = []
    for (workload, accesses) in [(Workload.gups, 10_000_000), (.gups, 50_000_000), (.stream, 50_000_000)] {
        let path = "\(work)/\(workload.rawValue)-\(accesses / 1_000_000)M.bin"
        try generate(workload, accesses: accesses, to: path)
        runs.append([path])
    }
    runs.append(["\(work)/gups-50M.bin", "native"])
    let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/traces").path
    let real = ((try? FileManager.default.contentsOfDirectory(atPath: shared)) ?? []).sorted().filter { TraceFormat(path: $0) != nil }
    if real.isEmpty { print("skipped: no traces in \(shared)") }
    runs += real.map { ["\(shared)/\($0)"] }
    for run in runs {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = run
        try process.run()
        process.waitUntilExit()
    }
} catch {
    FileHandle.standardError.write(Data("replaybench: \(error)\n".utf8))
    exit(2)
}
