/// A source of trace records, read a batch at a time into the caller's buffer,
/// so that memory stays bounded however long the trace is.
public protocol TraceReader {
    /// Fills `buffer` from its start and returns how many records it wrote:
    /// 0 only at the end of the trace.
    mutating func read(into buffer: UnsafeMutableBufferPointer<TraceRecord>) throws(TraceError) -> Int
}

/// The trace formats tptcheck reads; each may be gzip-compressed.
public enum TraceFormat: String, Sendable, CaseIterable {
    /// tptcheck's own: `BinaryTraceReader`.
    case bin
    /// `valgrind --tool=lackey --trace-mem=yes` output.
    case lackey
    /// ChampSim's 64-byte instruction records.
    case champsim

    /// The format a path names: `.lackey`, `.champsim` or `.trace`/`.bin`
    /// (before an optional `.gz`, `.xz` is not supported); nil when unknown.
    public init?(path: String) {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".lackey") || name.hasSuffix(".lackey.txt") { self = .lackey }
        else if name.hasSuffix(".champsim") || name.hasSuffix(".champsimtrace") { self = .champsim }
        else if name.hasSuffix(".bin") || name.hasSuffix(".tpttrace") { self = .bin }
        else { return nil }
    }

    /// A reader of the file in this format (`-`: standard input).
    public func open(_ path: String) throws(TraceError) -> any TraceReader {
        switch self {
        case .bin: return try BinaryTraceReader(path: path)
        case .lackey: return try LackeyReader(path: path)
        case .champsim: return try ChampSimReader(path: path)
        }
    }
}
