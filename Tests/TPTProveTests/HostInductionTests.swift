import Foundation
import Testing
import TPTModel
import TPTProve
import TPTZ3

/// Unbounded induction over the host's rules, for any number of frames and VMs:
/// under tpt, a frame's hardware tag names a VM only when the host's record
/// names the same VM, or while a reclaim of the frame has recorded it free and
/// not yet retagged it. (Guest actions change neither, so the clause is about
/// the whole system; only host transitions are encoded so far.)
@Suite struct HostInductionTests {
    struct Outcome {
        var initiation: ObligationResult
        /// Per transition: whether it preserves the invariant.
        var consecution: [(name: String, result: ObligationResult)]
    }

    func check(_ model: Model) throws -> Outcome {
        let z3 = Z3Context()
        let reclaim = try #require(model.rules.firstIndex { $0.name == "reclaim" })
        let keySlot = try #require(model.rules[reclaim].parameters.firstIndex { $0.type == .frame })
        func invariant(_ s: SymbolicState, _ v: Vocabulary) throws(Z3Error) -> Z3Term {
            let ownership = v.ownership.constructors
            let f = try z3.constant("f", v.frame), k = try z3.constant("k", v.frame)
            let tag = try z3.select(s.tag, f), owner = try z3.select(s.owner, f)
            let retagPending = try z3.and([z3.equal(owner, ownership[0].make()),
                                           z3.equal(z3.select(s.progress, f), z3.numeral(SymbolicState.progressCode(rule: reclaim, nextStep: 1), v.progress))])
            let tagFollowsOwner = try z3.forall([f], z3.implies(ownership[2].test(tag), z3.or([z3.equal(tag, owner), retagPending])))
            // A reclaim in progress is keyed on its own frame.
            let isReclaim = try z3.equal(z3.bvAnd(z3.select(s.progress, k), z3.numeral(0xF0, v.progress)),
                                         z3.numeral(UInt64(reclaim + 1) * 16, v.progress))
            let keyedOnItsFrame = try z3.forall([k], z3.implies(isReclaim,
                                                                z3.equal(z3.select(s.arguments[SymbolicState.argumentIndex(keySlot, .frame)], k), k)))
            return try z3.and([tagFollowsOwner, keyedOnItsFrame])
        }
        let c = model.configuration
        let initiation = try checkObligation(c, in: z3, timeoutMilliseconds: 30_000) { v throws(Z3Error) in
            (try invariant(SymbolicState.initial(v, model: model), v), [])
        }
        let names = try hostTransitions(model, Vocabulary(z3, configuration: c),
                                        from: SymbolicState.fresh(Vocabulary(z3, configuration: c), name: "pre", scheme: model.scheme)).map(\.name)
        var consecution: [(String, ObligationResult)] = []
        for (index, name) in names.enumerated() {
            let result = try checkObligation(c, in: z3, timeoutMilliseconds: 30_000) { v throws(Z3Error) in
                let pre = try SymbolicState.fresh(v, name: "pre", scheme: model.scheme)
                let transition = try hostTransitions(model, v, from: pre)[index]
                return (try invariant(transition.post, v), [try invariant(pre, v), transition.enabled])
            }
            consecution.append((name, result))
        }
        return Outcome(initiation: initiation, consecution: consecution)
    }

    static func bundled(_ name: String) throws -> Model {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(name).tpt")
        return try parseModel(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    @Test func tagFollowsOwnerIsInductiveForTheCorrectModel() throws {
        let outcome = try check(Self.bundled("tpt"))
        #expect(outcome.initiation == .proved)
        #expect(outcome.consecution.map(\.name) == ["assign", "reclaim starts", "reclaim step 2/6", "reclaim step 3/6",
                                                    "reclaim step 4/6", "reclaim step 5/6", "reclaim step 6/6"])
        for (name, result) in outcome.consecution {
            #expect(result == .proved, "\(name): \(result)")
        }
    }

    /// Without the retag, the frame ends the reclaim free but still tagged for
    /// its old owner: the step after which the clause fails is the last one.
    @Test func withoutTheRetagTheClauseIsNotInductive() throws {
        var model = try Self.bundled("tpt")
        let reclaim = try #require(model.rules.firstIndex { $0.name == "reclaim" })
        model.rules[reclaim].steps.remove(at: 1)
        let outcome = try check(model)
        #expect(outcome.initiation == .proved)
        let broken = outcome.consecution.filter { if case .refuted = $0.result { true } else { false } }.map(\.name)
        #expect(broken == ["reclaim step 2/5"], "\(outcome.consecution.map { "\($0.name): \($0.result)" })")
    }
}
