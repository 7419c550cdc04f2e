import CZlib
import Foundation
import TPTDifferential
import TPTEngine

/// The inputs the fuzzer mutates, and how each case file is run: the same
/// for the fuzzer and for the regression corpus in `swift test`.
public enum InputKind: String, CaseIterable, Sendable {
    /// `.tpt` files, checked with bounds (and sometimes bounded model checking).
    case models
    /// `.proof` files, proved with a short solver timeout.
    case proofs
    /// Engine configuration files, given to `replay --config`.
    case configs
    /// Memory-access traces (binary, lackey, ChampSim; plain or gzip), replayed.
    case traces
    /// Command lines, one argument per line of the case file.
    case commands

    /// The longest one run may take before it counts as a hang. Generous:
    /// a bounded search, a replay of a small trace or a short proof takes a
    /// fraction of it.
    public var seconds: Double {
        switch self {
        case .models: return 60
        case .proofs: return 180
        case .configs, .traces: return 30
        case .commands: return 120
        }
    }

    /// The arguments that run a case file (a path in the working directory).
    /// `variant` picks among the commands that read this kind.
    public func arguments(for path: String, variant: Int) throws -> [String] {
        switch self {
        case .models:
            return variant % 8 == 7 ? ["prove", "--bmc", "2", "--timeout", "5", path]
                : ["check", path, "--max-states", "20000", "--memory", "1", "--threads", "1", "--quiet", "--coverage"]
        case .proofs:
            return ["prove", path, "--timeout", "3"]
        case .configs:
            let shapes = [[], ["--page-size", "2m"], ["--levels", "5"]]
            return ["replay", Workspace.smallTrace, "--config", path] + shapes[variant % shapes.count]
        case .traces:
            return ["replay", path] + (variant % 3 == 0 ? ["--json"] : [])
        case .commands:
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Whether a case's work is bounded by the command the fuzzer builds:
    /// a command line's is not (it may ask for an hours-long search).
    public var boundsItsWork: Bool { self != .commands }

    /// The file whose name a rejection must give (none for a command line:
    /// its messages name the option).
    public func locatedInput(_ path: String) -> String? { self == .commands ? nil : path }

    /// Where a case file goes in the working directory: proofs in a folder
    /// beside `Models/`, as `prove` finds their models.
    public func casePath(in workspace: String, name: String) -> String {
        self == .proofs ? workspace + "/proofs/" + name : workspace + "/" + name
    }
}

/// The seeds of a kind: valid inputs, named with the extension that tells
/// `replay` their format.
public struct Seed: Sendable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// The folder the runs start in: copies of the bundled models and proofs
/// (a mutated command line may write into it, never into the repository),
/// a small binary trace, a folder for proofs' cases.
public enum Workspace {
    public static let smallTrace = "small.bin"

    public static func prepare(_ directory: String, repository: String) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: directory)
        try manager.createDirectory(atPath: directory + "/proofs", withIntermediateDirectories: true)
        for folder in ["Models", "Proofs"] {
            try manager.copyItem(atPath: repository + "/" + folder, toPath: directory + "/" + folder)
        }
        let writer = try BinaryTraceWriter(path: directory + "/" + smallTrace)
        var random = FuzzRandom(seed: 1)
        for index in 0..<300 {
            let kind: TraceRecord.Kind = index % 5 == 0 ? .instruction : (index % 3 == 0 ? .store : .load)
            try writer.append(TraceRecord(kind, address: (random.next() % (1 << 30)) & ~7, size: 8))
        }
        try writer.finish()
    }

