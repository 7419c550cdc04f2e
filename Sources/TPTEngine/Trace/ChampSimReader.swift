/// ChampSim's binary instruction traces: 64-byte little-endian records.
///
/// ```
/// offset 0   8 bytes   ip
/// offset 8   1 byte    is_branch
/// offset 9   1 byte    branch_taken
/// offset 10  2 bytes   destination registers
/// offset 12  4 bytes   source registers
/// offset 16  2 x 8     destination memory addresses (stores)
/// offset 32  4 x 8     source memory addresses (loads)
/// ```
///
/// A zero address means none. Each record becomes an instruction fetch at the
/// ip, then a load per source address and a store per destination address.
/// The format carries no access sizes: a fetch is read as 4 bytes and each
/// memory operand as 8.
public struct ChampSimReader: TraceReader {
    public static let recordSize = 64
    private let source: ByteSource

    public init(path: String) throws(TraceError) {
        source = try ByteSource(path: path)
    }

    public mutating func read(into buffer: UnsafeMutableBufferPointer<TraceRecord>) throws(TraceError) -> Int {
        precondition(buffer.count >= 7, "a ChampSim batch needs room for one record's 7 events")
        var count = 0
        while buffer.count - count >= 7 {
            if source.available < Self.recordSize {
                _ = try source.refill()
                if source.available == 0 { break }
                // A cut record is an error, once the records before it are out.
                if source.available < Self.recordSize && count > 0 { break }
                guard source.available >= Self.recordSize else {
                    throw TraceError("\(source.path): byte \(source.offset): the last record is cut short "
                                     + "(\(source.available) of \(Self.recordSize) bytes)")
                }
            }
            let record = UnsafeRawPointer(source.buffer.baseAddress! + source.start)
            func address(_ offset: Int) throws(TraceError) -> UInt64? {
                let value = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                guard value != 0 else { return nil }
                guard value <= TraceRecord.addressMask else {
                    throw TraceError("\(source.path): byte \(source.offset + UInt64(offset)): address \(value) does not fit in 56 bits")
                }
                return value
            }
            if let ip = try address(0) {
                buffer[count] = TraceRecord(.instruction, address: ip, size: 4)
                count += 1
            }
            for slot in 0..<4 {
                if let load = try address(32 + 8 * slot) {
                    buffer[count] = TraceRecord(.load, address: load, size: 8)
                    count += 1
                }
            }
            for slot in 0..<2 {
                if let store = try address(16 + 8 * slot) {
                    buffer[count] = TraceRecord(.store, address: store, size: 8)
                    count += 1
                }
            }
            source.consume(Self.recordSize)
        }
        return count
    }
}
