import CZ3

/// A Z3 failure as a Swift error. Z3 never aborts the process: every context
/// installs an error handler that records the error instead.
public struct Z3Error: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "Z3 error: \(message)" }
}
