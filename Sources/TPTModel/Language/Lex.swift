/// Splits a model file into tokens. `//` starts a comment that runs to the end of
/// the line; line breaks carry no meaning beyond separating tokens.
func lex(_ text: String, file: String) throws(Diagnostic) -> [Token] {
    var tokens: [Token] = []
    let bytes = Array(text.utf8)
    var index = 0
    var line = 1
    var lineStart = 0

    func location(_ at: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: at - lineStart + 1)
    }
    func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95
    }

    while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case 10:  // newline
            index += 1
            line += 1
            lineStart = index
        case 32, 9, 13:
            index += 1
        case 47 where index + 1 < bytes.count && bytes[index + 1] == 47:  // "//"
            while index < bytes.count && bytes[index] != 10 { index += 1 }
        case 48...57:
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = value &* 10 &+ Int(bytes[index] - 48)
                if value > 1_000_000_000 {
                    throw Diagnostic("number is too large", at: location(start))
                }
                index += 1
            }
            if index < bytes.count, isIdentifierByte(bytes[index]) {
                throw Diagnostic("a name cannot start with a digit", at: location(start))
            }
            tokens.append(Token(kind: .number(value), location: location(start)))
        case _ where isIdentifierByte(byte):
            let start = index
            // Names may contain '-' after the first character (model names such as tpt-bug-no-scrub).
            while index < bytes.count, isIdentifierByte(bytes[index]) || bytes[index] == 45 { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            tokens.append(Token(kind: .identifier(name), location: location(start)))
        case 40, 41, 44, 58, 59:  // ( ) , : ;
            tokens.append(Token(kind: .symbol(String(UnicodeScalar(byte))), location: location(index)))
            index += 1
        case 46:  // . ..
            let double = index + 1 < bytes.count && bytes[index + 1] == 46
            tokens.append(Token(kind: .symbol(double ? ".." : "."), location: location(index)))
            index += double ? 2 : 1
        case 61 where index + 1 < bytes.count && bytes[index + 1] == 62:  // =>
            tokens.append(Token(kind: .symbol("=>"), location: location(index)))
            index += 2
        case 61, 33:  // == !=
            if index + 1 < bytes.count, bytes[index + 1] == 61 {
                let symbol = byte == 61 ? "==" : "!="
                tokens.append(Token(kind: .symbol(symbol), location: location(index)))
                index += 2
            } else {
                let what = byte == 61 ? "'=' (did you mean '=='?)" : "'!' (did you mean 'not' or '!='?)"
                throw Diagnostic("unexpected \(what)", at: location(index))
            }
        default:
            let scalarText: String
            if byte < 128 {
                scalarText = "'\(Character(UnicodeScalar(byte)))'"
            } else {
                scalarText = "non-ASCII byte"
            }
            throw Diagnostic("unexpected character \(scalarText)", at: location(index))
        }
    }
    tokens.append(Token(kind: .end, location: location(index)))
    return tokens
}
