/// Mutations of an input's bytes, from blind (flip, insert, delete) to
/// aware of what the parsers read (numbers, names, nesting, line endings,
/// encodings). Each returns a new input; none is applied in place.
public enum Mutate {
    /// Numbers a reader must range-check: zero, signs, powers of two around
    /// the widths the code uses, floating and overlong forms.
    public static let numbers = [
        "0", "1", "-1", "-0", "2", "7", "8", "9", "15", "16", "17", "31", "32", "33", "63", "64", "65", "127", "128", "255", "256",
        "4095", "4096", "65535", "65536", "2147483647", "2147483648", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "99999999999999999999999999", "1e10", "1e308", "inf", "nan", "0x10", "1_000", "007", "+3", "3.5", "",
    ]

    /// Byte sequences that trouble a reader: invalid UTF-8, a BOM, line
    /// endings, NUL, control characters, quotes and comment markers.
    static let fragments: [[UInt8]] = [
        [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x0D, 0x0A], [0x0D], [0x00], [0x1B],
        Array("\u{2028}".utf8), Array("é".utf8), Array("//".utf8), Array("#".utf8), Array("\"".utf8), Array("\t".utf8),
        Array("(".utf8), Array(")".utf8), Array(",".utf8), Array(":".utf8), Array("=".utf8), Array("..".utf8),
    ]

    /// One random mutation, or a stack of up to four.
    public static func mutate(_ input: [UInt8], dictionary: [String], others: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.below(4)) { bytes = once(bytes, dictionary: dictionary, others: others, random: &random) }
        return bytes
    }

    static func once(_ bytes: [UInt8], dictionary: [String], others: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = bytes
        let position = random.below(bytes.count + 1)
        switch random.below(14) {
        case 0 where !bytes.isEmpty:                                   // flip a bit
            let index = random.below(bytes.count)
            bytes[index] ^= UInt8(1) << UInt8(random.below(8))
        case 1:                                                         // a random byte
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 2 where !bytes.isEmpty:                                    // delete a span
            let length = 1 + random.below(min(64, bytes.count - min(position, bytes.count - 1)))
            let start = min(position, bytes.count - 1)
            bytes.removeSubrange(start..<min(bytes.count, start + length))
        case 3 where !bytes.isEmpty:                                    // duplicate a span
            let start = random.below(bytes.count), end = min(bytes.count, start + 1 + random.below(80))
            bytes.insert(contentsOf: bytes[start..<end], at: position)
        case 4:                                                         // a number where a number was
            let spans = numberSpans(bytes)
            let replacement = Array(numbers[random.below(numbers.count)].utf8)
            if let span = spans.isEmpty ? nil : spans[random.below(spans.count)] {
                bytes.replaceSubrange(span, with: replacement)
            } else {
                bytes.insert(contentsOf: replacement, at: position)
            }
        case 5 where !dictionary.isEmpty:                               // a word the language has
            let word = Array(dictionary[random.below(dictionary.count)].utf8)
            let spans = wordSpans(bytes)
            if random.chance(2), !spans.isEmpty {
                bytes.replaceSubrange(spans[random.below(spans.count)], with: word)
            } else {
                bytes.insert(contentsOf: word + [0x20], at: position)
            }
        case 6:                                                         // a troublesome fragment
            bytes.insert(contentsOf: fragments[random.below(fragments.count)], at: position)
        case 7:                                                         // deep nesting or a long chain
            let unit = [Array("(".utf8), Array("not ".utf8), Array("a and ".utf8), Array("x or ".utf8), Array("-".utf8), Array("((".utf8)][random.below(6)]
            let count = [10, 100, 1000, 20000][random.below(4)]
            bytes.insert(contentsOf: Array((0..<count).map { _ in unit }.joined()), at: position)
        case 8:                                                         // cut short
            bytes = Array(bytes.prefix(position))
        case 9 where !others.isEmpty:                                   // splice another seed's lines in
            let other = others[random.below(others.count)]
            let lines = other.split(separator: 0x0A, omittingEmptySubsequences: false)
            let start = random.below(lines.count), end = min(lines.count, start + 1 + random.below(6))
            let lineStart = lineBoundary(bytes, near: position)
            bytes.insert(contentsOf: Array(lines[start..<end].joined(separator: [0x0A])) + [0x0A], at: lineStart)
        case 10:                                                        // line endings
            bytes = random.chance(2) ? bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] } : bytes.map { $0 == 0x0A ? 0x0D : $0 }
        case 11:                                                        // swap two lines
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if lines.count > 1 {
                lines.swapAt(random.below(lines.count), random.below(lines.count))
                bytes = Array(lines.joined(separator: [0x0A]))
            }
        case 12 where !bytes.isEmpty:                                   // overwrite with an interesting word-sized value
            let index = random.below(bytes.count)
            let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x20, 0x0A, 0x1F, 0x8B]
            bytes[index] = values[random.below(values.count)]
        default:                                                        // delete a line
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if !lines.isEmpty { lines.remove(at: random.below(lines.count)) }
            bytes = Array(lines.joined(separator: [0x0A]))
        }
        return bytes
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    static func numberSpans(_ bytes: [UInt8]) -> [Range<Int>] { spans(bytes, isDigit) }
    static func wordSpans(_ bytes: [UInt8]) -> [Range<Int>] { spans(bytes, isWordByte) }

    private static func spans(_ bytes: [UInt8], _ member: (UInt8) -> Bool) -> [Range<Int>] {
        var result: [Range<Int>] = [], start: Int?
        for (index, byte) in bytes.enumerated() {
            if member(byte) { if start == nil { start = index } } else if let s = start { result.append(s..<index); start = nil }
        }
        if let start { result.append(start..<bytes.count) }
        return result
    }

    private static func lineBoundary(_ bytes: [UInt8], near position: Int) -> Int {
        var index = min(position, bytes.count)
        while index > 0 && bytes[index - 1] != 0x0A { index -= 1 }
        return index
    }
}
