import TPTExplore
import TPTModel

/// Random models in the model language, for differential testing: every
/// scheme, small configurations (1-2 VMs, vCPUs, TLB entries and host
/// threads), random guards, step sequences and atomic or interleaved rules,
/// some shaped like correct rules and some like the catalogue's bugs.
///
/// Models are written as text and go through the parser, so the generator
/// tests the language the users write, not a data structure behind it. The
/// same seed gives the same model on every machine (`SwarmRandom`).
public struct RandomModelGenerator {
    private var random: SwarmRandom

    public init(seed: UInt64) { random = SwarmRandom(seed: seed) }

    /// One model's text; `index` names it.
    public mutating func model(index: Int) -> String {
        let scheme = pick(["tpt", "nested", "shadow", "pv", "snp"])
        let vms = int(1...2), vcpus = int(1...2), tlb = int(1...2), threads = int(1...2)
        let frames = int(2...4), gpages = int(1...2)
        // Shadow and pv keep an entry per virtual page: one or two pages.
        let levels = scheme == "shadow" || scheme == "pv" ? 1 : int(1...2)
        let fanout = scheme == "shadow" || scheme == "pv" ? int(1...2) : int(1...2)
        var lines = ["// random model \(index)", "model random-\(index)", "scheme \(scheme)",
                     "config vms \(vms), vcpus \(vcpus), frames \(frames), levels \(levels), fanout \(fanout), "
                     + "tlb \(tlb), gpages \(gpages), host_threads \(threads)"]
        switch scheme {
        case "tpt": lines.append("walker checks " + pick(["tag at every level", "tag at every level", "tag at leaf", "nothing"]))
        case "shadow": lines.append("trap pte_writes " + pick(["always", "always", "sometimes"]))
        case "pv": lines.append("hypercall checks " + pick(["owner, read_only_tables", "owner, read_only_tables", "owner", "read_only_tables", "nothing"]))
        default: break
        }
        // A quarter of the tpt models keep paging-structure caches.
        let walkCache = scheme == "tpt" && levels >= 2 && bool(0.25)
        if walkCache { lines.append("walker caches upper levels") }
        // A quarter of the models shoot TLBs down by flush requests the vCPUs acknowledge.
        // A quarter of the models grant read-only access: owners and tags
        // `ro(v)`, nested entries `ro(f)`.
        let context = Context(scheme: scheme, vms: vms, vcpus: vcpus, frames: frames, gpages: gpages, flushRequests: bool(0.25), walkCache: walkCache,
                              permissions: bool(0.25))
        lines.append("init")
        for vm in 0..<vms where vm < frames {
            var boot = ["set_owner(f\(vm), vm\(vm))"]
            if scheme == "tpt" { boot.append("set_tag(f\(vm), vm\(vm))") }
            if scheme == "tpt" || scheme == "nested" || scheme == "snp" { boot.append("set_writer(f\(vm), vm\(vm))") }
            if scheme == "snp" && bool(0.8) { boot.append("rmp_assign(f\(vm), vm\(vm), g0)") }
            if scheme == "pv" { boot.append("pin(f\(vm))") }
            switch scheme {
            case "tpt", "pv": boot.append("set_root(vm\(vm), f\(vm))")
            case "nested", "snp": boot.append("set_root(vm\(vm), g0)")
            default: break
            }
            boot.append("nested_map(vm\(vm), g0, f\(vm))")
            lines.append("  " + boot.joined(separator: "  "))
        }
        for rule in 0..<int(1...3) { lines += self.rule(rule, context) }
        lines.append("check " + pick(["isolation, no_data_leak", "isolation, no_data_leak", "isolation", "no_data_leak"]))
        lines.append("expect holds")
        return lines.joined(separator: "\n") + "\n"
    }

    private struct Context {
        var scheme: String, vms: Int, vcpus: Int, frames: Int, gpages: Int
        var flushRequests: Bool
        var walkCache: Bool
        var permissions: Bool
    }

