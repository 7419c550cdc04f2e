import Foundation
import Testing
import TPTModel
import TPTProve
import TPTZ3

/// An unbounded proof that the bundled tpt model keeps isolation and no data
/// leak for any number of VMs, frames, guest-physical and virtual pages, any
/// TLB size and any number of concurrent reclaims: an inductive invariant
/// checked against every host and guest transition.
@Suite struct TPTProofTests {
    /// The invariant's clauses, by name, over one state.
    static func clauses(_ s: SymbolicState, _ v: Vocabulary, _ model: Model) throws -> [(String, Z3Term)] {
        let z3 = v.z3
        let ownership = v.ownership.constructors, entry = v.frameEntry.constructors, option = v.optionalFrame.constructors
        let reclaim = model.rules.firstIndex { $0.name == "reclaim" }!
        let parameters = model.rules[reclaim].parameters   // (v: vm, g: gpage, f: frame)
        func argument(_ name: String, _ frame: Z3Term) throws -> Z3Term {
            let slot = parameters.firstIndex { $0.name == name }!
            return try z3.select(s.arguments[SymbolicState.argumentIndex(slot, parameters[slot].type)], frame)
        }
        func at(_ frame: Z3Term, _ steps: [Int]) throws -> Z3Term {
            try z3.or(steps.map { step throws(Z3Error) in
                try z3.equal(z3.select(s.progress, frame), z3.numeral(SymbolicState.progressCode(rule: reclaim, nextStep: step), v.progress))
            })
        }
        let f = try z3.constant("inv.f", v.frame), k = try z3.constant("inv.k", v.frame)
        let vm = try z3.constant("inv.v", v.vm), other = try z3.constant("inv.w", v.vm)
        let g = try z3.constant("inv.g", v.gpage), h = try z3.constant("inv.h", v.gpage), p = try z3.constant("inv.p", v.page)
        let owner = try z3.select(s.owner, f), tag = try z3.select(s.tag, f), writer = try z3.select(s.writer, f)
        let free = try ownership[0].make()
        let reclaimed = try z3.and([z3.equal(owner, free), at(f, [1, 2, 3, 4, 5])])
        let isReclaim = try z3.equal(z3.bvAnd(z3.select(s.progress, k), z3.numeral(0xF0, v.progress)),
                                     z3.numeral(UInt64(reclaim + 1) * 16, v.progress))
        let cached = try z3.select(z3.select(s.tlb, vm), p)
        let cachedFrame = try entry[1].fields[0](cached)
        let cachedOwner = try z3.select(s.owner, cachedFrame)
        let mapsF = try z3.equal(z3.select(z3.select(s.nested, vm), g), option[1].make(f))
        return [
            // An idle frame has no reclaim state; a reclaim in progress is keyed on its own frame.
            ("keyed", try z3.forall([k], z3.implies(isReclaim, z3.equal(argument("f", k), k)))),
            ("tag follows owner", try z3.forall([f], z3.implies(ownership[2].test(tag), z3.or([
                z3.equal(tag, owner),
                z3.and([z3.equal(owner, free), at(f, [1]), z3.equal(tag, ownership[2].make(argument("v", f)))])])))),
            ("cached frames are the VM's", try z3.forall([vm, p], z3.implies(entry[1].test(cached), z3.or([
                z3.equal(cachedOwner, ownership[2].make(vm)),
                z3.and([z3.equal(cachedOwner, free), at(cachedFrame, [1, 2]), z3.equal(argument("v", cachedFrame), vm)])])))),
            ("p2m entries are the VM's", try z3.forall([vm, g, f], z3.implies(mapsF, z3.or([
                z3.equal(owner, ownership[2].make(vm)),
                z3.and([reclaimed, z3.equal(argument("v", f), vm), z3.equal(argument("g", f), g)])])))),
            ("one p2m entry per frame", try z3.forall([vm, g, other, h, f], z3.implies(
                z3.and([mapsF, z3.equal(z3.select(z3.select(s.nested, other), h), option[1].make(f))]),
                z3.and([z3.equal(vm, other), z3.equal(g, h)])))),
            ("written frames are the writer's", try z3.forall([f], z3.implies(ownership[2].test(writer), z3.or([
                z3.equal(writer, owner),
                z3.and([z3.equal(owner, free), at(f, [1, 2, 3]), z3.equal(writer, ownership[2].make(argument("v", f)))])])))),
            // No rule of the model gives anything to the host.
            ("nothing is the host's", try z3.forall([f], z3.and([z3.not(z3.equal(tag, ownership[1].make())),
                                                                 z3.not(z3.equal(writer, ownership[1].make())),
                                                                 z3.not(z3.equal(owner, ownership[1].make()))]))),
            ("free frames are idle", try z3.forall([f], z3.implies(z3.and([z3.equal(owner, free), z3.not(at(f, [1, 2, 3, 4, 5]))]),
                                                                   z3.and([z3.equal(tag, free), z3.equal(writer, free)])))),
        ]
    }

