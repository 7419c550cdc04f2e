import Foundation

/// What one run of `tptcheck` on one input did, judged against the
/// command-line contract: bad input is exit 2 with one located message;
/// never a crash, a trap, a hang or an exit code outside 0 to 3.
///
/// Defined once, for the fuzzer and for the regression corpus in `swift test`.
public enum Outcome: Equatable, Sendable, CustomStringConvertible {
    /// Exit 0, 1 or 3: the input was taken as valid (a verdict, a replay).
    case accepted(Int32)
    /// Exit 2 with a message that says where (`file:line:column` or a byte offset).
    case rejected
    /// Exit 2 with a message that does not say where in the input.
    case unlocated(String)
    /// A signal, a Swift runtime failure, or an exit code outside the contract.
    case crash(String)
    /// Still running at the time limit.
    case hang
    /// Still running at the time limit, but busy all along: a command line
    /// that asks for a long search (`check Models --symmetry off`), not a
    /// hang. Only for command lines, whose work the fuzzer does not bound.
    case slow

    /// Whether the contract was broken.
    public var isFinding: Bool {
        switch self {
        case .accepted, .rejected, .slow: return false
        case .unlocated, .crash, .hang: return true
        }
    }

    /// The class of the outcome, for minimizing: a smaller input must keep it.
    public var kind: String {
        switch self {
        case .accepted: return "accepted"
        case .rejected: return "rejected"
        case .unlocated: return "unlocated"
        case .crash: return "crash"
        case .hang: return "hang"
        case .slow: return "slow"
        }
    }

    public var description: String {
        switch self {
        case .accepted(let status): return "accepted (exit \(status))"
        case .rejected: return "rejected with a location"
        case .unlocated(let message): return "rejected without a location: \(message)"
        case .crash(let what): return "crash: \(what)"
        case .hang: return "hang"
        case .slow: return "slow (busy at the time limit)"
        }
    }

    /// Judges a finished run. `input` is the file whose content was mutated
    /// (nil for a command line, whose messages name an option instead).
    public static func judge(status: Int32, signalled: Bool, standardError: String, input: String?) -> Outcome {
        if signalled { return .crash("signal \(status)") }
        for marker in ["Fatal error", "Swift runtime failure", "Backtracing", "Illegal instruction", "Segmentation fault"]
        where standardError.contains(marker) {
            return .crash(firstLine(containing: marker, in: standardError))
        }
        switch status {
        case 0, 1, 3: return .accepted(status)
        case 2:
            guard let input else { return standardError.isEmpty ? .unlocated("no message") : .rejected }
            return isLocated(standardError, in: input) ? .rejected : .unlocated(firstLine(containing: "", in: standardError))
        default: return .crash("exit \(status)")
        }
    }

    /// A message names the input with a line and column, or a byte offset.
    static func isLocated(_ message: String, in input: String) -> Bool {
        let name = (input as NSString).lastPathComponent
        for line in message.split(separator: "\n") where line.contains(name) {
            guard let range = line.range(of: name) else { continue }
            let rest = line[range.upperBound...]
            if rest.range(of: #"^:\d+:\d+:"#, options: .regularExpression) != nil { return true }
            if rest.range(of: #"^: (compressed )?byte \d+"#, options: .regularExpression) != nil { return true }
        }
        return false
    }

    private static func firstLine(containing marker: String, in text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        return (lines.first { marker.isEmpty || $0.contains(marker) } ?? lines.first ?? "").prefix(200).description
    }
}
