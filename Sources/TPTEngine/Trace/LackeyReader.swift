import Glibc

/// Valgrind lackey's `--trace-mem=yes` text, a line per event:
///
/// ```
/// I  0401ab70,3        an instruction fetch
///  L 1fff000678,8      a data load (the line starts with a space)
///  S 1fff000670,8      a data store
///  M 050bea24,4        a modify: a load and a store of the same bytes
/// ```
///
/// Lines that start with neither `I` nor a space (valgrind's `==PID==` lines)
/// are skipped. An access of more than 32 bytes becomes several records of at
/// most 32. Anything else malformed is an error at its line and column.
public struct LackeyReader: TraceReader {
    private let source: ByteSource
    private var line = 0
    /// The most records one line can become (a 4 KiB access).
    private static let maximumSize = 4096
    private static let maximumPieces = maximumSize / TraceRecord.maximumSize

    public init(path: String) throws(TraceError) {
        source = try ByteSource(path: path)
    }

    public mutating func read(into buffer: UnsafeMutableBufferPointer<TraceRecord>) throws(TraceError) -> Int {
        precondition(buffer.count >= Self.maximumPieces, "a lackey batch needs room for \(Self.maximumPieces) records")
        var count = 0
        while buffer.count - count >= Self.maximumPieces {
            // The next whole line, refilling when it runs past the chunk.
            var newline = -1
            while true {
                let base = source.buffer.baseAddress! + source.start
                if let found = memchr(base, 0x0A, source.available) {
                    newline = UnsafeMutableRawPointer(found) - UnsafeMutableRawPointer(base)
                }
                if newline >= 0 || source.atEnd { break }
                if source.available == source.buffer.count {
                    throw TraceError("\(source.path):\(line + 1):1: a line longer than \(source.buffer.count) bytes")
                }
                if try !source.refill() { break }
            }
            let length = newline >= 0 ? newline : source.available
            if length == 0 && newline < 0 { return count }
            line += 1
            var text = UnsafeBufferPointer(start: source.buffer.baseAddress! + source.start, count: length)
            // A UTF-8 byte-order mark before the first line is not part of it
            // (the line was skipped as valgrind's, and its access lost).
            if line == 1, text.starts(with: [0xEF, 0xBB, 0xBF]) { text = UnsafeBufferPointer(rebasing: text[3...]) }
            count += try parse(text, into: buffer, at: count)
            source.consume(newline >= 0 ? length + 1 : length)
        }
        return count
    }

    /// The records of one line, written from `buffer[at]`; 0 for a skipped line.
    private func parse(_ text: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<TraceRecord>,
                       at index: Int) throws(TraceError) -> Int {
        var position = 0
        func fail(_ message: String) -> TraceError {
            TraceError("\(source.path):\(line):\(position + 1): \(message)")
        }
        let kind: TraceRecord.Kind
        switch text.first {
        case UInt8(ascii: "I"):
            kind = .instruction
            position = 1
        case UInt8(ascii: " "):
            position = 1
            switch position < text.count ? text[position] : 0 {
            case UInt8(ascii: "L"): kind = .load
            case UInt8(ascii: "S"): kind = .store
            case UInt8(ascii: "M"): kind = .modify
            default: throw fail("expected L, S or M after the leading space")
            }
            position += 1
        default:
            return 0
        }
        while position < text.count && text[position] == UInt8(ascii: " ") { position += 1 }
        var address: UInt64 = 0
        let addressStart = position
        while position < text.count, let digit = hexDigit(text[position]) {
            guard address >> 52 == 0 else {
                position = addressStart
                throw fail("the address does not fit in 56 bits")
            }
            address = address << 4 | digit
            position += 1
        }
        guard position > addressStart else { throw fail("expected a hexadecimal address") }
        guard position < text.count && text[position] == UInt8(ascii: ",") else { throw fail("expected ',' after the address") }
        position += 1
        var size = 0
        let sizeStart = position
        while position < text.count, text[position] >= UInt8(ascii: "0"), text[position] <= UInt8(ascii: "9") {
            size = size * 10 + Int(text[position] - UInt8(ascii: "0"))
            position += 1
            guard size <= Self.maximumSize else {
                position = sizeStart
                throw fail("an access of more than \(Self.maximumSize) bytes")
            }
        }
        guard position > sizeStart, size > 0 else {
            position = sizeStart
            throw fail("expected a size in bytes (1 to \(Self.maximumSize))")
        }
        while position < text.count && (text[position] == UInt8(ascii: " ") || text[position] == UInt8(ascii: "\r")) { position += 1 }
        guard position == text.count else { throw fail("unexpected text after the size") }
        var written = 0, remaining = size, next = address
        while remaining > 0 {
            let piece = min(remaining, TraceRecord.maximumSize)
            buffer[index + written] = TraceRecord(kind, address: next & TraceRecord.addressMask, size: piece)
            written += 1
            remaining -= piece
            next &+= UInt64(piece)
        }
        return written
    }
}

@inline(__always)
private func hexDigit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
}
