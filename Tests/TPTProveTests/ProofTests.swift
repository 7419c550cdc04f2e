import Foundation
import Testing
import TPTModel
import TPTProve
import TPTZ3

/// Every bug model of the tpt and nested catalogue makes some proof obligation
/// fail. The invariant is the bundled proofs' (`Proofs/*.proof`), derived here
/// from each model's own reclaim rule, since the step numbers differ: it says
/// which leftovers (a p2m entry, TLB entries, the old owner's data, the old tag)
/// a frame may keep until which step.
@Suite struct ProofTests {
    /// Where, in the reclaim rule, each kind of leftover is gone: the next-step
    /// indices (from 1) during which it may remain.
    struct Reclaim {
        var rule: Int
        var p2mEntry: [Int]
        var tlbEntries: [Int]
        var data: [Int]
        /// tpt only: the old tag.
        var tag: [Int]?
        var all: [Int]
    }

    static func protocolOf(_ model: Model) throws -> Reclaim {
        let rule = try #require(model.rules.firstIndex { $0.name == "reclaim" })
        let steps = model.rules[rule].steps
        /// The steps before the first one of the kind: the leftover remains while one of them is next.
        func until(_ isIt: (Step) -> Bool) -> [Int] { Array(1...(steps.firstIndex(where: isIt) ?? steps.count)) }
        return Reclaim(
            rule: rule,
            p2mEntry: until { if case .nestedUnmap = $0 { true } else { false } },
            tlbEntries: until { if case .shootdown = $0 { true } else if case .flushTLB = $0 { true } else { false } },
            data: until { if case .scrub = $0 { true } else { false } },
            tag: model.scheme == .tpt ? until { if case .setOwnership(.tag, _, .free) = $0 { true } else { false } } : nil,
            all: Array(1..<steps.count))
    }

    static func invariant(_ model: Model, _ reclaim: Reclaim) -> Invariant {
        { (s: SymbolicState, v: Vocabulary) throws(Z3Error) -> [(name: String, formula: Z3Term)] in
            let z3 = v.z3
            let ownership = v.ownership.constructors, entry = v.frameEntry.constructors, option = v.optionalFrame.constructors
            func reclaiming(_ frame: Z3Term, _ steps: [Int]) throws(Z3Error) -> Z3Term {
                try z3.and([z3.equal(z3.select(s.owner, frame), ownership[0].make()),
                            s.progress(of: frame, rule: reclaim.rule, nextStep: steps, in: v)])
            }
            func argument(_ name: String, _ frame: Z3Term) throws(Z3Error) -> Z3Term {
                try s.argument(model, rule: reclaim.rule, parameter: name, of: frame, in: v)
            }
            let f = try z3.constant("inv.f", v.frame), k = try z3.constant("inv.k", v.frame)
            let vm = try z3.constant("inv.v", v.vm), other = try z3.constant("inv.w", v.vm)
            let g = try z3.constant("inv.g", v.gpage), h = try z3.constant("inv.h", v.gpage), p = try z3.constant("inv.p", v.page)
            let owner = try z3.select(s.owner, f), tag = try z3.select(s.tag, f), writer = try z3.select(s.writer, f)
            let free = try ownership[0].make(), host = try ownership[1].make()
            let cpu = try z3.constant("inv.c", v.vcpu)
            let cached = try z3.select(z3.select(z3.select(s.tlb, vm), cpu), p)
            let cachedFrame = try entry[1].fields[0](cached)
            let mapsF = try z3.equal(z3.select(z3.select(s.nested, vm), g), option[1].make(f))
            var clauses: [Z3Term] = [
                // A reclaim in progress is keyed on its own frame.
                try z3.forall([k], z3.implies(s.progress(of: k, rule: reclaim.rule, in: v), z3.equal(argument("f", k), k))),
                // A frame's p2m entry is its owner's, or the reclaiming VM's until the unmap.
                try z3.forall([vm, g, f], z3.implies(mapsF, z3.or([
                    z3.equal(owner, ownership[2].make(vm)),
                    z3.and([reclaiming(f, reclaim.p2mEntry), z3.equal(argument("v", f), vm), z3.equal(argument("g", f), g)])]))),
                // At most one p2m entry names a frame.
                try z3.forall([vm, g, other, h, f], z3.implies(
                    z3.and([mapsF, z3.equal(z3.select(z3.select(s.nested, other), h), option[1].make(f))]),
                    z3.and([z3.equal(vm, other), z3.equal(g, h)]))),
                // A cached frame is the VM's, or being reclaimed from it until the shootdown (or flush).
                try z3.forall([vm, cpu, p], z3.implies(entry[1].test(cached), z3.or([
                    z3.equal(z3.select(s.owner, cachedFrame), ownership[2].make(vm)),
                    z3.and([reclaiming(cachedFrame, reclaim.tlbEntries), z3.equal(argument("v", cachedFrame), vm)])]))),
                // Data is its writer's, or the old owner's until the scrub.
                try z3.forall([f], z3.implies(ownership[2].test(writer), z3.or([
                    z3.equal(writer, owner),
                    z3.and([reclaiming(f, reclaim.data), z3.equal(writer, ownership[2].make(argument("v", f)))])]))),
                // No rule gives anything to the host; a free frame no reclaim holds is clean.
                try z3.forall([f], z3.and([z3.not(z3.equal(owner, host)), z3.not(z3.equal(writer, host)), z3.not(z3.equal(tag, host))])),
                try z3.forall([f], z3.implies(z3.and([z3.equal(owner, free), z3.not(s.progress(of: f, rule: reclaim.rule, in: v))]),
                                               z3.equal(writer, free))),
            ]
            if let tagSteps = reclaim.tag {
                // The tag is the owner's, or the old owner's until the retag; a free frame no reclaim holds is untagged.
                clauses.append(try z3.forall([f], z3.implies(ownership[2].test(tag), z3.or([
                    z3.equal(tag, owner),
                    z3.and([reclaiming(f, tagSteps), z3.equal(tag, ownership[2].make(argument("v", f)))])]))))
                clauses.append(try z3.forall([f], z3.implies(z3.and([z3.equal(owner, free), z3.not(s.progress(of: f, rule: reclaim.rule, in: v))]),
                                                              z3.equal(tag, free))))
            }
            return clauses.enumerated().map { ("clause \($0.offset + 1)", $0.element) }
        }
    }

    /// Every buggy reclaim the explicit checker catches makes some obligation fail.
    @Test(arguments: ["tpt-bug-no-shootdown", "tpt-bug-flush-before-retag", "tpt-bug-no-scrub", "tpt-bug-scrub-before-shootdown",
                      "tpt-bug-leaf-only-check", "nested-bug-no-flush", "host-bug-double-assign"])
    func aBuggyReclaimBreaksSomeObligation(_ name: String) throws {
        let model = try AgreementTests.bundled(name)
        let outcomes = try prove(model, invariant: Self.invariant(model, Self.protocolOf(model)), timeoutMilliseconds: 5_000)
        #expect(outcomes.contains { if case .refuted = $0.result { true } else { false } },
                "\(name): \(outcomes.map { "\($0.name): \($0.result)" })")
    }
}
