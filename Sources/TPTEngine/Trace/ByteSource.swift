import CZlib
import Glibc

/// A file's bytes, read in fixed-size chunks whatever the trace's length. A
/// file that starts with gzip's magic is inflated as it goes, member after
/// member (concatenated members are one trace, as `gzip -c a b` writes them);
/// other input passes through unchanged, so every reader accepts both.
///
/// The inflate loop is ours rather than zlib's `gzread`, because `gzread`
/// silently drops bytes after the last member: a trace with trailing garbage,
/// a stream cut short or a failed checksum is an error here, at the
/// compressed byte where it shows.
final class ByteSource {
    let path: String
    private let descriptor: Int32
    /// The chunk, `start..<end` of it not yet consumed.
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var start = 0
    private(set) var end = 0
    /// Bytes consumed before `buffer[start]`.
    private(set) var offset: UInt64 = 0
    private(set) var atEnd = false
    /// Set when the file is gzip-compressed.
    private let inflater: Inflater?

    /// `-` reads standard input.
    init(path: String, chunk: Int = 1 << 20) throws(TraceError) {
        self.path = path
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TraceError("\(path): cannot open the trace (\(String(cString: strerror(errno))))")
        }
        // Everything that may fail comes before the stored properties are
        // set: once they are, a throw would run `deinit` too.
        let raw = RawInput(descriptor: descriptor)
        let compressed: Bool
        do {
            compressed = try raw.startsWithGzipMagic()
            inflater = compressed ? try Inflater(raw: raw) : nil
        } catch {
            if descriptor != 0 { close(descriptor) }
            throw TraceError("\(path): \(error)")
        }
        self.descriptor = descriptor
        passThrough = compressed ? nil : raw
        buffer = .allocate(capacity: chunk)
        // Plain input: the bytes already read are the trace's first.
        if !compressed { end = raw.take(into: buffer.baseAddress!, capacity: buffer.count) }
    }

    /// Set when the file is not compressed.
    private let passThrough: RawInput?

    deinit {
        if descriptor != 0 { close(descriptor) }
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
        let target = buffer.baseAddress! + end, capacity = buffer.count - end
        let read: Int
        do {
            if let inflater {
                read = try inflater.inflate(into: target, capacity: capacity)
            } else {
                read = try passThrough!.read(into: target, capacity: capacity)
            }
        } catch {
            throw TraceError("\(path): \(error)")
        }
        if read == 0 {
            atEnd = true
            return false
        }
        end += read
        return true
    }
}

/// What a read of the raw file or its inflation found wrong; the trace's path
/// is put in front by `ByteSource`.
struct ByteSourceError: Error, CustomStringConvertible {
    let description: String
}

/// The file's raw bytes, through one input buffer: the gzip magic is sniffed
/// from it, and the inflater reads its compressed bytes from it.
private final class RawInput {
    let descriptor: Int32
    let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 17)
    /// `storage[start..<end]` is read but not yet used.
    var start = 0, end = 0
    /// Raw bytes before `storage[start]`: the compressed offset in messages.
    var offset: UInt64 = 0
    var exhausted = false

    init(descriptor: Int32) { self.descriptor = descriptor }
    deinit { storage.deallocate() }

    var available: Int { end - start }

    /// Reads more behind what is kept; false at the end of the file.
    func fill() throws(ByteSourceError) -> Bool {
        if exhausted { return false }
        if start > 0 {
            let kept = end - start
            if kept > 0 { UnsafeMutableRawPointer(storage.baseAddress!).copyMemory(from: storage.baseAddress! + start, byteCount: kept) }
            start = 0
            end = kept
        }
        while true {
            let count = Glibc.read(descriptor, storage.baseAddress! + end, storage.count - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw ByteSourceError(description: "byte \(offset + UInt64(end - start)): read error (\(String(cString: strerror(errno))))")
            }
            if count == 0 { exhausted = true; return false }
            end += count
            return true
        }
    }

    /// Whether the next bytes are gzip's magic (31, 139), reading until at
    /// least two are there or the file ends.
    func startsWithGzipMagic() throws(ByteSourceError) -> Bool {
        while available < 2 { if try !fill() { break } }
        return available >= 2 && storage[start] == 0x1F && storage[start + 1] == 0x8B
    }

    func advance(_ count: Int) {
        start += count
        offset += UInt64(count)
    }

    /// Copies out what is buffered, at most `capacity` bytes.
    func take(into target: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        let count = min(capacity, available)
        target.update(from: storage.baseAddress! + start, count: count)
        advance(count)
        return count
    }

    /// Uncompressed input: what is buffered, then straight from the file.
    func read(into target: UnsafeMutablePointer<UInt8>, capacity: Int) throws(ByteSourceError) -> Int {
        if available > 0 { return take(into: target, capacity: capacity) }
        if exhausted { return 0 }
        while true {
            let count = Glibc.read(descriptor, target, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                throw ByteSourceError(description: "byte \(offset): read error (\(String(cString: strerror(errno))))")
            }
            if count == 0 { exhausted = true }
            offset += UInt64(count)
            return count
        }
    }
}

/// zlib's inflate over gzip members, one after another. Between members only
/// another member may follow; at the end of the file the last member must be
/// complete (its checksum and length are checked by zlib).
private final class Inflater {
    let raw: RawInput
    var stream = z_stream()
    /// The current member has ended; the next bytes must start another.
    var betweenMembers = false
    var finished = false

    init(raw: RawInput) throws(ByteSourceError) {
        self.raw = raw
        // 15 + 16: the largest window, gzip framing only.
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ByteSourceError(description: "cannot start inflating (zlib status \(status))") }
    }

    deinit { inflateEnd(&stream) }

    func inflate(into target: UnsafeMutablePointer<UInt8>, capacity: Int) throws(ByteSourceError) -> Int {
        var produced = 0
        while produced < capacity && !finished {
            if betweenMembers {
                if try !raw.startsWithGzipMagic() {
                    if raw.available == 0 { finished = true; break }
                    throw ByteSourceError(description: "compressed byte \(raw.offset): trailing garbage after the end of the gzip stream (it does not start another gzip member)")
                }
                inflateReset(&stream)
                betweenMembers = false
            }
            if raw.available == 0, try !raw.fill() {
                throw ByteSourceError(description: "compressed byte \(raw.offset): the compressed trace ends early (the gzip stream is cut short)")
            }
            let offered = raw.available
            stream.next_in = raw.storage.baseAddress! + raw.start
            stream.avail_in = UInt32(offered)
            stream.next_out = target + produced
            stream.avail_out = UInt32(capacity - produced)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let used = offered - Int(stream.avail_in)
            produced = capacity - Int(stream.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                raw.advance(used)
            case Z_STREAM_END:
                raw.advance(used)
                betweenMembers = true
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw ByteSourceError(description: "compressed byte \(raw.offset + UInt64(used)): the compressed trace is corrupt (\(reason))")
            }
        }
        return produced
    }
}