    /// Each kind's seeds, read from the repository or built here (the binary
    /// trace is the prepared workspace's).
    public static func seeds(_ kind: InputKind, repository: String, workspace: String) throws -> [Seed] {
        func files(_ folder: String, _ suffix: String) throws -> [Seed] {
            try FileManager.default.contentsOfDirectory(atPath: repository + "/" + folder).filter { $0.hasSuffix(suffix) }.sorted()
                .map { Seed(name: $0, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: repository + "/" + folder + "/" + $0)))) }
        }
        switch kind {
        case .models:
            // The bundled models, and random ones of every scheme (`RandomModelGenerator`): more
            // shapes of rules, guards and configurations to mutate from.
            var generator = RandomModelGenerator(seed: 16)
            return try files("Models", ".tpt") + (0..<48).map { Seed(name: "random\($0).tpt", bytes: Array(generator.model(index: $0).utf8)) }
        case .proofs: return try files("Proofs", ".proof")
        case .configs:
            let defaults = EngineConfiguration()
            let all = EngineConfiguration.keys.map { "\($0.name) = \(defaults[keyPath: $0.path])" }
            return [
                Seed(name: "all.cfg", bytes: Array(("# every setting, at its default\n" + all.joined(separator: "\n") + "\n").utf8)),
                Seed(name: "some.cfg", bytes: Array("l1_entries = 128   # a bigger L1\nexit_cycles = 1500\n\nline_miss_cycles=200\n".utf8)),
            ]
        case .traces:
            let binary = Array(try Data(contentsOf: URL(fileURLWithPath: workspace + "/" + smallTrace)).prefix(16 + 8 * 300))
            let lackey = Array("""
                ==4242== Lackey, an example Valgrind tool
                I  0401ab70,3
                 L 1fff000678,8
                 S 1fff000670,8
                I  0401ab73,4
                 M 050bea24,4
                 L 04222cc0,64
                I  0401ab77,2
                 S 7ff0001000,16

                """.utf8)
            var champSim: [UInt8] = []
            for index in 0..<16 {
                var record = [UInt8](repeating: 0, count: 64)
                func put(_ value: UInt64, at offset: Int) { for i in 0..<8 { record[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) } }
                put(0x401000 + UInt64(index) * 4, at: 0)
                put(index % 2 == 0 ? 0x7000 + UInt64(index) * 64 : 0, at: 16)
                put(0x8000 + UInt64(index) * 4096, at: 32)
                champSim += record
            }
            return [Seed(name: "t.bin", bytes: binary), Seed(name: "t.lackey", bytes: lackey), Seed(name: "t.champsim", bytes: champSim),
                    Seed(name: "t.bin.gz", bytes: gzip(binary)), Seed(name: "t.lackey.gz", bytes: gzip(lackey)),
                    Seed(name: "t.champsim.gz", bytes: gzip(champSim))]
        case .commands:
            return baseCommandLines.enumerated().map { Seed(name: "c\($0.offset).args", bytes: Array($0.element.joined(separator: "\n").utf8)) }
        }
    }

    /// Valid command lines over the workspace, small enough to run in seconds.
    static let baseCommandLines: [[String]] = [
        ["check", "Models/nested.tpt", "--max-states", "5000", "--threads", "1"],
        ["check", "Models/tpt-bug-no-shootdown.tpt", "--json", "--itf", "out/itf", "--junit", "out/j.xml"],
        ["check", "Models/pv.tpt", "--symmetry", "off", "--compact", "--memory", "1", "--coverage", "--strict"],
        ["check", "Models", "--shard", "2/9", "--max-states", "3000", "--quiet"],
        ["prove", "Proofs/nested.proof", "--timeout", "5", "--json"],
        ["prove", "--bmc", "3", "Models/nested-bug-no-flush.tpt", "--timeout", "5", "--emit-smt2", "out/smt"],
        ["necessity", "Models/pv.tpt", "--max-states", "3000"],
        ["replay", "small.bin", "--schemes", "native,tpt", "--csv", "--page-size", "2m"],
        ["replay", "small.bin", "--levels", "5", "--svg", "out/chart.svg", "--format", "bin"],
        ["gen", "gups", "--accesses", "1000", "--footprint", "4", "--seed", "3", "-o", "out/g.bin.gz"],
        ["gen", "chase", "--accesses", "500", "-o", "out/c.bin"],
    ]

    /// Words a mutated command line may use: subcommands, options, values, paths.
    public static let commandWords = [
        "check", "prove", "necessity", "replay", "gen", "help", "--json", "--max-states", "--memory", "--threads", "--symmetry",
        "--compact", "--shard", "--progress", "--quiet", "--traces", "--itf", "--junit", "--coverage", "--strict", "--bmc",
        "--emit-smt2", "--timeout", "--verbose", "--format", "--schemes", "--config", "--page-size", "--levels", "--svg", "--csv",
        "--accesses", "--footprint", "--seed", "-o", "--help", "--version", "on", "off", "bin", "lackey", "champsim", "gups",
        "chase", "stream", "churn", "native", "nested,shadow", "pv,tpt", "4k", "2m", "1g", "1/1", "0/3", "3/2", "-",
        "Models/nested.tpt", "Models", "Proofs", "Proofs/nested.proof", "small.bin", "out/x", "out", "/proc/version",
        "/dev/full", "/nonexistent/dir/x", ".", "Models/pv.tpt/x", "out/../out/y",
    ]

    /// gzip framing of bytes, one member.
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: gzip framing.
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var input = bytes, output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
