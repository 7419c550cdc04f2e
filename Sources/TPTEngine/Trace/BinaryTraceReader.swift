/// tptcheck's binary trace format: a 16-byte header, then one little-endian
/// 64-bit `TraceRecord` word per event, nothing else.
///
/// ```
/// offset 0   8 bytes  magic "TPTTRACE"
/// offset 8   4 bytes  version, little-endian: 1
/// offset 12  4 bytes  zero
/// offset 16  records  8 bytes each: kind (bits 63-61), size - 1 (60-56), address (55-0)
/// ```
///
/// Eight bytes per access, so a 50-million-access trace is 400 MB, about a
/// tenth of that gzip-compressed; reading it is a copy.
public struct BinaryTraceReader: TraceReader {
    public static let magic = Array("TPTTRACE".utf8)
    public static let version: UInt32 = 1
    public static let headerSize = 16

    private let source: ByteSource

    public init(path: String) throws(TraceError) {
        source = try ByteSource(path: path)
        while source.available < Self.headerSize {
            guard try source.refill() else { break }
        }
        guard source.available >= Self.headerSize else {
            throw TraceError("\(path): byte \(source.available): not a tptcheck binary trace (the header is 16 bytes)")
        }
        let header = UnsafeBufferPointer(rebasing: source.buffer[source.start..<(source.start + Self.headerSize)])
        guard Array(header.prefix(8)) == Self.magic else {
            throw TraceError("\(path): byte 0: not a tptcheck binary trace (no TPTTRACE magic)")
        }
        let version = UInt32(header[8]) | UInt32(header[9]) << 8 | UInt32(header[10]) << 16 | UInt32(header[11]) << 24
        guard version == Self.version else {
            throw TraceError("\(path): byte 8: binary trace version \(version); this tptcheck reads version \(Self.version)")
        }
        guard header[12..<16].allSatisfy({ $0 == 0 }) else {
            throw TraceError("\(path): byte 12: the binary trace header's reserved bytes 12-15 must be zero")
        }
        source.consume(Self.headerSize)
    }

    public mutating func read(into buffer: UnsafeMutableBufferPointer<TraceRecord>) throws(TraceError) -> Int {
        if source.available < 8 {
            _ = try source.refill()
            if source.available == 0 { return 0 }
            guard source.available >= 8 else {
                throw TraceError("\(source.path): byte \(source.offset): the last record is cut short (\(source.available) of 8 bytes)")
            }
        }
        let count = min(buffer.count, source.available / 8)
        let bytes = UnsafeRawPointer(source.buffer.baseAddress! + source.start)
        for index in 0..<count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            guard word >> 61 <= 4 else {
                throw TraceError("\(source.path): byte \(source.offset + UInt64(index * 8)): record kind \(word >> 61) is not a kind (0 to 4)")
            }
            buffer[index] = TraceRecord(word: word)
        }
        source.consume(count * 8)
        return count
    }
}
