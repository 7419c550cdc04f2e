import Foundation
import TPTEngine

/// The replay's table: a row per scheme.
func replayText(_ report: ReplayReport, seconds: Double) -> String {
    let first = report.schemes.first?.counters ?? SchemeCounters()
    var lines = ["\(report.trace): \(grouped(Int(first.accesses))) data accesses, \(grouped(Int(report.instructions))) instructions, "
                 + "\(String(format: "%.1f", seconds)) s"]
    let widths = [13, 13, 14, 12, 12, 12, 17, 11]
    func row(_ name: String, _ cells: [String]) -> String {
        var line = CheckOutcome.pad(name, 8)
        for (cell, width) in zip(cells, widths) { line += CheckOutcome.lpad(cell, width) }
        return line
    }
    lines.append(row("scheme", ["L1 misses", "L2 misses", "walk refs", "faults", "exits", "hypercalls", "cycles", "vs native"]))
    for (scheme, c) in report.schemes {
        let ratio = report.ratio(scheme).map { String(format: "%.3fx", $0) } ?? "-"
        let counts = [c.l1Misses, c.l2Misses, c.walkReferences, c.pageFaults, c.exits, c.hypercalls, c.cycles].map { grouped(Int($0)) }
        lines.append(row(scheme.rawValue, counts + [ratio]))
    }
    return lines.joined(separator: "\n")
}

private let replayColumns = ["accesses", "l1Misses", "l2Misses", "walkReferences", "walkReferenceMisses", "walkCacheHits",
                             "tagChecks", "tagCacheMisses", "pageFaults", "pageTableWrites", "exits", "hypercalls",
                             "invalidations", "cycles"]

private func values(_ c: SchemeCounters) -> [UInt64] {
    [c.accesses, c.l1Misses, c.l2Misses, c.walkReferences, c.walkReferenceMisses, c.walkCacheHits, c.tagChecks,
     c.tagCacheMisses, c.pageFaults, c.pageTableWrites, c.exits, c.hypercalls, c.invalidations, c.cycles]
}

func replayCSV(_ report: ReplayReport) -> String {
    var lines = [(["trace", "scheme"] + replayColumns + ["ratioToNative"]).joined(separator: ",")]
    for (scheme, c) in report.schemes {
        let ratio = report.ratio(scheme).map { String(format: "%.6f", $0) } ?? ""
        let trace = report.trace.contains(",") ? "\"\(report.trace.replacingOccurrences(of: "\"", with: "\"\""))\"" : report.trace
        lines.append(([trace, scheme.rawValue] + values(c).map(String.init) + [ratio]).joined(separator: ","))
    }
    return lines.joined(separator: "\n")
}

func replayJSON(_ report: ReplayReport) -> String {
    var schemes: [[String: Any]] = []
    for (scheme, c) in report.schemes {
        var entry: [String: Any] = ["scheme": scheme.rawValue]
        for (name, value) in zip(replayColumns, values(c)) { entry[name] = value }
        if let ratio = report.ratio(scheme) { entry["ratioToNative"] = ratio }
        schemes.append(entry)
    }
    let object: [String: Any] = ["trace": report.trace, "instructions": report.instructions, "unmappedPages": report.unmappedPages,
                                 "schemes": schemes]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}
