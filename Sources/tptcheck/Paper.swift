import ArgumentParser
import Foundation
import TPTEngine

/// `tptcheck paper`: the shape of the TPT paper's evaluation, each scheme's
/// runtime relative to native per workload, synthetic and real.
struct Paper: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each scheme's estimated runtime relative to native, per workload (synthetic and real traces).",
        discussion: """
            Replays four synthetic workloads (generated in memory, seed 1: gups and chase over \
            1 GiB, stream over 1 GiB, churn over 256 MiB) and every trace in --traces \
            (default ../shared/traces when it exists) through all five schemes, and prints \
            a row per workload: the ratio of each scheme's estimated cycles to native's, and \
            TPT's speedup over nested and shadow paging.
            """)

    @Option(help: "Data accesses per synthetic workload.")
    var accesses: Int = 10_000_000

    @Option(help: ArgumentHelp("A folder of real traces (.lackey.gz, .bin, .champsim, ...).", valueName: "dir"))
    var traces: String?

    @OptionGroup var engine: EngineOptions

    @Option(help: ArgumentHelp("Also write the table as an SVG chart to this file.", valueName: "file"))
    var svg: String?

    @Flag(help: "Print the table as JSON.")
    var json = false

    func validate() throws {
        try checkGeneratedAccesses(accesses)
    }

    func run() throws {
        let configuration = try engine.configuration()
        if let svg { try checkWritableFile(svg, option: "--svg") }
        var reports: [ReplayReport] = []
        for workload in Workload.allCases {
            var parameters = WorkloadParameters()
            parameters.accesses = accesses
            parameters.footprint = workload == .churn ? 256 << 20 : 1 << 30
            let replay = TPTEngine.Replay(configuration: configuration)
            var batch: [TraceRecord] = []
            batch.reserveCapacity(1 << 14)
            func flush() {
                batch.withUnsafeBufferPointer { replay.replay($0) }
                batch.removeAll(keepingCapacity: true)
            }
            try workload.generate(parameters) { record in
                batch.append(record)
                if batch.count == 1 << 14 { flush() }
            }
            flush()
            reports.append(replay.report(trace: "\(workload.rawValue) (synthetic)"))
        }
        let folder = traces ?? "../shared/traces"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
        if traces != nil && files.isEmpty { throw InputError(message: "\(folder): no traces") }
        for file in files {
            guard let format = TraceFormat(path: file) else { continue }
            let path = (folder as NSString).appendingPathComponent(file)
            let replay = TPTEngine.Replay(configuration: configuration)
            do {
                var reader = try format.open(path)
                try replay.run(&reader)
            } catch {
                throw InputError(message: error.message)
            }
            reports.append(replay.report(trace: file))
        }
        // The figures first: a chart that cannot be written after all must not hide them.
        print(json ? paperJSON(reports) : paperText(reports))
        if let svg { try writeOutput(replaySVG(reports, title: "tptcheck paper: runtime relative to native"), to: svg) }
    }
}

func paperText(_ reports: [ReplayReport]) -> String {
    let schemes = TranslationScheme.allCases
    var lines = [CheckOutcome.pad("workload", 36) + schemes.map { CheckOutcome.lpad($0.rawValue, 9) }.joined()
                 + CheckOutcome.lpad("tpt vs nested", 15) + CheckOutcome.lpad("tpt vs shadow", 15)]
    for report in reports {
        let ratios = schemes.map { report.ratio($0) }
        var line = CheckOutcome.pad(report.trace, 36) + ratios.map { CheckOutcome.lpad($0.map { String(format: "%.3f", $0) } ?? "-", 9) }.joined()
        if let tpt = report.ratio(.tpt), let nested = report.ratio(.nested), let shadow = report.ratio(.shadow) {
            line += CheckOutcome.lpad(String(format: "%.2fx", nested / tpt), 15) + CheckOutcome.lpad(String(format: "%.2fx", shadow / tpt), 15)
        }
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

func paperJSON(_ reports: [ReplayReport]) -> String {
    let rows: [[String: Any]] = reports.map { report in
        var row: [String: Any] = ["workload": report.trace]
        for scheme in TranslationScheme.allCases { row[scheme.rawValue] = report.ratio(scheme) ?? NSNull() }
        return row
    }
    let data = (try? JSONSerialization.data(withJSONObject: ["relativeToNative": rows], options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}
