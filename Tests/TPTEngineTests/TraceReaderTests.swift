import CZlib
import Foundation
import Testing
import TPTEngine

/// Each reader on small fixtures, malformed ones included, plain and gzip.
@Suite struct TraceReaderTests {
    static func temporary(_ name: String) -> String {
        Scratch.directory.appendingPathComponent("tpttrace-\(UUID().uuidString)-\(name)").path
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = temporary(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func gzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", path]
        try process.run()
        process.waitUntilExit()
        return path + ".gz"
    }

    /// Every record of a trace, read in batches of `batch`.
    static func readAll(_ reader: inout some TraceReader, batch: Int = 256) throws -> [TraceRecord] {
        let buffer = UnsafeMutableBufferPointer<TraceRecord>.allocate(capacity: batch)
        defer { buffer.deallocate() }
        var records: [TraceRecord] = []
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { return records }
            records += buffer.prefix(count)
        }
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    static let lackey = """
        ==123== Lackey, an example tool
        I  0401ab70,3
         L 1fff000678,8
         S 1fff000670,8
         M 050bea24,4
        I  0401ab73,2
         L 7ff0,64
        """

    @Test func lackeyLinesBecomeRecords() throws {
        let path = try Self.write(Self.lackey + "\n", "a.lackey")
        for file in [path, try Self.gzip(path)] {
            var reader = try LackeyReader(path: file)
            let records = try Self.readAll(&reader)
            #expect(records == [
                TraceRecord(.instruction, address: 0x0401ab70, size: 3),
                TraceRecord(.load, address: 0x1fff000678, size: 8),
                TraceRecord(.store, address: 0x1fff000670, size: 8),
                TraceRecord(.modify, address: 0x050bea24, size: 4),
                TraceRecord(.instruction, address: 0x0401ab73, size: 2),
                // 64 bytes: two records of 32.
                TraceRecord(.load, address: 0x7ff0, size: 32),
                TraceRecord(.load, address: 0x8010, size: 32),
            ], "\(file)")
            #expect(records[3].kind == .modify && records[3].isData && !records[0].isData)
        }
        // CRLF line endings and a byte-order mark change nothing (the mark once hid the first access).
        var expected = try LackeyReader(path: path)
        let plain = try Self.readAll(&expected)
        // (Without valgrind's first line, so that the mark sits on an access.)
        let accesses = String(Self.lackey.split(separator: "\n", maxSplits: 1)[1])
        let crlf = try Self.write("\u{FEFF}" + accesses.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n", "crlf.lackey")
        var reader = try LackeyReader(path: crlf)
        #expect(try Self.readAll(&reader) == plain)
    }

    @Test func lackeyWithoutAFinalNewlineAndInSmallChunks() throws {
        // No trailing newline; many lines, read in batches of the minimum size.
        let lines = (0..<5000).map { " L \(String($0 * 4096, radix: 16)),8" }.joined(separator: "\n")
        var reader = try LackeyReader(path: try Self.write(lines, "b.lackey"))
        let records = try Self.readAll(&reader, batch: 128)
        #expect(records.count == 5000)
        #expect(records.last == TraceRecord(.load, address: 4999 * 4096, size: 8))
    }

    @Test func malformedLackeyNamesItsLineAndColumn() throws {
        func error(_ text: String) throws -> String? {
            let path = try Self.write(text, "bad.lackey")
            return Self.message {
                var reader = try LackeyReader(path: path)
                _ = try Self.readAll(&reader)
            }.map { $0.replacingOccurrences(of: path, with: "FILE") }
        }
        #expect(try error("I  0401ab70,3\n L zz,8\n") == "FILE:2:4: expected a hexadecimal address")
        #expect(try error(" X 10,8\n") == "FILE:1:2: expected L, S or M after the leading space")
        #expect(try error(" L 10;8\n") == "FILE:1:6: expected ',' after the address")
        #expect(try error(" L 10,0\n") == "FILE:1:7: expected a size in bytes (1 to 4096)")
        #expect(try error(" S 10,8 junk\n") == "FILE:1:9: unexpected text after the size")
        #expect(try error(" L 10,5000\n") == "FILE:1:7: an access of more than 4096 bytes")
        #expect(try error(" L 123456789abcdef0,8\n") == "FILE:1:4: the address does not fit in 56 bits")
    }

