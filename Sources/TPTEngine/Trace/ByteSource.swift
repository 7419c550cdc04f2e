import CZlib

/// A file's bytes, read in fixed-size chunks whatever the trace's length: zlib
/// inflates gzip-compressed input as it goes and passes other input through
/// unchanged, so every reader accepts both.
final class ByteSource {
    let path: String
    private let file: gzFile
    /// The chunk, `start..<end` of it not yet consumed.
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var start = 0
    private(set) var end = 0
    /// Bytes consumed before `buffer[start]`.
    private(set) var offset: UInt64 = 0
    private(set) var atEnd = false

    /// `-` reads standard input.
    init(path: String, chunk: Int = 1 << 20) throws(TraceError) {
        self.path = path
        guard let file = path == "-" ? gzdopen(0, "rb") : gzopen(path, "rb") else {
            throw TraceError("\(path): cannot open the trace")
        }
        gzbuffer(file, 1 << 17)
        self.file = file
        buffer = .allocate(capacity: chunk)
    }

    deinit {
        gzclose(file)
        buffer.deallocate()
    }

    var available: Int { end - start }

    func consume(_ count: Int) {
        start += count
        offset += UInt64(count)
    }

    /// Moves the unconsumed bytes to the front and reads more behind them.
    /// Returns false when nothing more was read (the end of the input).
    func refill() throws(TraceError) -> Bool {
        if atEnd { return false }
        let kept = end - start
        if kept > 0 && start > 0 {
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: buffer.baseAddress! + start, byteCount: kept)
        }
        start = 0
        end = kept
        let read = gzread(file, buffer.baseAddress! + end, UInt32(buffer.count - end))
        if read < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw TraceError("\(path): byte \(offset + UInt64(end)): \(message)")
        }
        if read == 0 {
            // zlib reports a compressed stream cut short only here, at its
            // end: the accesses after the cut are lost, so it is an error.
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
            if code == Z_BUF_ERROR || code == Z_DATA_ERROR {
                throw TraceError("\(path): byte \(offset + UInt64(end)): the compressed trace ends early or is corrupt (\(message))")
            }
            atEnd = true
            return false
        }
        end += Int(read)
        return true
    }
}
