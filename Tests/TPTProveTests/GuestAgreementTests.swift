import Foundation
import Testing
@testable import TPTModel
import TPTProve
import TPTZ3

/// The symbolic guest transitions enable and flag exactly what the explicit
/// checker does, on sampled reachable states of a concrete configuration (the
/// unbounded TLB aside: it never evicts). Both run one definition
/// (`forEachGuestMove`); this compares the two algebras it runs on.
@Suite struct GuestAgreementTests {
    @Test(arguments: ["tpt", "nested", "snp", "tpt-bug-leaf-only-check", "tpt-bug-no-shootdown", "tpt-walk-cache", "tpt-write-protect", "nested-write-protect"])
    func guestTransitionsAgreeWithTheExplicitChecker(_ name: String) throws {
        let model = try AgreementTests.bundled(name)
        let system = TransitionSystem(model: model)
        let c = model.configuration
        let z3 = Z3Context()
        let v = try Vocabulary(z3, configuration: c, domain: .bounded)
        var compared = 0
        for state in AgreementTests.sample(system, count: 8, stride: 41) {
            let guest = try guestTransitions(model, v, from: SymbolicState.encode(state, of: system, in: v))
            let named = Dictionary(uniqueKeysWithValues: zip(guest.transitions.map(\.name), zip(guest.transitions, guest.violations)))
            /// Whether the formula holds once the parameters are fixed.
            func holds(_ formula: Z3Term, vm: Int, page: Int, frame: Int) throws -> Bool {
                let solver = try Z3Solver(z3, timeoutMilliseconds: 20_000)
                try solver.assert(z3.equal(guest.vm, v.literal(.vm, vm)))
                try solver.assert(z3.equal(guest.page, v.pageLiteral(page)))
                try solver.assert(z3.equal(guest.vcpu, v.vcpuLiteral(0)))
                try solver.assert(z3.equal(guest.frame, v.literal(.frame, frame)))
                try solver.assert(z3.not(formula))
                return try solver.check() == .unsatisfiable
            }
            for vm in 0..<c.vms {
                let algebra = ConcreteAlgebra(system: system, state: state, bindings: Bindings())
                let walked = algebra.walkOverGuestTables(of: vm, 0, cached: algebra.cachesWalks ? algebra.cachedTables(of: vm, 0) : nil)
                for page in 0..<c.virtualPages {
                    let hit = system.tlbHit(state, base: system.tlbIndex(vm, 0), page: page)
                    for frame in 0..<c.frames {
                        let fills = hit == nil && walked.reached & (1 << UInt32(frame)) != 0
                        let fill = try #require(named["read (walk and fill)"])
                        #expect(try holds(z3.equal(fill.0.enabled, z3.bool(fills)), vm: vm, page: page, frame: frame),
                                "\(name): vm\(vm) p\(page) f\(frame) fill")
                        compared += 1
                    }
                    let walk = try #require(named["walk"])
                    for violation in walk.1 {
                        let expected = hit == nil && (violation.property == .isolation ? walked.isolation : walked.leak)
                        #expect(try holds(z3.equal(z3.and([walk.0.enabled, violation.condition]), z3.bool(expected)), vm: vm, page: page, frame: 0),
                                "\(name): vm\(vm) p\(page) page-table \(violation.property)")
                    }
                    let read = try #require(named["read (TLB hit)"])
                    #expect(try holds(z3.equal(read.0.enabled, z3.bool(hit != nil)), vm: vm, page: page, frame: 0))
                    if let hit {
                        let cached = system.tlbEntry(state[system.layout.tlb[hit]]).frame
                        for violation in read.1 {
                            let concrete = ConcreteAlgebra(system: system, state: state, bindings: Bindings())
                            let expected = violation.property == .isolation ? concrete.accessBreaksIsolation(vm: vm, frame: cached)
                                                                            : concrete.accessLeaks(vm: vm, frame: cached)
                            #expect(try holds(z3.equal(violation.condition, z3.bool(expected)), vm: vm, page: page, frame: 0))
                        }
                    }
                }
            }
        }
        #expect(compared > 100)
    }
}
