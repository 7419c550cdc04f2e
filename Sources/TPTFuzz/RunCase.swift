import Foundation
import Glibc

/// Runs the `tptcheck` binary once with a time limit, standard input empty,
/// standard output discarded, standard error kept (its first 64 KiB), and
/// judges the outcome (`Outcome.judge`).
public struct CaseRunner: Sendable {
    public let executable: String
    /// The folder runs start in: a copy of the models and proofs, so that a
    /// mutated command line's relative output path lands there.
    public let workingDirectory: String

    public init(executable: String, workingDirectory: String) {
        self.executable = executable
        self.workingDirectory = workingDirectory
    }

    /// `input`: the mutated file, whose name a rejection must give.
    /// `busyIsSlow`: a run still busy at the limit (CPU time at least half
    /// the wall time) is `slow`, not a `hang`.
    public func run(_ arguments: [String], input: String?, seconds: Double, busyIsSlow: Bool = false) -> (outcome: Outcome, seconds: Double) {
        let errorPath = workingDirectory + "/.stderr-\(getpid())"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        guard let errorFile = FileHandle(forWritingAtPath: errorPath), let null = FileHandle(forWritingAtPath: "/dev/null") else {
            return (.crash("cannot set up the run"), 0)
        }
        let process = Process()
        // A file-size limit keeps a mutated `gen -o` or report from filling the disk.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--fsize=268435456", "--", executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = null
        process.standardError = errorFile
        let start = Date()
        do { try process.run() } catch { return (.crash("cannot start: \(error)"), 0) }
        let deadline = start.addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(2000) }
        var hung = false, busy = false
        if process.isRunning {
            hung = true
            busy = cpuSeconds(of: process.processIdentifier) >= Date().timeIntervalSince(start) / 2
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(start)
        try? errorFile.close()
        try? null.close()
        let data = (try? Data(contentsOf: URL(fileURLWithPath: errorPath)))?.prefix(1 << 16) ?? Data()
        if hung { return (busy && busyIsSlow ? .slow : .hang, elapsed) }
        // prlimit passes the child's status through; a signal shows as 128 + n.
        let signalled = process.terminationReason == .uncaughtSignal || process.terminationStatus > 128
        // The file-size limit is the harness's own: a run that reaches it wrote too much, and was fine until then.
        if signalled && (process.terminationStatus == SIGXFSZ || process.terminationStatus == 128 + SIGXFSZ) { return (.accepted(0), elapsed) }
        return (Outcome.judge(status: process.terminationStatus, signalled: signalled,
                              standardError: String(decoding: data, as: UTF8.self), input: input), elapsed)
    }
}

/// User and system time of a running process, from `/proc/PID/stat`.
private func cpuSeconds(of pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let end = stat.lastIndex(of: ")") else { return 0 }
    // Fields after the command name: state is field 3, utime 14, stime 15.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
