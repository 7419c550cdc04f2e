import Foundation
import TPTDifferential

// tptdiff: differential testing at scale. Generates random models from a seed
// and runs each through every backend (`compareBackends`), for N models or S
// seconds, whichever comes first (1,000 models when neither is given; no model
// limit when only the time is). Prints each disagreement with the model's text,
// then a summary; exits 1 if any backend disagreed.
//
//   swift run -c release tptdiff --models 10000 --seed 1 --depth 6
//   swift run -c release tptdiff --seconds 600 --keep DIR   # write disagreeing models to DIR

var models: Int?, seconds = Double.infinity, seed: UInt64 = 1, keep: String?
var limits = DifferentialLimits()
var arguments = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("tptdiff: \(flag) needs a value\n".utf8))
        exit(2)
    }
    return value
}
while let flag = arguments.popFirst() {
    switch flag {
    case "--models": models = Int(value(flag)) ?? -1
    case "--seconds": seconds = Double(value(flag)) ?? -1
    case "--seed": seed = UInt64(value(flag)) ?? 0
    case "--depth": limits.maxDepth = Int(value(flag)) ?? -1
    case "--max-states": limits.maxStates = Int(value(flag)) ?? -1
    case "--keep": keep = value(flag)
    default:
        FileHandle.standardError.write(Data("tptdiff: unknown option \(flag) (--models N, --seconds S, --seed N, --depth K, --max-states N, --keep DIR)\n".utf8))
        exit(2)
    }
}
let count = models ?? (seconds.isFinite ? Int.max : 1_000)
guard count > 0, seconds > 0, limits.maxDepth > 0, limits.maxStates > 0 else {
    FileHandle.standardError.write(Data("tptdiff: --models, --seconds, --depth and --max-states must be positive\n".utf8))
    exit(2)
}

let start = Date()
var generator = RandomModelGenerator(seed: seed)
var agreed = 0, disagreed = 0, skipped: [String: Int] = [:]
var violated = 0, holding = 0, longest = 0
for index in 0..<count {
    if Date().timeIntervalSince(start) > seconds { break }
    let text = generator.model(index: index)
    switch compareBackends(text, file: "random-\(index).tpt", limits: limits) {
    case .agreed(let lengths):
        agreed += 1
        for length in lengths.values {
            if let length { violated += 1; longest = max(longest, length) } else { holding += 1 }
        }
    case .skipped(let reason):
        let kind = reason.hasPrefix("rejected") ? "rejected by the language" : reason.hasPrefix("solver") ? "solver gave up" : "too many states"
        skipped[kind, default: 0] += 1
    case .disagreed(let why):
        disagreed += 1
        print("DISAGREEMENT on random model \(index) (seed \(seed)): \(why)\n\(text)")
        if let keep {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? text.write(toFile: (keep as NSString).appendingPathComponent("random-\(seed)-\(index).tpt"), atomically: true, encoding: .utf8)
        }
    }
    let done = agreed + disagreed + skipped.values.reduce(0, +)
    if done % 100 == 0 {
        FileHandle.standardError.write(Data(String(format: "\r%d models, %d disagreements, %.0f s", done, disagreed,
                                                   Date().timeIntervalSince(start)).utf8))
    }
}
let total = agreed + disagreed + skipped.values.reduce(0, +)
print(String(format: "\n%d random models (seed %llu) in %.1f s: %d agreed, %d disagreed", total, seed, Date().timeIntervalSince(start), agreed, disagreed))
print("  compared properties: \(violated) violated (longest shortest trace: \(longest) steps), \(holding) holding within depth \(limits.maxDepth)")
for (kind, count) in skipped.sorted(by: { $0.key < $1.key }) { print("  skipped, \(kind): \(count)") }
exit(disagreed == 0 ? 0 : 1)
