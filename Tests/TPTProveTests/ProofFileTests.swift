import Foundation
import Testing
import TPTModel
import TPTProve
import TPTZ3

/// The bundled proof files: parsed against their models, every obligation
/// proved, and their invariants satisfiable by the real initial state.
@Suite struct ProofFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String, replacing old: String? = nil, with new: String = "") throws -> (ProofSpecification, Model) {
        var text = try String(contentsOf: root.appendingPathComponent("Proofs/\(name).proof"), encoding: .utf8)
        if let old {
            #expect(text.contains(old), "test setup: '\(old)' not found")
            text = text.replacingOccurrences(of: old, with: new)
        }
        var models = try ["tpt", "nested", "shadow", "pv", "snp", "tpt-async-shootdown", "pv-retype", "nested-async-flush", "tpt-walk-cache", "tpt-deferred-flush", "pv-vcpu-roots", "tpt-write-protect", "nested-write-protect", "tpt-deferred-release"].reduce(into: [String: Model]()) { $0[$1] = try AgreementTests.bundled($1) }
        // A model with two vCPUs, which proofs do not cover yet.
        models["tpt2"] = models["tpt"].map { var model = $0; model.configuration.vcpus = 2; return model }
        return try parseProof(text, file: "Proofs/\(name).proof") { model, location throws(Diagnostic) in
            guard let found = models[model] else { throw Diagnostic("no model '\(model)'", at: location) }
            return found
        }
    }

    @Test(arguments: ["tpt", "nested", "shadow", "pv", "snp", "tpt-async-shootdown", "pv-retype", "nested-async-flush", "tpt-walk-cache", "tpt-deferred-flush", "pv-vcpu-roots", "tpt-write-protect", "nested-write-protect", "tpt-deferred-release", "tpt-equivalence", "shadow-equivalence", "pv-equivalence"])
    func bundledProofHolds(_ name: String) throws {
        let (proof, model) = try Self.load(name)
        let equivalence = name.hasSuffix("-equivalence")
        #expect(proof.properties == (equivalence ? [.equivalence] : [.isolation, .noDataLeak]))
        let outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties)
        for outcome in outcomes { #expect(outcome.result == .proved, "\(name): \(outcome.name): \(outcome.result)") }
        // Both properties on every access: TLB hits and fills, and the walk's
        // page-table reads (none under shadow paging: the host's shadow table).
        // Translation equivalence: the access that compares the two translations.
        #expect(outcomes.filter { if case .safety = $0.kind { true } else { false } }.count == (equivalence ? 1 : name == "shadow" ? 8 : 10))
    }

    /// A proof holds for every number of vCPUs per VM: the symbolic TLBs are
    /// indexed by vCPU. The bundled tpt proofs, on the model with two.
    @Test(arguments: ["tpt", "tpt-equivalence"])
    func proofsHoldWithTwoVCPUsPerVM(_ name: String) throws {
        let (proof, model) = try Self.load(name, replacing: "model tpt\n", with: "model tpt2\n")
        #expect(model.configuration.vcpus == 2)
        let outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties)
        for outcome in outcomes { #expect(outcome.result == .proved, "\(name): \(outcome.name): \(outcome.result)") }
    }

    @Test(arguments: ["tpt", "nested", "shadow", "pv", "snp", "tpt-async-shootdown", "pv-retype", "nested-async-flush", "tpt-walk-cache", "tpt-deferred-flush", "pv-vcpu-roots", "tpt-write-protect", "nested-write-protect", "tpt-deferred-release", "tpt-equivalence", "shadow-equivalence", "pv-equivalence"])
    func bundledInvariantHoldsOfTheInitialState(_ name: String) throws {
        let (proof, model) = try Self.load(name)
        let z3 = Z3Context()
        let v = try Vocabulary(z3, configuration: model.configuration, domain: .bounded)
        let solver = try Z3Solver(z3, timeoutMilliseconds: 60_000)
        for clause in try proof.invariant(for: model)(SymbolicState.initial(v, model: model), v) { try solver.assert(clause.formula) }
        #expect(try solver.check() == .satisfiable)
    }

    /// A clause that forgets a window of the reclaim is not inductive: TLB
    /// entries survive the retag, until the shootdown.
    @Test func aTooStrongClauseIsRefutedWhereItBreaks() throws {
        let (proof, model) = try Self.load("tpt", replacing: "running(f, reclaim, 2..3) and reclaim.v(f) == v)",
                                           with: "running(f, reclaim, 2..2) and reclaim.v(f) == v)")
        let outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties)
        let refuted = outcomes.filter { if case .refuted = $0.result { true } else { false } }.map(\.name)
        #expect(refuted == ["consecution: reclaim step 2/6 keeps tlb_entries"])
    }

    /// Each scheme's proof against its bug models fails where the bug bites,
    /// and only there, each refuted at the model's size:
    /// - a shadow host that misses a guest page-table write leaves a stale
    ///   shadow entry (for isolation, one the p2m no longer backs; for
    ///   equivalence, one that is no longer the guest's translation);
    /// - a pv host that accepts a writable entry for a page table lets the
    ///   guest bypass validation;
    /// - an snp host that hands out frames by their reverse-map entry gives
    ///   away its own, which breaks the clauses tying the RMP and the nested
    ///   table to the host's record;
    /// - with the snp proof's step ranges moved to each reclaim bug's own
    ///   rule: without the flush a TLB entry outlives the reclaim; without the
    ///   RMP clear the frame being reclaimed is still its VM's in the RMP;
    /// - an asynchronous shootdown that does not wait (with the proof's
    ///   windows moved to its shorter rule) ends with a TLB entry in a
    ///   running vCPU that has not acknowledged, which writes the frame
    ///   after the scrub; one that skips descheduled
    ///   vCPUs leaves one in a vCPU with no request pending;
    /// - Xen's XSA-401: the type change (pin) comes after the revoke and the
    ///   flush, so the frame is no page table at the start, and writable
    ///   entries and TLB entries outlive their windows; XSA-241: a flush that
    ///   leaves a vCPU out leaves its writable entry to the new page table;
    ///   XSA-346: the reclaim ends before its deferred flush is done;
    /// - a reclaim that shoots down leaf entries but not the paging-structure
    ///   caches (with the windows moved to its shorter rule) scrubs a frame
    ///   a cache still names as a table;
    /// - XSA-292 (with the unmap's window moved one step on): the flush
    ///   comes before the unmap, so the unmap leaves a TLB entry refilled in
    ///   between; CVE-2022-39189: the request skips a descheduled vCPU, which
    ///   keeps its entry with no request pending; XSA-480 (with the windows
    ///   moved to its shorter rule): the reclaim frees a frame a
    ///   paging-structure cache still names, its flush left to a later step;
    /// - pv-bug-unpin-other-root: the unpin asks only the calling vCPU, so
    ///   a frame another vCPU runs on stops being a page table;
    ///   tpt-bug-shootdown-one-vcpu: the shootdown reaches one vCPU, and
    ///   the other keeps its entry for the frame;
    /// - a write-protect that leaves out its shootdown (with the windows
    ///   moved to its shorter rule), or flushes one vCPU, records the frame
    ///   as read-only with a writable TLB entry left (the bug models check
    ///   isolation only).
    @Test(arguments: [
        ("shadow", "shadow-bug-missed-trap", [], ["consecution: write entry (not trapped) keeps shadow_entries"]),
        ("pv", "pv-bug-writable-pt", [], ["consecution: hypercall keeps entries"]),
        ("shadow-equivalence", "shadow-bug-missed-trap", [], ["consecution: write entry (not trapped) keeps direct_entries"]),
        ("snp", "snp-bug-assign-by-rmp", [], ["consecution: assign keeps rmp_entries", "consecution: assign keeps nested_entries",
                                              "consecution: assign keeps one_nested_entry_per_frame"]),
        ("snp", "snp-bug-no-flush",
         [("2..4) => nested", "2..3) => nested"), ("3..4) and reclaim.v(f) == v and", "3..3) and reclaim.v(f) == v and"),
          ("3..3) and reclaim.v(f) == v)", "3..4) and reclaim.v(f) == v)"), ("3..5) and writer", "3..4) and writer")],
         ["consecution: reclaim step 4/4 keeps tlb_entries"]),
        ("tpt-async-shootdown", "tpt-bug-no-ack-wait",
         [("2..6) and reclaim.v(f)", "2..5) and reclaim.v(f)"), ("4..4) and reclaim.v(f) == v and flush_pending", "4..5) and reclaim.v(f) == v and flush_pending"),
          ("2..5) and writer", "2..4) and writer")],
         ["consecution: reclaim step 5/5 keeps tlb_entries", "consecution: write (TLB hit) keeps data"]),
        ("tpt-async-shootdown", "tpt-bug-lazy-skip", [], ["consecution: reclaim step 3/6 keeps tlb_entries"]),
        ("pv-retype", "real-xsa-401", [], ["consecution: new_root starts keeps retyped_frames", "consecution: new_root step 2/6 keeps entries",
                                           "consecution: new_root step 3/6 keeps tlb_entries", "consecution: new_root step 4/6 keeps tlb_entries"]),
        ("pv-retype", "real-xsa-241", [], ["consecution: new_root step 3/6 keeps tlb_entries"]),
        ("nested-async-flush", "real-xsa-346", [("2..5) and writer", "2..4) and writer")], ["consecution: reclaim step 4/4 keeps tlb_entries"]),
        ("tpt-walk-cache", "tpt-bug-walk-cache-retag", [("2..6) and reclaim.v(f)", "2..5) and reclaim.v(f)"), ("2..5) and writer", "2..4) and writer")],
         ["consecution: reclaim step 4/5 keeps walk_cache_entries"]),
        ("nested", "real-xsa-292", [("2..2) and reclaim.v(f) == v and reclaim.g(f) == g", "2..3) and reclaim.v(f) == v and reclaim.g(f) == g")],
         ["consecution: reclaim step 3/4 keeps tlb_entries"]),
        ("nested-async-flush", "real-cve-2022-39189", [], ["consecution: reclaim step 3/5 keeps tlb_entries"]),
        ("tpt-deferred-flush", "real-xsa-480",
         [("2..7) and reclaim.v(f) == v and reclaim.g", "2..5) and reclaim.v(f) == v and reclaim.g"),
          ("2..4) and reclaim.v(f) == v)\n", "2..5) and reclaim.v(f) == v)\n"), ("2..6) and writer", "2..4) and writer")],
         ["consecution: reclaim step 5/5 keeps walk_cache_entries"]),
        ("pv-vcpu-roots", "pv-bug-unpin-other-root", [], ["consecution: unpin_table keeps roots"]),
        ("tpt", "tpt-bug-shootdown-one-vcpu", [], ["consecution: reclaim step 3/6 keeps tlb_entries"]),
        ("tpt-write-protect", "tpt-bug-downgrade-no-shootdown",
         [("proves isolation, no_data_leak", "proves isolation"), ("write_protect, 2..4", "write_protect, 2..3"), ("write_protect, 4..4", "write_protect, 3..3")],
         ["consecution: write_protect step 2/3 keeps tlb_entries"]),
        ("tpt-deferred-release", "tpt-bug-release-before-flush", [], ["consecution: release keeps tlb_entries"]),
        ("nested-write-protect", "nested-bug-downgrade-one-vcpu", [("proves isolation, no_data_leak", "proves isolation")],
         ["consecution: write_protect step 2/3 keeps tlb_entries"]),
        ("snp", "snp-bug-no-rmp-clear",
         [("running(f, reclaim, 2..2) => owner(f) == reclaim.v(f) and rmp(f) == free", "true"),
          ("2..4) => nested", "2..3) => nested"), ("3..4) and reclaim.v(f) == v and", "2..3) and reclaim.v(f) == v and"),
          ("3..3) and reclaim.v(f) == v)", "2..2) and reclaim.v(f) == v)"), ("3..5) and writer", "2..4) and writer")],
         ["consecution: reclaim starts keeps rmp_entries"]),
    ] as [(String, String, [(String, String)], [String])])
    func aBugModelBreaksItsSchemesProofWhereTheBugBites(_ name: String, _ bug: String, _ replacements: [(String, String)],
                                                        _ obligations: [String]) throws {
        var text = try String(contentsOf: Self.root.appendingPathComponent("Proofs/\(name).proof"), encoding: .utf8)
        for (old, new) in replacements {
            #expect(text.contains(old), "test setup: '\(old)' not found")
            text = text.replacingOccurrences(of: old, with: new)
        }
        let buggy = try AgreementTests.bundled(bug)
        let (proof, model) = try parseProof(text, file: "Proofs/\(name).proof") { _, _ throws(Diagnostic) in buggy }
        let outcomes = try prove(model, invariant: proof.invariant(for: model), properties: proof.properties, timeoutMilliseconds: 10_000)
        let unproved = outcomes.filter { $0.result != .proved }
        #expect(unproved.map(\.name) == obligations)
        #expect(unproved.allSatisfy { if case .refuted(bounded: true, _) = $0.result { true } else { false } })
    }

    @Test func badProofsGetOneDiagnosticWithTheirLocation() throws {
        func message(_ old: String, _ new: String) -> String? {
            do {
                _ = try Self.load("tpt", replacing: old, with: new)
                return nil
            } catch let diagnostic as Diagnostic {
                return "\(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.message)"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("forall k: frame.", "forall k: cpu.") == "14:13: unknown sort 'cpu' (expected frame, vm, gpage, page, vcpu)")
        #expect(message("reclaim.f(k) == k", "reclaim.x(k) == k") == "14:51: rule 'reclaim' has no parameter 'x'")
        // Clauses have the models' limit on size: deep parentheses, long not, and and => chains.
        let deep = String(repeating: "(", count: 5_000) + "reclaim.f(k) == k" + String(repeating: ")", count: 5_000)
        #expect(message("reclaim.f(k) == k", deep) == "14:75: expression is nested more than 32 levels deep")
        #expect(message("reclaim.f(k) == k", String(repeating: "not ", count: 30_000) + "reclaim.f(k) == k")?
            .contains("expression has more than 256 operators") == true)
        #expect(message("reclaim.f(k) == k", Array(repeating: "k == k", count: 20_000).joined(separator: " and "))?
            .contains("expression has more than 256 operators") == true)
        #expect(message("reclaim.f(k) == k", "reclaim.f(" + String(repeating: "reclaim.f(", count: 40) + "k" + String(repeating: ")", count: 41) + " == k")?
            .contains("nested more than 32 levels deep") == true)
        // A literal with a sign or a leading zero names nothing (a negative one trapped once).
        #expect(message("reclaim.f(k) == k", "reclaim.f(k) == f-1")?.hasPrefix("14:59: unknown name 'f-1'") == true)
        #expect(message("reclaim.f(k) == k", "reclaim.f(k) == f00")?.hasPrefix("14:59: unknown name 'f00'") == true)
        #expect(message("running(f, reclaim, 2..6)", "running(f, reclaim, 2..7)") == "19:64: 'reclaim' has steps 1 to 6; a rule in progress is next at step 2 to 6")
        #expect(message("owner(f) == v or", "owner(f) == g or")?.hasSuffix("cannot compare a ownership with a gpage") == true)
        // ro(v) in a proof of a model that grants no read-only access.
        #expect(message("owner(f) == v or", "owner(f) == ro(v) or")?
            .hasSuffix("model 'tpt' grants no read-only access (no ro(...) in its steps or guards), so no owner or tag is ro(v)") == true)
        #expect(message("proves isolation, no_data_leak", "proves isolation, equivalent_to_nested")
                == "10:19: a proof of equivalent_to_nested proves nothing else: its transitions are the product with nested paging")
        #expect(message("proves isolation, no_data_leak", "proves safety") == "10:8: a proof proves isolation, no_data_leak or equivalent_to_nested, not 'safety'")
        #expect(message("tlb(v, c, p) == f =>", "writable(nested(v, p)) =>")
                == "27:54: expected tlb(...), direct(...), gpt(...) or reference_tlb(...) inside writable(...)")
        #expect(message("tlb(v, c, p) == f =>", "root(v, p) == f =>")?.hasPrefix("27:") == true)
        #expect(message("tlb(v, c, p) == f =>", "tlb(v, p) == f =>") == "27:45: 'tlb' takes 3 arguments (vm, vcpu, page), not 2")
    }

    /// A proof about a shadow or pv model, parsed against the bundled model.
    static func inline(_ model: String, _ clauses: String) throws -> (ProofSpecification, Model) {
        let text = "proof inline\nmodel \(model)\nproves isolation\n" + clauses
        return try parseProof(text, file: "inline.proof") { name, location throws(Diagnostic) in
            do { return try AgreementTests.bundled(name) } catch { throw Diagnostic("no model '\(name)'", at: location) }
        }
    }

    /// The entries of shadow and pv paging read as the model starts: pv roots
    /// are pinned frames of their VM, nothing is mapped yet.
    @Test func entryMapsOfShadowAndPVReadTheState() throws {
        let (pv, pvModel) = try Self.inline("pv", """
            clause roots: forall v: vm, c: vcpu, f: frame. root(v, c) == f => pinned(f) and owner(f) == v
            clause nothing_writable: forall v: vm, c: vcpu, p: page. not writable(direct(v, p)) and not writable(tlb(v, c, p))
            clause no_entries: forall v: vm, p: page. direct(v, p) == empty
            clause vm0_has_a_root: root(vm0, cpu0) != empty
            """)
        let pvOutcomes = try prove(pvModel, invariant: pv.invariant(for: pvModel), properties: [], timeoutMilliseconds: 3_000)
        let pvInitiation = pvOutcomes.filter { if case .initiation = $0.kind { true } else { false } }
        #expect(pvInitiation.count == 4 && pvInitiation.allSatisfy { $0.result == .proved }, "\(pvInitiation.map(\.result))")
        let (shadow, shadowModel) = try Self.inline("shadow", """
            clause no_guest_entries: forall v: vm, p: page, g: gpage. gpt(v, p) != g and not writable(gpt(v, p))
            clause everything_shadowed: forall v: vm, p: page. direct(v, p) != empty
            """)
        let shadowOutcomes = try prove(shadowModel, invariant: shadow.invariant(for: shadowModel), properties: [.isolation],
                                          timeoutMilliseconds: 3_000)
        #expect(shadowOutcomes[0].name == "initiation: no_guest_entries" && shadowOutcomes[0].result == .proved)
        guard shadowOutcomes[1].name == "initiation: everything_shadowed", case .refuted(let bounded, let lines) = shadowOutcomes[1].result else {
            Issue.record("initiation: \(shadowOutcomes[1].name): \(shadowOutcomes[1].result)")
            return
        }
        #expect(bounded && lines.first == "state:")
        // The shadow guest is encoded: without a real invariant, a stale or
        // guest-made entry breaks isolation at the model's size.
        #expect(shadowOutcomes.contains { outcome in
            if case .safety(.isolation, _) = outcome.kind, case .refuted(true, _) = outcome.result { true } else { false }
        })
    }
}
