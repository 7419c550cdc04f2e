import Foundation
import TPTExplore
import TPTModel

// Explicit-checker throughput: distinct states per second, transitions per second
// and peak memory for the bundled tpt model at several configurations.
//
//     swift run -c release tptbench              # the whole ladder, one process per configuration
//     swift run -c release tptbench 2,4,2,2,2    # one configuration: vms,frames,levels,fanout,tlb
//     swift run -c release tptbench --seconds=600 2,4,2,2,2   # with a longer time limit
//
// Each configuration runs in its own process so that peak memory (ru_maxrss) is
// its own. A configuration that does not finish within the time limit is
// reported as incomplete.

let modelsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Models")
/// `--seconds=N` changes the per-configuration time limit (default 60).
let timeLimit = CommandLine.arguments.first { $0.hasPrefix("--seconds=") }.flatMap { Double($0.dropFirst(10)) } ?? 60
let configurations = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }

let ladder = [
    "2,4,2,2,1", "2,4,2,2,2", "2,5,2,2,1", "2,4,3,2,1", "3,5,2,2,1", "2,5,2,2,2", "2,6,2,2,1", "3,6,2,2,1",
]

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
    let text = try String(contentsOf: modelsDirectory.appendingPathComponent("tpt.tpt"), encoding: .utf8)
        .replacingOccurrences(of: "config vms 2, vcpus 1, frames 4, levels 2, fanout 2, tlb 1",
                              with: "config vms \(numbers[0]), vcpus 1, frames \(numbers[1]), levels \(numbers[2]), fanout \(numbers[3]), tlb \(numbers[4])")
    let system = TransitionSystem(model: try parseModel(text, file: "tpt.tpt"))
    let result = explore(system, options: ExploreOptions(maxSeconds: timeLimit))
    let verdict: String
    switch result.verdict {
    case .holds: verdict = "holds"
    case .violated: verdict = "violated"
    case .incomplete: verdict = "incomplete"
    }
    let perState = Double(result.storeBytes) / Double(result.states)
    print(pad(spec, 12) + pad(verdict, 11) + String(format: "%12d %14d %6d %8.2f %12.0f %14.0f %10.1f %8.1f %9d",
                 result.states, result.transitions, result.depth, result.seconds,
                 Double(result.states) / result.seconds, Double(result.transitions) / result.seconds,
                 peakResidentMiB(), perState, system.layout.words * 8))
}

print("tpt model, explicit BFS, 1 thread, release build; time limit \(Int(timeLimit)) s per configuration")
print(pad("V,F,L,K,T", 12) + pad("verdict", 11) + ["states", "transitions", "depth", "seconds", "states/s",
      "transitions/s", "peak MiB", "B/state", "packed B"].enumerated().map { index, title in
        String(repeating: " ", count: [12, 14, 6, 8, 12, 14, 10, 8, 9][index] + 1 - title.count) + title
      }.joined())
if !configurations.isEmpty {
    for spec in configurations { try runOne(spec) }
} else {
    for spec in ladder {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--seconds=\(timeLimit)", spec]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(output.split(separator: "\n").last.map(String.init) ?? "\(spec): failed")
    }
}
