import Foundation
import Testing
@testable import TPTModel
import TPTProve
import TPTZ3

/// The symbolic product with nested paging (`equivalenceSystem`) does what the
/// explicit checker's equivalence view does: on sampled reachable states, every
/// explicit successor is the post-state of the symbolic transition of the same
/// kind, with the same VM and page, and every explicit divergence is a symbolic
/// one. Both run one definition (`forEachEquivalenceMove`); this compares the
/// algebras it runs on. (The symbolic product may do more, evicting from one
/// TLB alone at any time, which covers every TLB capacity.)
@Suite struct EquivalenceAgreementTests {
    @Test(arguments: [("tpt", 1), ("shadow", 1), ("pv", 1), ("shadow-bug-missed-trap", 1), ("tpt", 2)])
    func equivalenceProductAgreesWithTheExplicitChecker(_ name: String, vcpus: Int) throws {
        var model = try AgreementTests.bundled(name)
        model.configuration.vcpus = vcpus
        let system = TransitionSystem(model: model, view: .equivalence)
        let z3 = Z3Context()
        let v = try Vocabulary(z3, configuration: model.configuration, domain: .bounded)
        var compared = 0, divergences = 0
        for state in AgreementTests.sample(system, count: 6, stride: 23) {
            let product = try equivalenceSystem(model, v, from: SymbolicState.encode(state, of: system, in: v))
            var successors: [(Action, PackedState, Violation?)] = []
            system.forEachSuccessor(of: state) { action, next, violation in
                successors.append((action, next, violation))
                return true
            }
            for (action, next, violation) in successors {
                let name: String = switch action.kind {
                case .startRule: product.transitions[Int(action.subject)].name
                case .translate: violation == nil ? "access" : "access (diverges)"
                case .invalidatePage: "invlpg"
                case .flush: "flush"
                case .writeEntry where product.transitions.contains { $0.name == "write entry" }: "write entry"
                case .writeEntry: action.trapped ? "write entry (trapped)" : "write entry (not trapped)"
                default: "(no such action in the product: \(action.kind))"
                }
                let index = try #require(product.transitions.firstIndex { $0.name == name }, "\(name)")
                let transition = product.transitions[index]
                let solver = try Z3Solver(z3, timeoutMilliseconds: 20_000)
                try solver.assert(transition.enabled)
                for (parameter, term) in transition.parameters {
                    if parameter == "vm" && action.isGuest { try solver.assert(z3.equal(term, v.literal(.vm, Int(action.vm)))) }
                    if parameter == "vcpu" { try solver.assert(z3.equal(term, v.vcpuLiteral(Int(action.vcpu)))) }
                    if parameter == "page" { try solver.assert(z3.equal(term, v.pageLiteral(Int(action.subject)))) }
                }
                if violation != nil {
                    let diverges = try #require(product.violations[index].first { $0.property == .equivalence })
                    try solver.assert(diverges.condition)
                    divergences += 1
                } else {
                    try solver.assert(transition.post.equals(SymbolicState.encode(next, of: system, in: v), in: z3))
                }
                let result = try solver.check()
                #expect(result == .satisfiable, "\(name): \(action.kind) vm\(action.vm).cpu\(action.vcpu) #\(action.subject) \(result)")
                compared += 1
            }
        }
        #expect(compared > 50)
        // Only the buggy host lets the translations diverge.
        #expect((divergences > 0) == (name == "shadow-bug-missed-trap"))
    }
}
