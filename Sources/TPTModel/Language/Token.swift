/// One lexical unit of a model file.
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case number(Int)
        case symbol(String)   // ( ) , : ; . .. == != =>
        case end
    }

    var kind: Kind
    var location: SourceLocation

    var text: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .number(let value): return "'\(value)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "end of file"
        }
    }

    func isWord(_ word: String) -> Bool { kind == .identifier(word) }
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }
}
