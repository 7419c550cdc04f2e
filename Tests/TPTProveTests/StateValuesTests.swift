import Foundation
import Testing
@testable import TPTModel
@testable import TPTProve
import TPTZ3

/// A state crosses between the backends as cell values (`StateValues`): a
/// packed state's values must give it back, and so must its Z3 encoding read
/// back at the configuration's literals; what either side cannot hold must be
/// refused, not squeezed in.
@Suite struct StateValuesTests {
    static let models = ["tpt", "nested", "shadow", "pv", "snp", "shadow-bug-missed-trap", "pv-bug-writable-pt", "snp-bug-no-flush"]

    /// A bundled model with more of everything a state keeps: two vCPUs, two
    /// host threads, two TLB entries per vCPU.
    static func widened(_ name: String) throws -> Model {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(name).tpt")
        let text = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("config ") else { return String(line) }
            return line.replacingOccurrences(of: "vcpus 1", with: "vcpus 2").replacingOccurrences(of: "tlb 1", with: "tlb 2") + ", host_threads 2"
        }.joined(separator: "\n")
        return try parseModel(text, file: url.path)
    }

    @Test(arguments: models)
    func packedStatesSurviveTheirValues(_ name: String) throws {
        for model in [try AgreementTests.bundled(name), try Self.widened(name)] {
            for view in [TransitionSystem.View.safety, .equivalence] where view == .safety || model.scheme.features.comparesWithNested {
                let system = TransitionSystem(model: model, view: view)
                for state in AgreementTests.sample(system, count: 60, stride: 7) {
                    #expect(system.state(from: system.values(of: state)) == state, "\(name): \(system.components(of: state))")
                }
            }
        }
    }

    /// Encoded for the bounded solver and read back: the same values, the
    /// same packed state, and the same printed lines.
    @Test(arguments: models)
    func encodedStatesReadBackAsTheyWere(_ name: String) throws {
        let model = try Self.widened(name)
        let system = TransitionSystem(model: model)
        let z3 = Z3Context()
        let v = try Vocabulary(z3, configuration: model.configuration, domain: .bounded, scheduling: .hostThreads)
        for state in AgreementTests.sample(system, count: 25, stride: 11) {
            let encoded = try SymbolicState.encode(state, of: system, in: v)
            let evaluate = { (term: Z3Term) throws(Z3Error) -> Z3Term in try z3.simplify(term) }
            let values = try encoded.values(of: model, in: v, shape: system.shape, view: .safety, evaluate: evaluate)
            #expect(values == system.values(of: state))
            #expect(try encoded.decode(into: system, in: v, evaluate: evaluate) == state)
            let printed = system.values(of: state).components(rules: model.rules, omittingNone: true).map { "\($0.name) = \($0.value)" }
            #expect(try encoded.read(of: model, in: v, evaluate: evaluate) == printed)
        }
    }

    @Test func valuesAStateCannotHoldAreRefused() throws {
        let model = try AgreementTests.bundled("tpt")
        let system = TransitionSystem(model: model)
        let empty = system.values(of: system.initialState())
        // More TLB entries than the TLB holds (one per vCPU here).
        var full = empty
        full[.tlb, 0, 0, 0] = .entry(.literal(.frame, 0), writable: true)
        full[.tlb, 0, 0, 1] = .entry(.literal(.frame, 1), writable: false)
        #expect(system.state(from: full) == nil)
        // A component tpt's safety view does not keep.
        var shadowed = empty
        shadowed[.guestEntries, 0, 0] = .entry(.literal(.gpage, 0), writable: true)
        #expect(system.state(from: shadowed) == nil)
        // An element that is none of the configuration's, and one out of range.
        var unnamed = empty
        unnamed[.owner, 0] = .element(.other("VM!val!3"))
        #expect(system.state(from: unnamed) == nil)
        unnamed[.owner, 0] = .element(.literal(.vm, model.configuration.vms))
        #expect(system.state(from: unnamed) == nil)
        // A value of the wrong kind for its cell.
        var wrong = empty
        wrong[.writer, 0] = .host
        #expect(system.state(from: wrong) == nil)
        // A rule in progress at a step it does not have.
        let interleaved = try #require(model.rules.firstIndex { !$0.isAtomic })
        var running = empty
        let arguments = model.rules[interleaved].parameters.map { Element.literal($0.type, 0) }
        running[.progress, 0] = .running(rule: interleaved, nextStep: model.rules[interleaved].steps.count, arguments: arguments)
        #expect(system.state(from: running) == nil)
        running[.progress, 0] = .running(rule: interleaved, nextStep: 1, arguments: arguments)
        #expect(system.state(from: running) != nil)
    }

    @Test func everyKindPrintsItsEmptyValue() {
        let expected: [(Component.Value, String)] = [(.ownership, "free"), (.lastWriter, "clean"), (.flag, "no"), (.reverseMapEntry, "free"),
                                                     (.root, "none"), (.frame, "empty"), (.frameEntry, "empty"), (.guestEntry, "empty"),
                                                     (.progress, "idle")]
        for (kind, text) in expected { #expect(CellValue.none.text(as: kind, rules: []) == text) }
        #expect(CellValue.entry(.literal(.gpage, 2), writable: false).text(as: .guestEntry, rules: []) == "g2 ro")
        #expect(CellValue.assigned(vm: .literal(.vm, 1), gpage: .literal(.gpage, 0), validated: true).text(as: .reverseMapEntry, rules: []) == "vm1 g0 validated")
        #expect(CellValue.unknownProgress(7).text(as: .progress, rules: []).contains("names no step"))
    }
}
