/// A host update rule: when its guard holds for some choice of parameters, the host
/// may run its steps.
///
/// An atomic rule runs all steps in one transition. An interleaved rule runs its
/// first step when it starts and each later step as its own transition, with guest
/// actions in between; ordering bugs only show up this way.
public struct Rule: Sendable {
    public var name: String
    public var parameters: [Parameter]
    public var isAtomic: Bool
    public var guardCondition: Guard
    public var steps: [Step]
    public var location: SourceLocation

    /// The most parameters a rule may take (they are packed into host-thread slots).
    public static let maxParameters = 4
}

public struct Parameter: Sendable, Equatable {
    public var name: String
    public var type: ValueType
}

/// The kinds of values a rule parameter or a step operand ranges over.
///
/// A vCPU is a VM's: its value is its index within its VM (`cpu1`), and
/// wherever it appears it comes with its VM (`root(v, c)`). Renaming VMs,
/// as symmetry reduction does, so leaves it as it is.
public enum ValueType: String, Sendable, CaseIterable {
    case frame, vm, gpage, vcpu
}

/// A value in a guard or step: a rule parameter or a constant.
public enum Operand: Sendable, Equatable {
    case parameter(Int)
    case constant(Int)

    @inline(__always)
    func value(_ bindings: Bindings) -> Int {
        switch self {
        case .parameter(let index): return bindings[index]
        case .constant(let value): return value
        }
    }
}

/// Values of a rule's parameters, in one word (no allocation, and in a
/// register on the hot path: the explicit checker writes a parameter for
/// every choice of values it tries).
///
/// Invariant: `Rule.maxParameters` (4) values, each in 0..<65536 (a frame, VM
/// or guest-physical page of a configuration that fits a packed state), in
/// 16-bit lanes, parameter i in bits 16i..<16i+16.
public struct Bindings: Sendable, Hashable {
    var storage: UInt64 = 0

    public init() {}

    public init(_ values: [Int]) {
        for (index, value) in values.enumerated() { self[index] = value }
    }

    @inline(__always) public subscript(index: Int) -> Int {
        get { Int(truncatingIfNeeded: (storage &>> UInt64(16 &* index)) & 0xFFFF) }
        set {
            let shift = UInt64(16 &* index)
            storage = storage & ~(0xFFFF &<< shift) | (UInt64(truncatingIfNeeded: newValue) & 0xFFFF) &<< shift
        }
    }
}