    static func invariant(_ s: SymbolicState, _ v: Vocabulary, _ model: Model) throws(Z3Error) -> Z3Term {
        do {
            return try v.z3.and(clauses(s, v, model).map(\.1))
        } catch let error as Z3Error {
            throw error
        } catch {
            throw Z3Error(message: "\(error)")
        }
    }

    /// Every obligation, with how long it took.
    static func obligations(_ model: Model) throws -> [(String, ObligationResult, Double)] {
        let z3 = Z3Context()
        let c = model.configuration
        var results: [(String, ObligationResult, Double)] = []
        var clock = Date()
        func timed(_ name: String, _ result: ObligationResult) -> (String, ObligationResult, Double) {
            defer { clock = Date() }
            return (name, result, Date().timeIntervalSince(clock))
        }
        results.append(timed("initiation", try checkObligation(c, in: z3, timeoutMilliseconds: 60_000) { v throws(Z3Error) in
            (try Self.invariant(SymbolicState.initial(v, model: model), v, model), [try v.distinctLiterals()])
        }))
        let unbounded = try Vocabulary(z3, configuration: c)
        let pre = try SymbolicState.fresh(unbounded, name: "pre", scheme: model.scheme)
        let hostNames = try hostTransitions(model, unbounded, from: pre).map(\.name)
        for (index, name) in hostNames.enumerated() {
            results.append(timed("consecution: \(name)", try checkObligation(c, in: z3, timeoutMilliseconds: 60_000) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let transition = try hostTransitions(model, v, from: pre)[index]
                return (try Self.invariant(transition.post, v, model), [try Self.invariant(pre, v, model), transition.enabled])
            }))
        }
        let guest = try guestTransitions(model, unbounded, from: pre)
        for (index, transition) in guest.transitions.enumerated() {
            results.append(timed("consecution: \(transition.name)", try checkObligation(c, in: z3, timeoutMilliseconds: 60_000) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let transition = try guestTransitions(model, v, from: pre).transitions[index]
                return (try Self.invariant(transition.post, v, model), [try Self.invariant(pre, v, model), transition.enabled])
            }))
            for (which, violation) in guest.violations[index].enumerated() {
                results.append(timed("\(violation.property.rawValue): \(transition.name)", try checkObligation(c, in: z3, timeoutMilliseconds: 60_000) { v throws(Z3Error) in
                    let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                    let guest = try guestTransitions(model, v, from: pre)
                    return (try z3.not(guest.violations[index][which].condition),
                            [try Self.invariant(pre, v, model), guest.transitions[index].enabled])
                }))
            }
        }
        return results
    }

    @Test func everyObligationIsProvedForTheBundledModel() throws {
        let results = try Self.obligations(AgreementTests.bundled("tpt"))
        for (name, result, _) in results {
            #expect(result == .proved, "\(name): \(result)")
        }
        #expect(results.count > 15)
    }

    /// The proof is not vacuous: the initial state satisfies the invariant
    /// (bounded, where the literals are distinct by construction).
    @Test func theInvariantHoldsOfARealState() throws {
        let model = try AgreementTests.bundled("tpt")
        let z3 = Z3Context()
        let v = try Vocabulary(z3, configuration: model.configuration, domain: .bounded)
        let solver = try Z3Solver(z3, timeoutMilliseconds: 60_000)
        try solver.assert(Self.invariant(SymbolicState.initial(v, model: model), v, model))
        #expect(try solver.check() == .satisfiable)
    }

    /// Without the shootdown, some obligation fails.
    @Test func aBuggyReclaimBreaksSomeObligation() throws {
        var model = try AgreementTests.bundled("tpt")
        let reclaim = try #require(model.rules.firstIndex { $0.name == "reclaim" })
        model.rules[reclaim].steps.removeAll { $0 == .shootdown(frame: .parameter(2)) }
        let results = try Self.obligations(model)
        for (name, result, seconds) in results where result != .proved {
            print(String(format: "%8.2f s  %@: %@", seconds, name, "\(result)"))
        }
        #expect(results.contains { $0.1 != .proved })
    }
}