    @Test func binaryTracesRoundTripAndRejectCorruption() throws {
        let records = (0..<100_000).map { i in
            TraceRecord(TraceRecord.Kind.allCases[i % 5], address: UInt64(i) &* 0x9E3779B1 & TraceRecord.addressMask, size: i % 32 + 1)
        }
        for name in ["a.bin", "a.bin.gz"] {
            let path = Self.temporary(name)
            let writer = try BinaryTraceWriter(path: path)
            for record in records { try writer.append(record) }
            try writer.finish()
            var reader = try BinaryTraceReader(path: path)
            #expect(try Self.readAll(&reader, batch: 4096) == records, "\(name)")
        }
        // A cut record, a wrong magic, a bad kind.
        let path = Self.temporary("c.bin")
        let writer = try BinaryTraceWriter(path: path)
        try writer.append(TraceRecord(.load, address: 4096, size: 8))
        try writer.finish()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try (bytes + [1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(Self.message { var r = try BinaryTraceReader(path: path); _ = try Self.readAll(&r) }?
            .hasSuffix("byte 24: the last record is cut short (3 of 8 bytes)") == true)
        bytes[23] = 0xE0
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(Self.message { var r = try BinaryTraceReader(path: path); _ = try Self.readAll(&r) }?
            .hasSuffix("byte 16: record kind 7 is not a kind (0 to 4)") == true)
        let text = try Self.write(Self.lackey, "not.bin")
        #expect(Self.message { _ = try BinaryTraceReader(path: text) }?.hasSuffix("byte 0: not a tptcheck binary trace (no TPTTRACE magic)") == true)
        // The header's reserved bytes are checked.
        var reserved = try Data(contentsOf: URL(fileURLWithPath: path))
        reserved[23] = 0x20
        reserved[13] = 1
        try reserved.write(to: URL(fileURLWithPath: path))
        #expect(Self.message { _ = try BinaryTraceReader(path: path) }?.hasSuffix("byte 12: the binary trace header's reserved bytes 12-15 must be zero") == true)
    }

    /// A compressed trace cut short loses the accesses after the cut: an
    /// error at the byte where the stream stops, not a shorter replay.
    @Test func aCompressedTraceCutShortIsAnError() throws {
        let path = Self.temporary("cut.bin.gz")
        let writer = try BinaryTraceWriter(path: path)
        for i in 0..<200_000 { try writer.append(TraceRecord(.load, address: UInt64(i) &* 4096 & TraceRecord.addressMask, size: 8)) }
        try writer.finish()
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [whole.count / 2, whole.count - 4] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            let message = Self.message { var reader = try BinaryTraceReader(path: path); _ = try Self.readAll(&reader) }
            #expect(message?.contains("the compressed trace ends early") == true, "cut at \(cut): \(message ?? "read as complete")")
        }
    }

    /// gzip members written one after another are one trace, read whole;
    /// anything else after the last member, or a member whose checksum
    /// fails, is an error at the compressed byte where it shows.
    @Test func gzipMembersAreReadWholeAndTrailingGarbageOrABadChecksumIsAnError() throws {
        let path = Self.temporary("members.bin.gz")
        let writer = try BinaryTraceWriter(path: path)
        for i in 0..<50_000 { try writer.append(TraceRecord(.store, address: UInt64(i) &* 64, size: 4)) }
        try writer.finish()
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // A second member holding nothing but a gzip-compressed empty input
        // (the 20 bytes `gzip -c /dev/null` writes) adds no records.
        let empty = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        try (whole + empty).write(to: URL(fileURLWithPath: path))
        var reader = try BinaryTraceReader(path: path)
        #expect(try Self.readAll(&reader).count == 50_000)

        // The plain bytes split in two, each half its own member.
        let plainPath = Self.temporary("members.bin")
        let plainWriter = try BinaryTraceWriter(path: plainPath)
        for i in 0..<1000 { try plainWriter.append(TraceRecord(.load, address: UInt64(i) &* 8, size: 8)) }
        try plainWriter.finish()
        let plain = try Data(contentsOf: URL(fileURLWithPath: plainPath))
        let halves = [plain.prefix(plain.count / 2 + 3), plain.dropFirst(plain.count / 2 + 3)]
        let gzip = try halves.map { try Self.gzip(Data($0)) }
        try (gzip[0] + gzip[1]).write(to: URL(fileURLWithPath: path))
        var split = try BinaryTraceReader(path: path)
        #expect(try Self.readAll(&split).count == 1000)

        for garbage in [Data([0]), Data("trailing text\n".utf8), Data([0x1F])] {
            try (whole + garbage).write(to: URL(fileURLWithPath: path))
            let message = Self.message { var reader = try BinaryTraceReader(path: path); _ = try Self.readAll(&reader) }
            #expect(message?.hasSuffix("compressed byte \(whole.count): trailing garbage after the end of the gzip stream (it does not start another gzip member)") == true,
                    "\(garbage.count) bytes of garbage: \(message ?? "read as complete")")
        }
        var corrupt = whole
        corrupt[corrupt.count - 6] ^= 0xFF   // the CRC-32 in the trailer
        try corrupt.write(to: URL(fileURLWithPath: path))
        let message = Self.message { var reader = try BinaryTraceReader(path: path); _ = try Self.readAll(&reader) }
        #expect(message?.contains("the compressed trace is corrupt (incorrect data check)") == true, "\(message ?? "read as complete")")
    }

