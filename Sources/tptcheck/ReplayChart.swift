import TPTEngine

/// An SVG chart of replays: per trace a group of horizontal bars, one per
/// scheme, each as long as the scheme's estimated cycles over native's, with
/// the ratio written at its end and a line at 1x (native).
func replaySVG(_ reports: [ReplayReport], title: String) -> String {
    let colors: [TranslationScheme: String] = [.native: "#7f7f7f", .nested: "#d62728", .shadow: "#ff7f0e", .pv: "#9467bd", .tpt: "#2ca02c"]
    let schemes = reports.first?.schemes.map(\.scheme) ?? []
    let ratios = reports.map { report in schemes.map { report.ratio($0) ?? 0 } }
    let largest = max(1.0, ratios.joined().max() ?? 1)
    let left = 230.0, barWidth = 520.0, barHeight = 16.0, gap = 14.0, top = 56.0
    let groupHeight = Double(schemes.count) * barHeight + gap
    let height = top + Double(reports.count) * groupHeight + 40
    func x(_ ratio: Double) -> Double { left + barWidth * ratio / (largest * 1.1) }
    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    func number(_ value: Double) -> String { String(format: "%.1f", value) }
    var svg = [
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + barWidth + 80))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>",
        "<text x=\"10\" y=\"40\" fill=\"#555\">estimated cycles relative to native (shorter is faster; the line is native)</text>",
    ]
    for (index, scheme) in schemes.enumerated() {
        let lx = left + Double(index) * 90
        svg.append("<rect x=\"\(number(lx))\" y=\"\(number(height - 26))\" width=\"12\" height=\"12\" fill=\"\(colors[scheme] ?? "#333")\"/>")
        svg.append("<text x=\"\(number(lx + 16))\" y=\"\(number(height - 16))\">\(scheme.rawValue)</text>")
    }
    for (row, report) in reports.enumerated() {
        let y0 = top + Double(row) * groupHeight
        let name = report.trace.split(separator: "/").last.map(String.init) ?? report.trace
        svg.append("<text x=\"\(number(left - 8))\" y=\"\(number(y0 + Double(schemes.count) * barHeight / 2 + 4))\" text-anchor=\"end\">\(escape(name))</text>")
        for (index, scheme) in schemes.enumerated() {
            let ratio = ratios[row][index]
            let y = y0 + Double(index) * barHeight
            svg.append("<rect x=\"\(number(left))\" y=\"\(number(y + 1))\" width=\"\(number(x(ratio) - left))\" height=\"\(number(barHeight - 2))\" "
                       + "fill=\"\(colors[scheme] ?? "#333")\"><title>\(scheme.rawValue): \(String(format: "%.3f", ratio))x</title></rect>")
            svg.append("<text x=\"\(number(x(ratio) + 4))\" y=\"\(number(y + barHeight - 4))\" font-size=\"11\">\(String(format: "%.2fx", ratio))</text>")
        }
    }
    svg.append("<line x1=\"\(number(x(1)))\" y1=\"\(number(top - 4))\" x2=\"\(number(x(1)))\" y2=\"\(number(height - 36))\" stroke=\"black\" stroke-dasharray=\"4 3\"/>")
    svg.append("</svg>")
    return svg.joined(separator: "\n")
}
