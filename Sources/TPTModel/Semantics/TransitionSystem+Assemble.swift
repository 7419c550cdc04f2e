/// A state written value by value, in the codes of `StateLayout`, for another
/// backend to hand one back: bounded model checking's counterexamples are
/// assembled into packed states and replayed on this semantics before they
/// are printed.
public struct StateValues: Sendable {
    /// Per frame: owner and tag (0 free, 1 host, 2 + v), writer (0 clean,
    /// 1 + v), pinned (0 or 1).
    public var owner: [Int], tag: [Int], writer: [Int], pinned: [Int]
    /// Per frame, snp: the reverse-map entry (0 free, 1 + 2 * (vm * gpages + gpage) + validated).
    public var rmp: [Int]
    /// Per VM: 0 none, 1 + target.
    public var root: [Int]
    /// Per VM and guest-physical page (vm * gpages + gpage): 0 empty, 1 + frame.
    public var nested: [Int]
    /// Per vCPU (vm * vcpus + vcpu): its entries, in any order.
    public var tlb: [[(page: Int, frame: Int, writable: Bool)]]
    /// Per VM and virtual page (vm * pages + page): entry codes (0 empty,
    /// 1 + 2 * target + writable).
    public var guestEntry: [Int], directEntry: [Int]
    /// The rules in progress, in any order.
    public var threads: [(rule: Int, nextStep: Int, arguments: [Int])] = []

    /// Every frame free and clean, nothing mapped, cached or in progress.
    public init(_ system: TransitionSystem) {
        let c = system.model.configuration
        owner = Array(repeating: 0, count: c.frames)
        tag = owner
        writer = owner
        pinned = owner
        rmp = owner
        root = Array(repeating: 0, count: c.vms)
        nested = Array(repeating: 0, count: c.vms * c.gpages)
        tlb = Array(repeating: [], count: c.vms * c.vcpus)
        guestEntry = Array(repeating: 0, count: c.vms * system.pages)
        directEntry = guestEntry
    }
}

extension TransitionSystem {
    /// The packed state the values describe, with TLBs and host threads in
    /// their normal order; nil when they do not fit the configuration (more
    /// entries than a TLB holds, more rules in progress than host threads, a
    /// component the view does not keep that is not empty).
    public func state(from values: StateValues) -> PackedState? {
        let c = configuration
        var s = PackedState()
        func place(_ fields: [Field], _ codes: [Int]) -> Bool {
            if fields.isEmpty { return codes.allSatisfy { $0 == 0 } }
            guard fields.count == codes.count else { return false }
            for (field, code) in zip(fields, codes) {
                guard code >= 0 && code <= Int(field.mask) else { return false }
                s[field] = code
            }
            return true
        }
        guard place(layout.owner, values.owner), place(layout.tag, values.tag), place(layout.writer, values.writer),
              place(layout.pinned, values.pinned), place(layout.rmp, values.rmp),
              values.rmp.allSatisfy({ $0 <= 2 * c.vms * c.gpages }), place(layout.root, values.root), place(layout.nested, values.nested),
              place(layout.guestEntry, values.guestEntry), place(layout.directEntry, values.directEntry),
              values.tlb.count == c.vms * c.vcpus, values.threads.count <= layout.threadRule.count else { return nil }
        for (cpu, entries) in values.tlb.enumerated() {
            guard entries.count <= c.tlb,
                  entries.allSatisfy({ (0..<pages).contains($0.page) && (0..<c.frames).contains($0.frame) }) else { return nil }
            for (slot, entry) in entries.enumerated() {
                s[layout.tlb[cpu * c.tlb + slot]] = tlbCode(page: entry.page, frame: entry.frame, writable: entry.writable)
            }
            normalizeTLB(&s, base: cpu * c.tlb)
        }
        for (thread, running) in values.threads.enumerated() {
            guard rules.isAtomic.indices.contains(running.rule), (1..<rules.stepCount[running.rule]).contains(running.nextStep),
                  running.arguments.count <= layout.maxRuleParameters,
                  running.arguments.allSatisfy({ $0 >= 0 && $0 <= Int(layout.threadParameter[0].mask) }) else { return nil }
            s[layout.threadRule[thread]] = 1 + running.rule
            s[layout.threadStep[thread]] = running.nextStep
            for (index, argument) in running.arguments.enumerated() {
                s[layout.threadParameter[thread * layout.maxRuleParameters + index]] = argument
            }
        }
        normalizeThreads(&s)
        return s
    }
}