    /// A rule: an assign-like, reclaim-like or free-form one.
    private mutating func rule(_ index: Int, _ c: Context) -> [String] {
        let interleaved = bool(0.6)
        // A vCPU parameter now and then, for the per-vCPU roots.
        let parameters = [("f", "frame"), ("v", "vm"), ("g", "gpage"), ("c", "vcpu")].filter { $0.1 == "frame" || bool($0.1 == "vcpu" ? 0.3 : 0.8) }
        let names = Dictionary(uniqueKeysWithValues: parameters.map { ($0.1, $0.0) })
        func operand(_ type: String) -> String {
            if let name = names[type], bool(0.85) { return name }
            switch type {
            case "frame": return "f\(int(0...(c.frames - 1)))"
            case "vm": return "vm\(int(0...(c.vms - 1)))"
            case "vcpu": return "cpu\(int(0...(c.vcpus - 1)))"
            default: return "g\(int(0...(c.gpages - 1)))"
            }
        }
        func ownership() -> String {
            c.permissions && bool(0.3) ? "ro(\(operand("vm")))" : pick(["free", "free", operand("vm"), "host"])
        }
        func mapped() -> String { c.permissions && bool(0.4) ? "ro(\(operand("frame")))" : operand("frame") }
        // Guard: a few tests, some negated, usually with `not in_flight(f)`.
        var tests: [String] = []
        var candidates = ["owner(\(operand("frame"))) == \(ownership())", "owner(\(operand("frame"))) is vm",
                          "nested(\(operand("vm")), \(operand("gpage"))) == \(pick(["empty", mapped()]))",
                          "mapped(\(operand("frame")))", "in_flight(\(operand("frame")))"]
        if c.scheme == "tpt" { candidates += ["tag(\(operand("frame"))) == \(ownership())", "tag(\(operand("frame"))) is vm"] }
        if c.scheme == "pv" { candidates.append("pinned(\(operand("frame")))") }
        // A root (schemes with one): some vCPU's of the VM, or one vCPU's.
        let target = c.scheme == "tpt" || c.scheme == "pv" ? "frame" : "gpage"
        if c.scheme != "shadow" {
            candidates.append("root(\(operand("vm"))) == \(pick(["none", operand(target)]))")
            candidates.append("root(\(operand("vm")), \(operand("vcpu"))) == \(pick(["none", operand(target)]))")
        }
        // A parameter compared with a constant of its type.
        if let frame = names["frame"] { candidates.append("\(frame) \(pick(["==", "!="])) f\(int(0...(c.frames - 1)))") }
        if let vm = names["vm"] { candidates.append("\(vm) \(pick(["==", "!="])) vm\(int(0...(c.vms - 1)))") }
        if c.scheme == "snp" {
            candidates += ["rmp(\(operand("frame"))) == \(pick(["free", operand("vm")]))", "rmp(\(operand("frame"))) is vm"]
        }
        // The host's flush bookkeeping: a request not yet acknowledged, a vCPU not running.
        if c.flushRequests {
            candidates += ["flush_pending(\(operand("vm")))", "flush_pending(\(operand("vm")), \(operand("vcpu")))",
                           "descheduled(\(operand("vm")))", "descheduled(\(operand("vm")), \(operand("vcpu")))"]
        }
        for _ in 0..<int(0...2) { tests.append((bool(0.3) ? "not " : "") + pick(candidates)) }
        if bool(0.75) { tests.append("not in_flight(f)") }
        if tests.count > 1 && bool(0.15) { tests = ["(" + tests[0] + " or " + tests[1] + ")"] + tests.dropFirst(2) }
        // Steps: the primitives the scheme has.
        var primitives = ["set_owner(\(operand("frame")), \(ownership()))", "shootdown(\(operand("frame")))",
                          "flush_tlb(\(operand("vm")))", "scrub(\(operand("frame")))", "set_writer(\(operand("frame")), \(operand("vm")))",
                          "nested_map(\(operand("vm")), \(operand("gpage")), \(mapped()))",
                          "nested_unmap(\(operand("vm")), \(operand("gpage")))"]
        switch c.scheme {
        case "tpt": primitives += ["set_tag(\(operand("frame")), \(ownership()))", "set_tag(f, \(operand("vm")))",
                                   "set_root(\(operand("vm")), \(operand("frame")))", "revoke(\(operand("frame")))"]
        case "nested": primitives.append("set_root(\(operand("vm")), \(operand("gpage")))")
        case "snp": primitives += ["set_root(\(operand("vm")), \(operand("gpage")))", "rmp_clear(\(operand("frame")))",
                                   "rmp_assign(\(operand("frame")), \(operand("vm")), \(operand("gpage")))"]
        case "shadow": primitives += ["shadow_zap(\(operand("vm")), \(operand("gpage")))", "revoke(\(operand("frame")))"]
        default: primitives += ["pin(\(operand("frame")))", "unpin(\(operand("frame")))", "revoke(\(operand("frame")))",
                                "set_root(\(operand("vm")), \(operand("frame")))"]
        }
        if c.scheme != "shadow" { primitives.append("set_root(\(operand("vm")), \(operand("vcpu")), \(operand(target)))") }
        // One vCPU's invalidations.
        primitives += ["shootdown(\(operand("frame")), \(operand("vm")), \(operand("vcpu")))", "flush_tlb(\(operand("vm")), \(operand("vcpu")))"]
        if c.walkCache { primitives.append("shootdown_tables(\(operand("frame")))") }
        if c.flushRequests {
            primitives += ["request_flush(\(operand("vm")))", "request_flush_running(\(operand("vm")))"]
            if interleaved { primitives.append("await_flush(\(operand("vm")))") }
        }
        var steps: [String] = []
        switch int(0...2) {
        case 0:
            // Assign-like: give a frame to a VM (read-only, now and then, where the model grants that).
            func granted() -> String { c.permissions && bool(0.4) ? "ro(\(operand("vm")))" : operand("vm") }
            steps = ["set_owner(f, \(granted()))", "nested_map(\(operand("vm")), \(operand("gpage")), \(c.permissions && bool(0.4) ? "ro(f)" : "f"))"]
            if c.scheme == "tpt" { steps.append("set_tag(f, \(granted()))") }
            if c.scheme == "snp" && bool(0.85) { steps.insert("rmp_assign(f, \(operand("vm")), \(operand("gpage")))", at: int(0...steps.count)) }
        case 1:
            // Reclaim-like: take it back, in a correct or shuffled order, maybe missing a step.
            steps = ["set_owner(f, free)"]
            if c.scheme == "tpt" { steps.append("set_tag(f, free)") }
            if c.scheme == "pv" || c.scheme == "shadow" { steps.append("revoke(f)") }
            if c.scheme == "snp" { steps.insert("rmp_clear(f)", at: int(0...steps.count)) }
            if c.flushRequests {
                // The shootdown as requests and, in an interleaved rule, the wait for their acknowledgements.
                let vm = operand("vm")
                steps.append(pick(["request_flush", "request_flush", "request_flush_running"]) + "(\(vm))")
                if interleaved { steps.append("await_flush(\(vm))") }
            } else {
                steps.append("shootdown(f)")
            }
            if c.walkCache && bool(0.8) { steps.append("shootdown_tables(f)") }
            steps += ["scrub(f)", "nested_unmap(\(operand("vm")), \(operand("gpage")))"]
            if bool(0.4) { steps.remove(at: int(0...(steps.count - 1))) }
            if bool(0.3) && steps.count > 1 {
                let i = int(0...(steps.count - 2))
                steps.swapAt(i, i + 1)
            }
        default:
            for _ in 0..<int(1...4) { steps.append(pick(primitives)) }
        }
        if steps.isEmpty { steps = [pick(primitives)] }
        let signature = parameters.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        var lines = ["rule r\(index)(\(signature)) \(interleaved ? "interleaved" : "atomic")"]
        if !tests.isEmpty { lines.append("  when " + tests.joined(separator: " and ")) }
        lines.append("  do " + steps.joined(separator: "\n     "))
        return lines
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    private mutating func bool(_ probability: Double) -> Bool {
        Double(random.next() >> 11) / Double(1 << 53) < probability
    }

    private mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }
}
