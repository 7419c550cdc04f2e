import ArgumentParser
import Foundation
import TPTExplore

/// How the explicit checker explores, for `check` and `necessity`.
struct ExplorationOptions: ParsableArguments {
    @Option(help: "Stop, inconclusive (exit 3), when a model has more distinct states than this.")
    var maxStates: Int?

    @Option(help: ArgumentHelp("Stop, inconclusive (exit 3), when the state store holds more than this many GiB "
                               + "(default: three quarters of physical memory).", valueName: "GiB"))
    var memory: Double?

    @Option(help: ArgumentHelp("Threads (default: every core). The states, verdicts and counterexamples do not depend on it.",
                               valueName: "n"))
    var threads: Int?

    @Flag(help: "Hash compaction: store 64-bit fingerprints instead of states (a 'holds' is then probabilistic; the bound is printed).")
    var compact = false

    @Option(help: ArgumentHelp("Symmetry reduction over interchangeable VMs and frames: on or off.", valueName: "on|off"))
    var symmetry: String = "on"

    @Flag(help: "Print a progress line on standard error even when it is not a terminal.")
    var progress = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be at least 1") }
        // A limit past the machine's memory would never stop a search; one
        // past Int would trap when converted to bytes.
        let machine = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        if let memory, !(memory > 0 && memory <= machine) {
            throw ValidationError("--memory must be a positive number of GiB, at most this machine's \(String(format: "%.1f", machine))")
        }
        // Each thread keeps buffers for every other (memory grows with the square of the count).
        let maxThreads = 4 * ProcessInfo.processInfo.activeProcessorCount
        if let threads, !(1...maxThreads).contains(threads) {
            throw ValidationError("--threads must be between 1 and \(maxThreads) (four times this machine's cores)")
        }
        if symmetry != "on" && symmetry != "off" { throw ValidationError("--symmetry is on or off") }
        if progress && quiet { throw ValidationError("--progress and --quiet exclude each other") }
    }

    /// The options for exploring one model; progress lines name it.
    func exploreOptions(model: String) -> ExploreOptions {
        var options = ExploreOptions(maxStates: maxStates, symmetry: symmetry == "on",
                                     threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        // A search that outgrows memory must stop with its figures, not be
        // killed by the kernel: there is always a limit.
        options.maxBytes = memory.map { Int($0 * Double(1 << 30)) } ?? Int(ProcessInfo.processInfo.physicalMemory / 4 * 3)
        options.compact = compact
        if !quiet && (progress || isatty(STDERR_FILENO) != 0) {
            options.progress = { @Sendable state in progressLine(model, state) }
        }
        return options
    }
}

extension ExplorationOptions {
    /// Clears a progress line left on the terminal, before a result is printed.
    func clearProgress() {
        if !quiet && isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// One progress line on standard error, rewritten in place on a terminal.
private func progressLine(_ model: String, _ p: ExploreProgress) {
    let rate = Int(Double(p.states) / max(p.seconds, 1e-9))
    let line = "\(model): depth \(p.depth), \(grouped(p.states)) states, \(grouped(p.frontier)) to expand, "
        + "\(grouped(rate)) states/s, \(p.bytes >> 20) MiB, \(Int(p.seconds)) s"
    FileHandle.standardError.write(Data((isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[K" + line : line + "\n").utf8))
}
