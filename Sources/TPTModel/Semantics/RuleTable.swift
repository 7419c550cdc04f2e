/// The model's rules flattened into arrays of plain values, for the hot path:
/// reading them never copies a `Rule` or touches a reference count.
///
/// Guards become postfix programs over the same conditions `holds` evaluates, so
/// their meaning stays defined once, in `conditionHolds`.
struct RuleTable: Sendable {
    enum Instruction: Sendable {
        case condition(Guard)   // never .not, .and or .or
        case not, and, or
    }

    var isAtomic: [Bool] = []
    var stepStart: [Int] = []
    var stepCount: [Int] = []
    var steps: [Step] = []
    var guardStart: [Int] = []
    var guardCount: [Int] = []
    var guardCode: [Instruction] = []
    var domainStart: [Int] = []
    var domainCount: [Int] = []
    var domains: [Int] = []
    /// Bit i set: parameter i is a frame (for `in_flight`, and renaming).
    var frameParameters: [UInt8] = []
    /// Bit i set: parameter i is a VM (for renaming).
    var vmParameters: [UInt8] = []

    init(_ rules: [Rule], configuration c: Configuration) {
        for rule in rules {
            isAtomic.append(rule.isAtomic)
            stepStart.append(steps.count)
            stepCount.append(rule.steps.count)
            steps += rule.steps
            guardStart.append(guardCode.count)
            Self.compile(rule.guardCondition, into: &guardCode)
            guardCount.append(guardCode.count - guardStart[guardStart.count - 1])
            domainStart.append(domains.count)
            domainCount.append(rule.parameters.count)
            var mask: UInt8 = 0, vmMask: UInt8 = 0
            for (index, parameter) in rule.parameters.enumerated() {
                switch parameter.type {
                case .frame:
                    domains.append(c.frames)
                    mask |= 1 << UInt8(index)
                case .vm:
                    domains.append(c.vms)
                    vmMask |= 1 << UInt8(index)
                case .gpage: domains.append(c.gpages)
                }
            }
            frameParameters.append(mask)
            vmParameters.append(vmMask)
        }
    }

    private static func compile(_ condition: Guard, into code: inout [Instruction]) {
        switch condition {
        case .not(let inner):
            compile(inner, into: &code)
            code.append(.not)
        case .and(let left, let right):
            compile(left, into: &code)
            compile(right, into: &code)
            code.append(.and)
        case .or(let left, let right):
            compile(left, into: &code)
            compile(right, into: &code)
            code.append(.or)
        default:
            code.append(.condition(condition))
        }
    }
}

extension TransitionSystem {
    /// Evaluates rule `rule`'s guard program with a stack of bits.
    @inline(__always)
    func guardHolds(rule: Int, _ bindings: Bindings, in s: PackedState) -> Bool {
        var stack: UInt64 = 0
        let start = rules.guardStart[rule]
        for index in start..<(start + rules.guardCount[rule]) {
            switch rules.guardCode[index] {
            case .condition(let condition):
                stack = stack << 1 | (conditionHolds(condition, bindings, in: s) ? 1 : 0)
            case .not:
                stack ^= 1
            case .and:
                stack = (stack >> 2) << 1 | ((stack >> 1) & stack & 1)
            case .or:
                stack = (stack >> 2) << 1 | (((stack >> 1) | stack) & 1)
            }
        }
        return stack & 1 == 1
    }
}
