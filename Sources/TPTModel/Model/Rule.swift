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
public enum ValueType: String, Sendable, CaseIterable {
    case frame, vm, gpage
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

/// Values of a rule's parameters, in a fixed-size inline store (no allocation on the
/// hot path).
public struct Bindings: Sendable, Hashable {
    var storage: SIMD4<Int32> = .zero

    public init() {}

    public init(_ values: [Int]) {
        for (index, value) in values.enumerated() { storage[index] = Int32(value) }
    }

    public subscript(index: Int) -> Int {
        get { Int(storage[index]) }
        // In registers: a lane written by a run-time index goes through
        // memory, and the next whole-vector read stalls on it.
        set {
            storage.replace(with: Int32(truncatingIfNeeded: newValue), where: SIMD4(0, 1, 2, 3) .== SIMD4(repeating: Int32(index)))
        }
    }
}