    /// Compresses with zlib's gzip writer, one member.
    static func gzip(_ data: Data) throws -> Data {
        let path = temporary("member-\(UInt32.random(in: 0...UInt32.max)).gz")
        guard let file = gzopen(path, "wb") else { throw TraceError("cannot write \(path)") }
        _ = data.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        gzclose(file)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func champSimRecordsBecomeFetchesLoadsAndStores() throws {
        var record = [UInt8](repeating: 0, count: 64)
        func put(_ value: UInt64, at offset: Int) { for i in 0..<8 { record[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) } }
        put(0x401000, at: 0)          // ip
        put(0x7000, at: 16)           // a store
        put(0x8000, at: 32)           // two loads
        put(0x9000, at: 48)
        let path = Self.temporary("a.champsim")
        try Data(record + record.prefix(10)).write(to: URL(fileURLWithPath: path))
        var reader = try ChampSimReader(path: path)
        let buffer = UnsafeMutableBufferPointer<TraceRecord>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        let count = try reader.read(into: buffer)
        #expect(Array(buffer.prefix(count)) == [
            TraceRecord(.instruction, address: 0x401000, size: 4),
            TraceRecord(.load, address: 0x8000, size: 8), TraceRecord(.load, address: 0x9000, size: 8),
            TraceRecord(.store, address: 0x7000, size: 8),
        ])
        #expect(Self.message { _ = try reader.read(into: buffer) }?.hasSuffix("byte 64: the last record is cut short (10 of 64 bytes)") == true)
    }

    /// The real traces in ../shared/traces, when present: the first batches read.
    @Test func realLackeyTracesRead() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/traces/sqlite3-index-lookups.lackey.gz").path
        guard FileManager.default.fileExists(atPath: folder) else {
            print("skipped: \(folder) is absent")
            return
        }
        var reader = try LackeyReader(path: folder)
        let buffer = UnsafeMutableBufferPointer<TraceRecord>.allocate(capacity: 65_536)
        defer { buffer.deallocate() }
        var total = 0, data = 0
        for _ in 0..<8 {
            let count = try reader.read(into: buffer)
            total += count
            data += buffer.prefix(count).filter(\.isData).count
        }
        #expect(total > 400_000 && data > 100_000)
    }
}
