import Foundation
import TPTFuzz

// A mutation fuzzer for tptcheck's contract: bad input is exit 2 with one
// located message, never a crash, a trap, a hang or a silent acceptance of
// garbage. It mutates the bundled models and proofs, engine configuration
// files, traces and command lines with a fixed seed, runs the real binary on
// each case with bounds, classifies the outcome (`Outcome`), minimizes each
// finding and writes it where it can join the regression corpus
// (Tests/tptcheckTests/FuzzCorpus/KIND/).
//
//     swift run -c release tptfuzz                          # every kind, 60 s each
//     swift run -c release tptfuzz --kind models --seconds 600 --seed 7
//
// Exit 1 when something was found, 0 otherwise.

/// A line on standard output, at once (a long run's log is read as it goes).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let executableFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
func usage(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("tptfuzz: \(problem)\nusage: tptfuzz [--kind models,proofs,configs,traces,commands] [--seconds S] [--seed N] [--binary PATH] [--findings DIR]\n".utf8))
    exit(2)
}
let binary = option("binary") ?? executableFolder + "/tptcheck"
guard FileManager.default.isExecutableFile(atPath: binary) else { usage("no tptcheck at \(binary) (build it first, or give --binary)") }
let seconds = option("seconds").map { Double($0) ?? -1 } ?? 60
guard seconds > 0 && seconds <= 86_400 else { usage("--seconds is a number of seconds per kind, above 0 and at most 86400") }
guard let seed = option("seed").map({ UInt64($0) }) ?? 1 else { usage("--seed is a whole number from 0 to 2^64 - 1") }
let findingsFolder = option("findings") ?? NSTemporaryDirectory() + "tptfuzz/findings"
let workspace = option("workspace") ?? NSTemporaryDirectory() + "tptfuzz/work-\(getpid())"
let kinds = option("kind").map { list in
    list.split(separator: ",", omittingEmptySubsequences: false).map { name in
        guard let kind = InputKind(rawValue: String(name)) else { usage("unknown kind '\(name)' in --kind") }
        return kind
    }
} ?? InputKind.allCases

do {
    try Workspace.prepare(workspace, repository: repository)
} catch {
    FileHandle.standardError.write(Data("tptfuzz: cannot prepare \(workspace): \(error)\n".utf8))
    exit(2)
}
let runner = CaseRunner(executable: binary, workingDirectory: workspace)
var totalFindings = 0
say("tptfuzz: \(binary), seed \(seed), \(Int(seconds)) s per kind")

for kind in kinds {
    var random = FuzzRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(InputKind.allCases.firstIndex(of: kind)!))
    let seeds = try Workspace.seeds(kind, repository: repository, workspace: workspace)
    let dictionary = kind == .commands ? Workspace.commandWords : Array(Set(seeds.flatMap { seed in
        String(decoding: seed.bytes, as: UTF8.self).split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    })).sorted()
    /// Mutated inputs that were accepted: mutating them again goes deeper.
    var pool: [Seed] = []
    var counts: [String: Int] = [:], seen: Set<String> = [], cases = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        let base = !pool.isEmpty && random.chance(2) ? pool[random.below(pool.count)] : seeds[random.below(seeds.count)]
        var bytes: [UInt8]
        if kind == .commands {
            bytes = mutateCommandLine(base.bytes, random: &random)
        } else {
            bytes = Mutate.mutate(base.bytes, dictionary: dictionary, others: seeds.map(\.bytes), random: &random)
        }
        // Compressed traces are mutated as they are, or as their plain bytes compressed again.
        if kind == .traces && base.name.hasSuffix(".gz") && random.chance(2), let plain = seeds.first(where: { $0.name == String(base.name.dropLast(3)) }) {
            bytes = Workspace.gzip(Mutate.mutate(plain.bytes, dictionary: dictionary, others: [], random: &random))
        }
        let variant = random.below(24)
        let path = kind.casePath(in: workspace, name: "case-" + base.name)
        func run(_ candidate: [UInt8]) -> Outcome {
            _ = FileManager.default.createFile(atPath: path, contents: Data(candidate))
            // A case the harness cannot even build must show, not pass as accepted.
            guard let arguments = try? kind.arguments(for: path, variant: variant) else { return .crash("the harness cannot build the command") }
            return runner.run(arguments, input: kind.locatedInput(path), seconds: kind.seconds, busyIsSlow: !kind.boundsItsWork).outcome
        }
        let outcome = run(bytes)
        cases += 1
        // A mutated command line may have written over the workspace's models.
        if kind == .commands && cases % 50 == 0 { try? Workspace.prepare(workspace, repository: repository) }
        counts[outcome.kind, default: 0] += 1
        if case .accepted = outcome, pool.count < 256 { pool.append(Seed(name: base.name, bytes: bytes)) }
        guard outcome.isFinding else { continue }
        let signature = "\(outcome)".prefix(120).description
        guard seen.insert(signature).inserted else { continue }
        // A hang is not minimized: each try would take the whole time limit.
        let minimal = outcome == .hang ? bytes : minimize(bytes, budget: 120) { run($0).kind == outcome.kind }
        let folder = findingsFolder + "/" + kind.rawValue
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // FNV-1a of the signature: the same name on every run (Swift's hashValue is seeded per process).
        let hash = signature.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        let name = "\(outcome.kind)-\(String(hash, radix: 16))-\(base.name)"
        _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(minimal))
        let arguments = (try? kind.arguments(for: path, variant: variant)) ?? []
        let command = arguments.joined(separator: " ")
        say("  FOUND \(kind.rawValue): \(outcome)\n    case: \(folder)/\(name)\n    run:  tptcheck \(command.prefix(300))\(command.count > 300 ? "..." : "")")
        totalFindings += 1
    }
    let elapsed = Date().timeIntervalSince(start)
    let summary = ["accepted", "rejected", "slow", "unlocated", "crash", "hang"].map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    say("\(kind.rawValue): \(cases) cases in \(Int(elapsed)) s (\(String(format: "%.1f", Double(cases) / elapsed))/s): \(summary); \(seen.count) distinct findings")
}
try? FileManager.default.removeItem(atPath: workspace)
exit(totalFindings == 0 ? 0 : 1)

/// A command line mutated argument by argument: an option's value replaced
/// by a number or a word, an argument inserted, dropped or repeated.
func mutateCommandLine(_ bytes: [UInt8], random: inout FuzzRandom) -> [UInt8] {
    var arguments = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for _ in 0..<(1 + random.below(3)) {
        let position = random.below(arguments.count + 1)
        let word = random.chance(2) ? Mutate.numbers[random.below(Mutate.numbers.count)] : Workspace.commandWords[random.below(Workspace.commandWords.count)]
        switch random.below(5) {
        case 0 where position < arguments.count: arguments[position] = word
        case 1: arguments.insert(word, at: position)
        case 2 where position < arguments.count && position > 0: arguments.remove(at: position)
        case 3 where position < arguments.count: arguments.insert(arguments[position], at: position)
        default:
            if position < arguments.count {
                arguments[position] = String(decoding: Mutate.mutate(Array(arguments[position].utf8), dictionary: [], others: [], random: &random), as: UTF8.self)
                    .replacingOccurrences(of: "\n", with: "")
            }
        }
    }
    // Linux refuses to start a program with one argument over 128 KiB
    // (MAX_ARG_STRLEN): that would test exec, not tptcheck.
    arguments = arguments.map { $0.utf8.count > 65_536 ? String(decoding: Array($0.utf8.prefix(65_536)), as: UTF8.self) : $0 }
    return Array(arguments.joined(separator: "\n").utf8)
}
