import Foundation
import TPTExplore
import TPTModel

// Explicit-checker throughput: distinct states per second, transitions per second
// and peak memory for the bundled tpt model at larger configurations, with
// symmetry reduction on and off, on one thread and on two.
//
//     swift run -c release tptbench                  # the matrix, one process per run
//     swift run -c release tptbench 2,4,2,2,2        # one configuration: vms,frames,levels,fanout,tlb
//     swift run -c release tptbench --threads=1 --symmetry=off --seconds=600 2,4,2,2,2
//
// Each run is its own process so that its peak memory (ru_maxrss) is its own.
// A run that does not finish within the time limit (default 300 s) is reported
// as incomplete, with its figures so far.

let modelsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Models")

func option(_ name: String) -> String? {
    CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
}
let timeLimit = option("seconds").flatMap(Double.init) ?? 300
let threads = option("threads").flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
let symmetry = option("symmetry") != "off"
let configurations = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
}

func runOne(_ spec: String) throws {
    let numbers = spec.split(separator: ",").compactMap { Int($0) }
    guard numbers.count == 5 else {
        FileHandle.standardError.write(Data("expected vms,frames,levels,fanout,tlb, got \(spec)\n".utf8))
        exit(2)
    }
    var model = try parseModel(try String(contentsOf: modelsDirectory.appendingPathComponent("tpt.tpt"), encoding: .utf8),
                               file: "tpt.tpt")
    model.configuration.vms = numbers[0]
    model.configuration.frames = numbers[1]
    model.configuration.levels = numbers[2]
    model.configuration.fanout = numbers[3]
    model.configuration.tlb = numbers[4]
    model.properties = [.isolation, .noDataLeak]
    let system = TransitionSystem(model: model)
    let result = explore(system, options: ExploreOptions(maxSeconds: timeLimit, symmetry: symmetry, threads: threads))
    let verdict: String
    switch result.verdict {
    case .holds: verdict = "holds"
    case .violated: verdict = "violated"
    case .incomplete: verdict = "incomplete"
    }
    let perState = Double(result.storeBytes) / Double(result.states)
    print(pad(spec, 11) + pad(symmetry ? "on" : "off", 5) + pad("\(threads)", 4) + pad(verdict, 11)
          + String(format: "%12ld %14ld %6ld %8.2f %11.0f %14.0f %9.1f %8.1f %7ld",
                   result.states, result.transitions, result.depth, result.seconds,
                   Double(result.states) / result.seconds, Double(result.transitions) / result.seconds,
                   peakResidentMiB(), perState, system.layout.words * 8))
}

print("tpt model (isolation, no_data_leak), explicit BFS, release build; time limit \(Int(timeLimit)) s per run")
print(pad("V,F,L,K,T", 11) + pad("sym", 5) + pad("thr", 4) + pad("verdict", 11) + ["states", "transitions", "depth", "seconds",
      "states/s", "transitions/s", "peak MiB", "B/state", "packed"].enumerated().map { index, title in
        String(repeating: " ", count: [12, 14, 6, 8, 11, 14, 9, 8, 7][index] + 1 - title.count) + title
      }.joined())
if !configurations.isEmpty {
    for spec in configurations { try runOne(spec) }
} else {
    for spec in ["2,4,2,2,2", "3,5,2,2,1"] {
        for (symmetry, threads) in [("on", 1), ("on", 2), ("off", 1), ("off", 2)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["--seconds=\(timeLimit)", "--symmetry=\(symmetry)", "--threads=\(threads)", spec]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            print(output.split(separator: "\n").last.map(String.init) ?? "\(spec): failed")
        }
    }
}
