/// One named part of a state (`owner f0`, `tlb vm1`, ...) and its value.
public struct StateComponent: Sendable, Equatable {
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case text(String)
        /// A set, such as a TLB's entries, in a fixed order.
        case set([String])

        public var description: String {
            switch self {
            case .text(let text): return text
            case .set(let members): return "{" + members.joined(separator: ", ") + "}"
            }
        }
    }

    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}
