/// The model's rules flattened into arrays of plain values, for the hot path:
/// reading them never copies a `Rule` or touches a reference count.
///
/// Guards become decision graphs over their tests, so their meaning stays
/// defined once (`Guard.Test.evaluate`): each node holds one test and names the
/// node to go to when it holds and when it does not.
/// A guard is thus evaluated with short cuts (the first false conjunct ends an
/// `and`), which matters: guards run once per choice of a rule's parameters.
struct RuleTable: Sendable {
    /// Targets that end an evaluation.
    static let accept = -1, reject = -2

    var isAtomic: [Bool] = []
    var stepStart: [Int] = []
    var stepCount: [Int] = []
    var steps: [Step] = []
    /// Per rule, the node its guard starts at (or `accept` or `reject`).
    var guardEntry: [Int] = []
    /// Per node: the test, and where to go next when it holds and when it
    /// does not.
    var nodeTest: [Guard.Test] = []
    var nodeWhenTrue: [Int] = []
    var nodeWhenFalse: [Int] = []
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
            guardEntry.append(compile(rule.guardCondition, whenTrue: Self.accept, whenFalse: Self.reject))
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
                case .vcpu: domains.append(c.vcpus)
                }
            }
            frameParameters.append(mask)
            vmParameters.append(vmMask)
        }
    }

    /// Adds the nodes that test the condition and go on to `whenTrue` or
    /// `whenFalse`; the node to start at.
    private mutating func compile(_ condition: Guard, whenTrue: Int, whenFalse: Int) -> Int {
        switch condition {
        case .always:
            return whenTrue
        case .not(let inner):
            return compile(inner, whenTrue: whenFalse, whenFalse: whenTrue)
        case .and(let left, let right):
            let second = compile(right, whenTrue: whenTrue, whenFalse: whenFalse)
            return compile(left, whenTrue: second, whenFalse: whenFalse)
        case .or(let left, let right):
            let second = compile(right, whenTrue: whenTrue, whenFalse: whenFalse)
            return compile(left, whenTrue: whenTrue, whenFalse: second)
        case .test(let test):
            nodeTest.append(test)
            nodeWhenTrue.append(whenTrue)
            nodeWhenFalse.append(whenFalse)
            return nodeTest.count - 1
        }
    }
}

extension TransitionSystem {
    /// Evaluates rule `rule`'s guard: a walk down its decision graph.
    @inline(__always)
    func guardHolds(rule: Int, _ bindings: Bindings, in s: PackedState) -> Bool {
        var node = rules.guardEntry[rule]
        while node >= 0 {
            node = testHolds(rules.nodeTest[node], bindings, in: s) ? rules.nodeWhenTrue[node] : rules.nodeWhenFalse[node]
        }
        return node == RuleTable.accept
    }
}
