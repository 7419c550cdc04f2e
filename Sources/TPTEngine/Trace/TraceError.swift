/// A trace that cannot be read: where (`file:line:column` for text, the byte
/// offset for binary formats) and what is wrong. The command line prints it and
/// exits with code 2.
public struct TraceError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
