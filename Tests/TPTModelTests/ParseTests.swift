import Foundation
import Testing
@testable import TPTModel

/// A small valid model that the tests below vary one line at a time.
let validModel = """
    model sample
    scheme tpt
    config vms 2, vcpus 1, frames 4, levels 2, fanout 2, tlb 2
    walker checks tag at every level
    init
      set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
    rule assign(f: frame, v: vm) atomic
      when tag(f) == free and not in_flight(f)
      do set_tag(f, v)
    rule reclaim(f: frame) interleaved
      when tag(f) is vm
      do set_tag(f, free); shootdown(f); scrub(f)
    check isolation, no_data_leak
    expect violated by isolation
    """

@Suite struct ParseTests {
    @Test func parsesEveryPartOfAValidModel() throws {
        let model = try parseModel(validModel, file: "sample.tpt")
        #expect(model.name == "sample")
        #expect(model.scheme == .tpt)
        #expect(model.configuration.tlb == 2)
        #expect(model.configuration.frames == 4)
        #expect(model.walkerCheck == .everyLevel)
        #expect(model.initialSteps == [
            .setOwnership(.tag, frame: .constant(0), .vm(.constant(0))),
            .setWriter(frame: .constant(0), vm: .constant(0)),
            .setRoot(vm: .constant(0), vcpu: nil, target: .constant(0)),
        ])
        #expect(model.rules.map(\.name) == ["assign", "reclaim"])
        #expect(model.rules[0].isAtomic)
        #expect(!model.rules[1].isAtomic)
        #expect(model.rules[0].guardCondition == .and(.test(.ownershipIs(.tag, frame: .parameter(0), .free)), .not(.test(.inFlight(frame: .parameter(0))))))
        #expect(model.rules[1].guardCondition == .test(.ownershipIsVM(.tag, frame: .parameter(0))))
        #expect(model.rules[1].steps == [
            .setOwnership(.tag, frame: .parameter(0), .free), .shootdown(frame: .parameter(0), vm: nil, vcpu: nil), .scrub(frame: .parameter(0)),
        ])
        #expect(model.properties == [.isolation, .noDataLeak])
        #expect(model.expectation == .violated([.isolation]))
    }

    @Test func parsesEveryBundledModel() throws {
        for url in bundledModelFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            let model = try parseModel(text, file: url.lastPathComponent)
            #expect(model.name + ".tpt" == url.lastPathComponent)
        }
    }

    /// The annotated example in Models/README.md is a real model.
    @Test func documentedExampleParses() throws {
        let readme = try String(contentsOf: modelsDirectory().appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```\n// TPT with correct host rules."))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let model = try parseModel(String(readme[start.upperBound..<end.lowerBound]), file: "Models/README.md")
        #expect(model.name == "tpt")
        #expect(model.rules.map(\.name) == ["assign", "reclaim"])
    }

    /// Replaces the first occurrence of `old` in the valid model and returns the diagnostic.
    func diagnostic(replacing old: String, with new: String) -> Diagnostic? {
        let text = validModel.replacingOccurrences(of: old, with: new)
        #expect(text != validModel, "test setup: '\(old)' not found")
        do {
            _ = try parseModel(text, file: "bad.tpt")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // (replace, with, line, column, message fragment)
        ("scheme tpt", "scheme tdp", 2, 8, "unknown scheme 'tdp'"),
        ("tlb 2", "tlb 9", 3, 54, "'tlb' must be between 1 and 4, not 9"),
        ("fanout 2", "fan 2", 3, 44, "unknown configuration setting 'fan'"),
        ("set_tag(f0, vm0)", "set_tag(f7, vm0)", 6, 11, "frame 'f7' is out of range: the configuration has 4 frames"),
        // A literal is its prefix and a number: no sign, no leading zero (these trapped once).
        ("set_tag(f0, vm0)", "set_tag(f-1, vm0)", 6, 11, "unknown name 'f-1' (expected a frame: a parameter or a literal such as f0)"),
        ("set_tag(f0, vm0)", "set_tag(f0, vm-1)", 6, 15, "expected a tag: free, host, or a vm"),
        ("set_root(vm0, f0)", "set_root(vm0, f-0)", 6, 54, "unknown name 'f-0'"),
        ("set_root(vm0, f0)", "set_root(vm-1, f0)", 6, 49, "unknown name 'vm-1' (expected a vm"),
        ("set_tag(f0, vm0)", "set_tag(f01, vm0)", 6, 11, "unknown name 'f01'"),
        ("set_tag(f0, vm0)", "set_tag(f0, vm99999999999)", 6, 15, "expected a tag: free, host, or a vm"),
        ("set_tag(f, v)", "set_tag(v, f)", 9, 14, "'v' is a vm, but a frame is expected here"),
        ("shootdown(f)", "shoot(f)", 12, 24, "unknown step 'shoot'"),
        ("tag(f) == free and", "tag(f) = free and", 8, 15, "unexpected '=' (did you mean '=='?)"),
        ("check isolation, no_data_leak", "check isolation, secrecy", 13, 18, "unknown property 'secrecy'"),
        ("expect violated by isolation", "expect violated", 14, 16, "expected 'by' after 'violated'"),
        ("rule assign(f: frame, v: vm)", "rule assign(f: frame, v: cpu)", 7, 26, "unknown parameter type 'cpu'"),
        ("scrub(f)", "scrub(f, f)", 12, 38, "'scrub' takes 1 argument (frame), not 2"),
        ("walker checks tag at every level", "walker checks tag at every", 5, 1, "expected 'level' after 'every'"),
        ("do set_tag(f, v)", "do", 10, 1, "expected at least one step after 'do'"),
        ("model sample", "model sample\nmodel other", 2, 1, "'model' is declared twice"),
        ("walker checks tag at every level", "walker checks tag at every level\nwalker checks nothing", 5, 1,
         "'walker checks' is declared twice"),
        ("walker checks tag at every level", "walker caches upper levels\nwalker caches upper levels", 5, 1,
         "'walker caches' is declared twice"),
        ("set_root(vm0, f0)", "set_root(vm0, f0) $", 6, 58, "unexpected character '$'"),
    ] as [(String, String, Int, Int, String)])
    func reportsLocationAndMessage(_ old: String, _ new: String, _ line: Int, _ column: Int, _ message: String) {
        let error = diagnostic(replacing: old, with: new)
        #expect(error?.location == SourceLocation(file: "bad.tpt", line: line, column: column))
        #expect(error?.message.contains(message) == true, "got: \(String(describing: error))")
        #expect(error?.description.hasPrefix("bad.tpt:\(line):\(column): ") == true)
    }

    @Test func missingDeclarationsAreReportedAtTheFileStart() {
        #expect(throws: Diagnostic("missing 'expect holds' or 'expect violated by PROPERTY' declaration",
                                   at: SourceLocation(file: "bad.tpt", line: 1, column: 1))) {
            try parseModel(validModel.replacingOccurrences(of: "expect violated by isolation", with: ""), file: "bad.tpt")
        }
    }

    @Test func deeplyNestedExpressionsAreAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000)
        let error = diagnostic(replacing: "tag(f) is vm", with: deep)
        #expect(error?.message == "expression is nested more than 32 levels deep")
        #expect(error?.location.line == 11)
        // Long operator chains build trees as deep as parentheses do (14,000
        // and-ed terms overflowed the stack): one limit covers both.
        for long in [String(repeating: " and tag(f) is vm", count: 14_000), String(repeating: " or tag(f) is vm", count: 300),
                     " and" + String(repeating: " not", count: 300) + " tag(f) is vm"] {
            let long = diagnostic(replacing: "tag(f) is vm", with: "tag(f) is vm" + long)
            #expect(long?.message.hasPrefix("expression has more than 256 operators") == true, "\(long?.message ?? "accepted")")
            #expect(long?.location.line == 11)
        }
        // At the limit, it is accepted.
        let atLimit = validModel.replacingOccurrences(of: "tag(f) is vm", with: "tag(f) is vm" + String(repeating: " and tag(f) is vm", count: 127))
        #expect(throws: Never.self) { try parseModel(atLimit, file: "wide.tpt") }
    }

    @Test func guardsEvaluateAsWritten() throws {
        let text = validModel.replacingOccurrences(of: "when tag(f) is vm",
                                                   with: "when not (tag(f) == free or tag(f) == host) and not not true")
        let model = try parseModel(text, file: "t.tpt")
        let system = TransitionSystem(model: model)
        let s = system.initialState()
        // f0 belongs to vm0, f2 is free.
        #expect(system.guardHolds(rule: 1, Bindings([0]), in: s))
        #expect(!system.guardHolds(rule: 1, Bindings([2]), in: s))
        #expect(system.holds(model.rules[1].guardCondition, Bindings([0]), in: s))
        #expect(!system.holds(model.rules[1].guardCondition, Bindings([2]), in: s))
    }

    /// A rule's parameters compare with each other and with constants of their
    /// type; anything else on the left of `==` is not a parameter comparison.
    @Test func parametersCompareWithValuesOfTheirType() throws {
        let text = validModel.replacingOccurrences(of: "rule assign(f: frame, v: vm) atomic\n  when tag(f) == free",
                                                   with: "rule assign(f: frame, v: vm, w: vm) atomic\n  when v != w and f == f2 and tag(f) == free")
        let model = try parseModel(text, file: "t.tpt")
        #expect(model.rules[0].guardCondition == .and(.and(.and(
            .not(.test(.same(.parameter(1), .parameter(2), .vm))), .test(.same(.parameter(0), .constant(2), .frame))),
            .test(.ownershipIs(.tag, frame: .parameter(0), .free))), .not(.test(.inFlight(frame: .parameter(0))))))
        let system = TransitionSystem(model: model)
        let s = system.initialState()
        #expect(system.guardHolds(rule: 0, Bindings([2, 0, 1]), in: s))
        #expect(!system.guardHolds(rule: 0, Bindings([2, 1, 1]), in: s))
        #expect(!system.guardHolds(rule: 0, Bindings([3, 0, 1]), in: s))
        // The two VM parameters stay interchangeable; the frame constant is fixed.
        let reduction = SymmetryReduction(system)
        #expect(reduction.fixedVMs == 0)
        #expect(reduction.fixedFrames & 0b100 != 0)

        func message(_ guardText: String) -> String? { diagnostic(replacing: "when tag(f) == free", with: "when " + guardText)?.message }
        #expect(message("f == v") == "'v' is a vm, but a frame is expected here")
        #expect(message("x == f0")?.hasPrefix("'x' is not a parameter of the rule") == true)
        #expect(message("f == vm0") == "'vm0' is a vm, but a frame is expected here")
        #expect(message("f == f9") == "frame 'f9' is out of range: the configuration has 4 frames")
    }

    /// `root(V) == T|none` reads the VM's root, a frame under tpt and pv.
    @Test func guardsReadRoots() throws {
        let text = validModel.replacingOccurrences(of: "when tag(f) is vm", with: "when tag(f) is vm and not root(vm0) == f and root(vm1) == none")
        let model = try parseModel(text, file: "t.tpt")
        let system = TransitionSystem(model: model)
        let s = system.initialState()
        // vm0's root is f0, vm1 has none; f0 and f1 belong to vm0 or not at all.
        var tagged = s
        system.apply(.setOwnership(.tag, frame: .constant(1), .vm(.constant(0))), Bindings(), to: &tagged)
        #expect(!system.guardHolds(rule: 1, Bindings([0]), in: tagged))
        #expect(system.guardHolds(rule: 1, Bindings([1]), in: tagged))
        system.apply(.setRoot(vm: .constant(1), vcpu: nil, target: .constant(1)), Bindings(), to: &tagged)
        #expect(!system.guardHolds(rule: 1, Bindings([1]), in: tagged))
        #expect(SymmetryReduction(system).fixedVMs == 0b11)
        #expect(diagnostic(replacing: "when tag(f) is vm", with: "when root(f) == f")?.message == "'f' is a frame, but a vm is expected here")
        #expect(diagnostic(replacing: "when tag(f) is vm", with: "when root(vm0) == g0")?.message.hasPrefix("'g0' is a gpage, but a frame") == true)
    }

    /// Each vCPU has its own root: `set_root(V, C, T)` sets one, `root(V, C)`
    /// reads one, and `root(V)` asks about the VM's vCPUs (some root is T;
    /// none has a root). A `vcpu` parameter ranges over a VM's vCPUs.
    @Test func rootsArePerVCPU() throws {
        let text = validModel.replacingOccurrences(of: "vcpus 1", with: "vcpus 2")
            .replacingOccurrences(of: "rule assign(f: frame, v: vm) atomic\n  when tag(f) == free",
                                  with: "rule assign(f: frame, v: vm, c: vcpu) atomic\n  when root(v, c) == f and not root(v, cpu1) == none and root(v) == f and tag(f) == free")
            .replacingOccurrences(of: "do set_tag(f, v)", with: "do set_tag(f, v) set_root(v, c, f)")
        let model = try parseModel(text, file: "t.tpt")
        #expect(model.rules[0].parameters.map(\.type) == [.frame, .vm, .vcpu])
        #expect(model.rules[0].steps[1] == .setRoot(vm: .parameter(1), vcpu: .parameter(2), target: .parameter(0)))
        let system = TransitionSystem(model: model)
        // Boot: set_root(vm0, f0) sets both of vm0's vCPUs.
        var s = system.initialState()
        #expect(s[system.layout.root[0]] == 1 && s[system.layout.root[1]] == 1)
        system.apply(.setOwnership(.tag, frame: .constant(0), .free), Bindings(), to: &s)
        #expect(system.guardHolds(rule: 0, Bindings([0, 0, 0]), in: s))
        #expect(system.guardHolds(rule: 0, Bindings([0, 0, 1]), in: s))
        // One vCPU's root changes alone; root(vm0) == f0 still holds through the other.
        system.apply(.setRoot(vm: .constant(0), vcpu: .constant(0), target: .constant(2)), Bindings(), to: &s)
        #expect(s[system.layout.root[0]] == 3 && s[system.layout.root[1]] == 1)
        #expect(!system.guardHolds(rule: 0, Bindings([0, 0, 0]), in: s))
        #expect(system.guardHolds(rule: 0, Bindings([0, 0, 1]), in: s))
        // With cpu1's root gone, `not root(v, cpu1) == none` fails.
        system.apply(.setRoot(vm: .constant(0), vcpu: .constant(1), target: nil), Bindings(), to: &s)
        #expect(!system.guardHolds(rule: 0, Bindings([0, 0, 1]), in: s))
        // `root(v) == none`: no vCPU of the VM has a root.
        let none = try parseModel(validModel.replacingOccurrences(of: "vcpus 1", with: "vcpus 2")
            .replacingOccurrences(of: "when tag(f) is vm", with: "when root(vm1) == none"), file: "t.tpt")
        let noneSystem = TransitionSystem(model: none)
        var t = noneSystem.initialState()
        #expect(noneSystem.guardHolds(rule: 1, Bindings([0]), in: t))
        noneSystem.apply(.setRoot(vm: .constant(1), vcpu: .constant(1), target: .constant(1)), Bindings(), to: &t)
        #expect(!noneSystem.guardHolds(rule: 1, Bindings([0]), in: t))

        func message(_ old: String, _ new: String) -> String? { diagnostic(replacing: old, with: new)?.message }
        #expect(message("when tag(f) is vm", "when root(vm0, vm1) == f") == "'vm1' is a vm, but a vcpu is expected here")
        #expect(message("when tag(f) is vm", "when root(vm0, cpu1) == f") == "vcpu 'cpu1' is out of range: the configuration has 1 vcpus")
        #expect(message("set_root(vm0, f0)", "set_root(vm0, cpu0, f0, f1)")?.hasPrefix("'set_root' takes 2 arguments") == true)
        #expect(message("rule reclaim(f: frame)", "rule reclaim(f: frame, c: cpu)")?.hasPrefix("unknown parameter type 'cpu' (expected frame, vm, gpage, vcpu)") == true)
    }

    /// `shootdown(F, V, C)` and `flush_tlb(V, C)` reach one vCPU; written
    /// back as they were written.
    @Test func invalidationsMayNameOneVCPU() throws {
        let text = validModel.replacingOccurrences(of: "vcpus 1", with: "vcpus 2")
            .replacingOccurrences(of: "rule reclaim(f: frame) interleaved", with: "rule reclaim(f: frame, v: vm, c: vcpu) interleaved")
            .replacingOccurrences(of: "shootdown(f);", with: "shootdown(f, v, c); flush_tlb(vm1, cpu1);")
        let model = try parseModel(text, file: "t.tpt")
        let steps = model.rules[1].steps
        #expect(steps[1] == .shootdown(frame: .parameter(0), vm: .parameter(1), vcpu: .parameter(2)))
        #expect(steps[2] == .flushTLB(vm: .constant(1), vcpu: .constant(1)))
        let system = TransitionSystem(model: model)
        #expect(system.describe(steps[1], in: model.rules[1]) == "shootdown(f, v, c)")
        #expect(system.describe(steps[2], Bindings()) == "flush_tlb(vm1, cpu1)")
        #expect(diagnostic(replacing: "shootdown(f)", with: "shootdown(f, vm0)")?.message.hasPrefix("'shootdown' takes 1 argument") == true)
    }

    /// `ro(v)` grants read access only, in an owner or a tag; `ro(f)` makes a
    /// nested entry read-only. Only a model that writes one has the codes.
    @Test func readOnlyGrantsAreValuesOfTheirOwn() throws {
        let text = validModel
            .replacingOccurrences(of: "rule assign(f: frame, v: vm) atomic\n  when tag(f) == free",
                                  with: "rule assign(f: frame, v: vm, g: gpage) atomic\n  when tag(f) == free and owner(f) != ro(v) and not nested(v, g) == ro(f)")
            .replacingOccurrences(of: "do set_tag(f, v)", with: "do set_tag(f, ro(v)) set_owner(f0, ro(vm1)) nested_map(v, g, ro(f))")
        let model = try parseModel(text, file: "t.tpt")
        #expect(model.rules[0].steps == [.setOwnership(.tag, frame: .parameter(0), .readOnly(.parameter(1))),
                                         .setOwnership(.owner, frame: .constant(0), .readOnly(.constant(1))),
                                         .nestedMap(vm: .parameter(1), gpage: .parameter(2), frame: .parameter(0), writable: false)])
        #expect(model.configuration.permissions && model.usesPermissions)
        #expect(try !parseModel(validModel, file: "t.tpt").configuration.permissions)
        let system = TransitionSystem(model: model)
        #expect(system.layout.codes.count(.ownership) == 2 + 2 * 2 && system.layout.codes.count(.frame) == 1 + 2 * 4)
        #expect(system.describe(model.rules[0].steps[2], in: model.rules[0]) == "nested_map(v, g, ro(f))")
        var s = system.initialState()
        system.apply(model.rules[0].steps[0], Bindings([1, 0, 0]), to: &s)
        #expect(system.values(of: s)[.tag, 1] == .readOnly(.literal(.vm, 0)))
        #expect(CellValue.readOnly(.literal(.vm, 0)).text(as: .ownership, rules: []) == "vm0 ro")
        // A read-only tag passes the walker's check, but gives no write.
        let algebra = ConcreteAlgebra(system: system, state: s, bindings: Bindings())
        #expect(algebra.walkEnds(vm: 0, at: 1).ends && !algebra.walkGrantsWrite(vm: 0, at: 1))
        #expect(algebra.walkEnds(vm: 0, at: 0).ends && algebra.walkGrantsWrite(vm: 0, at: 0))
        #expect(diagnostic(replacing: "do set_tag(f, v)", with: "do set_tag(f, ro(free))")?.message.hasPrefix("expected a vm inside ro(...)") == true)
        #expect(diagnostic(replacing: "do set_tag(f, v)", with: "do set_tag(f, ro(v, v))")?.message.hasPrefix("'ro' takes 1 argument") == true)
    }

    @Test func ownerAndTagAreDistinctRecords() throws {
        let model = try parseModel(validModel.replacingOccurrences(of: "do set_tag(f, v)", with: "do set_owner(f, v) set_tag(f, v)")
            .replacingOccurrences(of: "when tag(f) is vm", with: "when owner(f) is vm and tag(f) != host"), file: "t.tpt")
        #expect(model.rules[0].steps == [
            .setOwnership(.owner, frame: .parameter(0), .vm(.parameter(1))),
            .setOwnership(.tag, frame: .parameter(0), .vm(.parameter(1))),
        ])
        #expect(model.rules[0].steps[0].isBookkeeping(under: model.scheme) && !model.rules[0].steps[1].isBookkeeping(under: model.scheme))
        #expect(model.rules[1].guardCondition == .and(.test(.ownershipIsVM(.owner, frame: .parameter(0))),
                                                      .not(.test(.ownershipIs(.tag, frame: .parameter(0), .host)))))
    }

    @Test func hardwareTagsExistOnlyUnderTPT() throws {
        let walker = diagnostic(replacing: "scheme tpt", with: "scheme nested")
        #expect(walker?.message == "the walker checks hardware tags only under scheme tpt (use 'walker checks nothing')")
        #expect(walker?.location == SourceLocation(file: "bad.tpt", line: 4, column: 1))
        let text = validModel.replacingOccurrences(of: "scheme tpt", with: "scheme nested")
            .replacingOccurrences(of: "walker checks tag at every level", with: "walker checks nothing")
        #expect(throws: Diagnostic("hardware tags exist only under scheme tpt (use owner for the host's record)",
                                   at: SourceLocation(file: "bad.tpt", line: 6, column: 3))) {
            try parseModel(text, file: "bad.tpt")
        }
    }

    @Test func schemeSpecificDeclarationsAreChecked() {
        #expect(diagnostic(replacing: "walker checks tag at every level", with: "trap pte_writes always")?.message
                == "'trap pte_writes' applies only under scheme shadow")
        #expect(diagnostic(replacing: "do set_tag(f, v)", with: "do shadow_zap(v, f)")?.message
                == "'shadow_zap' exists only under scheme shadow")
        #expect(diagnostic(replacing: "walker checks tag at every level", with: "trap pte_writes never")?.message
                == "expected 'always' or 'sometimes' after 'trap pte_writes', found 'never'")
    }

    @Test func schemeSpecificStepsAreRejectedElsewhere() {
        #expect(diagnostic(replacing: "do set_tag(f, v)", with: "do pin(f)")?.message == "'pin' exists only under scheme pv")
        #expect(diagnostic(replacing: "when tag(f) == free", with: "when pinned(f)")?.message == "'pinned' exists only under scheme pv")
        #expect(diagnostic(replacing: "walker checks tag at every level", with: "hypercall checks owner")?.message
                == "'hypercall checks' applies only under scheme pv")
    }

    /// The reverse map exists only under snp; there it is free or a VM's, never the host's.
    @Test func reverseMapStepsAndTestsExistOnlyUnderSNP() throws {
        #expect(diagnostic(replacing: "do set_tag(f, v)", with: "do rmp_assign(f, v, g0)")?.message == "'rmp_assign' exists only under scheme snp")
        #expect(diagnostic(replacing: "when tag(f) == free", with: "when rmp(f) == free")?.message == "'rmp' exists only under scheme snp")
        let snp = """
            model m
            scheme snp
            config vms 2, vcpus 1, frames 2, levels 1, fanout 1, tlb 1, gpages 2
            rule give(f: frame, v: vm, g: gpage) atomic
              when rmp(f) == free and not rmp(f) is vm and owner(f) != v
              do rmp_assign(f, v, g) rmp_clear(f)
            check isolation
            expect holds
            """
        let model = try parseModel(snp, file: "m.tpt")
        #expect(model.rules[0].steps == [.rmpAssign(frame: .parameter(0), vm: .parameter(1), gpage: .parameter(2)), .rmpClear(frame: .parameter(0))])
        let host = snp.replacingOccurrences(of: "rmp(f) == free and", with: "rmp(f) == host and")
        #expect(throws: Diagnostic("a reverse-map entry is free or assigned to a VM: a frame the host uses is 'free' in it",
                                   at: SourceLocation(file: "m.tpt", line: 5, column: 18))) { try parseModel(host, file: "m.tpt") }
        let equivalence = snp.replacingOccurrences(of: "check isolation", with: "check equivalent_to_nested")
        #expect(throws: Diagnostic.self) { try parseModel(equivalence, file: "m.tpt") }
    }

    @Test func expectationMayNameSeveralProperties() throws {
        let model = try parseModel(validModel.replacingOccurrences(of: "expect violated by isolation",
                                                                   with: "expect violated by isolation, no_data_leak"), file: "m.tpt")
        #expect(model.expectation == .violated([.isolation, .noDataLeak]))
        #expect(model.expectation.isMet(byViolating: [.noDataLeak, .isolation]))
        #expect(!model.expectation.isMet(byViolating: [.isolation]))
        #expect(diagnostic(replacing: "expect violated by isolation", with: "expect violated by isolation, isolation")?.message
                == "property 'isolation' is named twice")
    }

    @Test func expectationMustNameACheckedProperty() {
        let error = diagnostic(replacing: "check isolation, no_data_leak", with: "check no_data_leak")
        #expect(error?.message == "expected violation of 'isolation', which the model does not check")
        #expect(error?.location.line == 14)
    }

    @Test func configurationsTooLargeToPackAreRejected() {
        let error = diagnostic(replacing: "config vms 2, vcpus 1, frames 4", with: "config vms 6, vcpus 4, frames 15")
        #expect(error?.message.contains("bits of state") == true)
        #expect(error?.location.line == 3)
    }
}
