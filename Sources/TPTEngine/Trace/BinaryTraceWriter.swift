import CZlib

/// Writes a binary trace (`BinaryTraceReader`'s format), buffered; gzip-
/// compressed when the path ends in `.gz`.
public final class BinaryTraceWriter {
    public let path: String
    private let file: gzFile
    private var buffer: [UInt64] = []
    private let capacity = 1 << 16
    public private(set) var records: UInt64 = 0

    public init(path: String) throws(TraceError) {
        self.path = path
        // "T": zlib writes the bytes as they are, without gzip framing.
        guard let file = gzopen(path, path.hasSuffix(".gz") ? "wb6" : "wbT") else {
            throw TraceError("\(path): cannot create the trace")
        }
        self.file = file
        buffer.reserveCapacity(capacity)
        var header = BinaryTraceReader.magic
        header += [UInt8(BinaryTraceReader.version), 0, 0, 0, 0, 0, 0, 0]
        guard header.withUnsafeBytes({ write($0) }) else { throw TraceError("\(path): cannot write the trace") }
    }

    deinit { gzclose(file) }

    @inline(__always)
    public func append(_ record: TraceRecord) throws(TraceError) {
        buffer.append(record.word.littleEndian)
        records += 1
        if buffer.count == capacity { try flush() }
    }

    /// Writes what is buffered and closes the file.
    public func finish() throws(TraceError) {
        try flush()
        guard gzflush(file, Z_FINISH) == Z_OK else { throw TraceError("\(path): cannot finish writing the trace") }
    }

    private func flush() throws(TraceError) {
        guard buffer.withUnsafeBytes({ write($0) }) else { throw TraceError("\(path): cannot write the trace") }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether every byte was written.
    private func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.isEmpty || gzwrite(file, bytes.baseAddress, UInt32(bytes.count)) == Int32(bytes.count)
    }
}
