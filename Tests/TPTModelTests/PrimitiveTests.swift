import Testing
@testable import TPTModel

/// Each primitive step and guard, applied to crafted states.
@Suite struct PrimitiveTests {
    /// The state after the guest action matching `kind`, `vm`, `page` and `frame`.
    func take(_ system: TransitionSystem, _ state: PackedState, _ kind: Action.Kind, vm: Int, page: Int = 0, frame: Int = 0) -> PackedState {
        let match = system.successors(of: state).first {
            $0.action.kind == kind && Int($0.action.vm) == vm && Int($0.action.subject) == page && Int($0.action.frame) == frame
        }
        #expect(match != nil, "no \(kind) by vm\(vm) of p\(page) -> f\(frame)")
        return match?.state ?? state
    }

    /// vm0 caches p0 -> f0 and vm1 caches p1 -> f1.
    func warmState(_ system: TransitionSystem) -> PackedState {
        let s1 = take(system, system.initialState(), .read, vm: 0, page: 0, frame: 0)
        return take(system, s1, .read, vm: 1, page: 1, frame: 1)
    }

    @Test func initialStateAppliesInitSteps() throws {
        let system = try tptSystem()
        let s = system.initialState()
        #expect(system.tag(s, 0) == TransitionSystem.tagCode(vm: 0))
        #expect(system.tag(s, 1) == TransitionSystem.tagCode(vm: 1))
        #expect(system.tag(s, 2) == TransitionSystem.freeTag)
        #expect(system.owner(s, 1) == TransitionSystem.tagCode(vm: 1))
        #expect(system.owner(s, 2) == TransitionSystem.freeTag)
        #expect(system.writer(s, 0) == 1)
        #expect(s[system.layout.root[0]] == 1)
        #expect(system.tlbContents(s, vm: 0) == "{}")
    }

    /// SEV-SNP: the walk ends only at a frame the reverse map assigns to the
    /// VM at that guest-physical page, validated; the guest validates what is
    /// assigned to it, and nothing else.
    @Test func theNestedWalkChecksTheReverseMap() throws {
        let text = """
            model m
            scheme snp
            config vms 2, vcpus 1, frames 3, levels 1, fanout 1, tlb 1, gpages 2
            init set_owner(f0, vm0) nested_map(vm0, g0, f0) set_writer(f0, vm0) set_root(vm0, g0) rmp_assign(f0, vm0, g0)
                 set_owner(f1, vm0) nested_map(vm0, g1, f1) rmp_assign(f1, vm1, g1)
            check isolation
            expect holds
            """
        let system = TransitionSystem(model: try parseModel(text, file: "m.tpt"))
        let s = system.initialState()
        func reads(_ s: PackedState) -> [Int] { system.successors(of: s).filter { $0.action.kind == .read }.map { Int($0.action.frame) } }
        func validations(_ s: PackedState) -> [Int] {
            system.successors(of: s).filter { $0.action.kind == .validate }.map { Int($0.action.subject) }
        }
        // Not validated yet: the walk faults at the root. vm0 may validate g0 (f0 is
        // assigned to it there) but not g1, whose frame the RMP assigns to vm1.
        #expect(reads(s).isEmpty)
        #expect(validations(s) == [0])
        let validated = try #require(system.successors(of: s).first { $0.action.kind == .validate }).state
        #expect(system.components(of: validated).first { $0.name == "rmp f0" }?.value == .text("vm0 g0 validated"))
        // From the validated root, the leaf may be any guest-physical page: g0
        // reaches f0; g1 maps f1, which the RMP does not give vm0.
        #expect(reads(validated) == [0])
        var cleared = validated
        system.apply(.rmpClear(frame: .constant(0)), Bindings(), to: &cleared)
        #expect(reads(cleared).isEmpty)
        #expect(validations(cleared).isEmpty)
    }

    @Test func setTagAndSetOwnerChangeOneRecordOfOneFrame() throws {
        let system = try tptSystem()
        var s = system.initialState()
        system.apply(.setOwnership(.tag, frame: .constant(2), .host), Bindings(), to: &s)
        #expect(system.tag(s, 2) == TransitionSystem.hostTag)
        #expect(system.owner(s, 2) == TransitionSystem.freeTag)
        system.apply(.setOwnership(.owner, frame: .parameter(0), .vm(.parameter(1))), Bindings([3, 1]), to: &s)
        #expect(system.owner(s, 3) == TransitionSystem.tagCode(vm: 1))
        #expect(system.tag(s, 3) == TransitionSystem.freeTag)
        #expect(system.tag(s, 0) == TransitionSystem.tagCode(vm: 0))
    }

    @Test func shootdownRemovesEveryEntryForTheFrameOnly() throws {
        let system = try tptSystem()
        var s = warmState(system)
        #expect(system.tlbContents(s, vm: 0) == "{p0->f0 rw}")
        #expect(system.tlbContents(s, vm: 1) == "{p1->f1 rw}")
        system.apply(.shootdown(frame: .constant(0), vm: nil, vcpu: nil), Bindings(), to: &s)
        #expect(system.tlbContents(s, vm: 0) == "{}")
        #expect(system.tlbContents(s, vm: 1) == "{p1->f1 rw}")
    }

    @Test func flushTLBClearsOneVM() throws {
        let system = try tptSystem()
        var s = warmState(system)
        system.apply(.flushTLB(vm: .constant(1), vcpu: nil), Bindings(), to: &s)
        #expect(system.tlbContents(s, vm: 0) == "{p0->f0 rw}")
        #expect(system.tlbContents(s, vm: 1) == "{}")
    }

    @Test func scrubAndSetWriterChangeTheLastWriter() throws {
        let system = try tptSystem()
        var s = system.initialState()
        system.apply(.scrub(frame: .constant(0)), Bindings(), to: &s)
        #expect(system.writer(s, 0) == 0)
        system.apply(.setWriter(frame: .constant(2), vm: .constant(1)), Bindings(), to: &s)
        #expect(system.writer(s, 2) == 2)
    }

    @Test func setRootAndNestedMapping() throws {
        let system = try self.system("""
            model n
            scheme nested
            config vms 2, frames 4, gpages 2
            init set_owner(f2, vm1) nested_map(vm1, g1, f2) set_root(vm1, g1)
            check isolation
            expect holds
            """)
        var s = system.initialState()
        #expect(s[system.layout.root[1]] == 2)
        #expect(hostFrame(system, s, vm: 1, target: 1) == 2)
        #expect(hostFrame(system, s, vm: 1, target: 0) == nil)
        #expect(system.holds(.test(.mapped(frame: .constant(2))), Bindings(), in: s))
        #expect(system.holds(.test(.nestedIs(vm: .constant(1), gpage: .constant(1), frame: .constant(2))), Bindings(), in: s))
        system.apply(.nestedUnmap(vm: .constant(1), gpage: .constant(1)), Bindings(), to: &s)
        #expect(hostFrame(system, s, vm: 1, target: 1) == nil)
        #expect(!system.holds(.test(.mapped(frame: .constant(2))), Bindings(), in: s))
        #expect(system.holds(.test(.nestedIs(vm: .constant(1), gpage: .constant(1), frame: nil)), Bindings(), in: s))
    }

    func system(_ text: String) throws -> TransitionSystem { try TPTModelTests.system(text) }

    /// The frame a walk target names (nil: not mapped).
    func hostFrame(_ system: TransitionSystem, _ s: PackedState, vm: Int, target: Int) -> Int? {
        let (mapped, frame) = ConcreteAlgebra(system: system, state: s, bindings: Bindings()).nestedTranslation(of: vm, target)
        return mapped ? frame : nil
    }

    /// The walk of the guest moves' definition, on the initial state: the
    /// frames it reaches and what its page-table reads break.
    func walk(_ system: TransitionSystem, vm: Int) -> (reached: UInt32, isolation: Bool, leak: Bool) {
        let walk = ConcreteAlgebra(system: system, state: system.initialState(), bindings: Bindings()).walkOverGuestTables(of: vm, 0, cached: nil)
        return (walk.reached, walk.isolation, walk.leak)
    }

    @Test func guardsOverTagsAndInFlightRules() throws {
        let system = try tptSystem(rules: """
            rule reclaim(f: frame) interleaved
              when owner(f) is vm
              do set_owner(f, free) set_tag(f, free) shootdown(f) scrub(f)
            """)
        let s = system.initialState()
        #expect(system.holds(.test(.ownershipIsVM(.tag, frame: .constant(0))), Bindings(), in: s))
        #expect(!system.holds(.test(.ownershipIsVM(.owner, frame: .constant(2))), Bindings(), in: s))
        #expect(system.holds(.test(.ownershipIs(.tag, frame: .constant(2), .free)), Bindings(), in: s))
        #expect(system.holds(.test(.ownershipIs(.owner, frame: .parameter(0), .vm(.parameter(1)))), Bindings([1, 1]), in: s))
        #expect(!system.holds(.test(.inFlight(frame: .constant(0))), Bindings(), in: s))
        // Start reclaiming f0: its first step runs and the rest is in flight.
        let started = system.successors(of: s).first { $0.action.kind == .startRule && $0.action.bindings[0] == 0 }!.state
        #expect(system.owner(started, 0) == TransitionSystem.freeTag)
        #expect(system.tag(started, 0) == TransitionSystem.tagCode(vm: 0))
        #expect(system.holds(.test(.inFlight(frame: .constant(0))), Bindings(), in: started))
        #expect(!system.holds(.test(.inFlight(frame: .constant(1))), Bindings(), in: started))
        // Three continuations later the rule is done.
        var state = started
        for _ in 0..<3 {
            state = system.successors(of: state).first { $0.action.kind == .continueRule }!.state
        }
        #expect(!system.holds(.test(.inFlight(frame: .constant(0))), Bindings(), in: state))
        #expect(system.writer(state, 0) == 0)
    }

    @Test func everyLevelWalkReachesOnlyOwnFrames() throws {
        let system = try tptSystem(extraInit: "set_owner(f2, vm0) set_tag(f2, vm0) set_owner(f3, vm0)")
        let outcome = walk(system, vm: 0)
        #expect(outcome.reached == 0b0101)  // f0 and f2; f3 is vm0's but not tagged for it yet
        #expect(!outcome.isolation && !outcome.leak)
    }

    @Test func walkThroughScrubbedRootFaults() throws {
        let system = try tptSystem(extraInit: "scrub(f0)")
        let outcome = walk(system, vm: 0)
        #expect(outcome.reached == 0)
        #expect(!outcome.isolation && !outcome.leak)
    }

    @Test func leafOnlyWalkReadsAnotherVMsFrameAsPageTable() throws {
        let system = try tptSystem(walker: "tag at leaf")
        let outcome = walk(system, vm: 0)
        #expect(outcome.isolation && outcome.leak)
        let s = system.initialState()
        #expect(system.firstBreakingRead(s, vm: 0, vcpu: 0, .isolation) == (level: 1, frame: 1, cached: false))
        #expect(system.firstBreakingRead(s, vm: 0, vcpu: 0, .noDataLeak) == (level: 1, frame: 1, cached: false))
        // The violation the checker reports names that read.
        let reported = system.successors(of: s).compactMap(\.violation).first { $0.property == .isolation }
        #expect(reported == Violation(property: .isolation, vm: 0, frame: 1, route: .pageTableRead(level: 1),
                                      observed: TransitionSystem.tagCode(vm: 1)))
    }

    @Test func everyLevelWalkFaultsOnAForeignRoot() throws {
        let system = try tptSystem(extraInit: "set_root(vm0, f1)")
        #expect(walk(system, vm: 0).reached == 0)
        let leafOnly = try tptSystem(walker: "tag at leaf", extraInit: "set_root(vm0, f1)")
        #expect(walk(leafOnly, vm: 0).isolation)
        #expect(leafOnly.firstBreakingRead(leafOnly.initialState(), vm: 0, vcpu: 0, .isolation).level == 0)
    }

    @Test func fullTLBFillMayEvictAnyEntry() throws {
        let system = try tptSystem(tlb: 2, extraInit: "set_owner(f2, vm0) set_tag(f2, vm0)")
        var s = take(system, system.initialState(), .read, vm: 0, page: 0, frame: 0)
        s = take(system, s, .read, vm: 0, page: 1, frame: 2)
        #expect(system.tlbContents(s, vm: 0) == "{p1->f2 rw, p0->f0 rw}")
        let fills = system.successors(of: s).filter {
            $0.action.kind == .read && $0.action.vm == 0 && $0.action.subject == 2 && $0.action.frame == 0
        }
        #expect(Set(fills.map { system.tlbContents($0.state, vm: 0) }) == ["{p2->f0 rw, p0->f0 rw}", "{p2->f0 rw, p1->f2 rw}"])
    }

    @Test func writeMakesTheGuestTheLastWriter() throws {
        let system = try tptSystem(extraInit: "set_owner(f2, vm0) set_tag(f2, vm0)")
        let write = system.successors(of: system.initialState()).first {
            $0.action.kind == .write && $0.action.vm == 0 && $0.action.frame == 2
        }
        #expect(write != nil)
        #expect(write.map { system.writer($0.state, 2) } == 1)
        #expect(write?.violation == nil)
    }

    @Test func accessThroughStaleEntryToAnotherVMsFrameBreaksIsolation() throws {
        let system = try tptSystem()
        var s = take(system, system.initialState(), .read, vm: 0, page: 0, frame: 0)
        system.apply(.setOwnership(.owner, frame: .constant(0), .vm(.constant(1))), Bindings(), to: &s)
        let violations = system.successors(of: s).compactMap(\.violation)
        #expect(violations.contains(Violation(property: .isolation, vm: 0, frame: 0, route: .tlbHit,
                                              observed: TransitionSystem.tagCode(vm: 1))))
    }

    @Test func readingAnotherVMsDataLeaks() throws {
        let system = try tptSystem(extraInit: "set_owner(f2, vm1) set_tag(f2, vm1) set_writer(f2, vm0)")
        let violations = system.successors(of: system.initialState()).compactMap(\.violation)
        #expect(violations.contains { $0.property == .noDataLeak && $0.vm == 1 && $0.frame == 2 })
        #expect(!violations.contains { $0.property == .isolation })
    }
}

/// Shadow paging: trapped and untrapped guest page-table writes, hidden faults,
/// and the reclaim's zap through the guest table.
@Suite struct ShadowTests {
    func shadowSystem(traps: String = "always") throws -> TransitionSystem {
        try system("""
            model s
            scheme shadow
            config vms 2, vcpus 1, frames 4, levels 1, fanout 2, tlb 1, gpages 2
            trap pte_writes \(traps)
            init set_owner(f0, vm0) nested_map(vm0, g0, f0) set_owner(f2, vm0) nested_map(vm0, g1, f2)
                 set_owner(f1, vm1) nested_map(vm1, g0, f1)
            check isolation, no_data_leak
            expect holds
            """)
    }

    func value(_ system: TransitionSystem, _ state: PackedState, _ name: String) -> String {
        system.components(of: state).first { $0.name == name }!.value.description
    }

    /// `entry` as encoded in the state: 0 empty, 1 + 2 * guest-physical page + writable.
    func entryWrite(_ system: TransitionSystem, _ state: PackedState, page: Int, entry: Int, trapped: Bool) -> PackedState? {
        system.successors(of: state).first {
            $0.action.kind == .writeEntry && $0.action.vm == 0 && Int($0.action.subject) == page
                && Int($0.action.frame) == entry && $0.action.trapped == trapped
        }?.state
    }

    @Test func trappedWriteSyncsTheShadowThroughTheP2M() throws {
        let system = try shadowSystem()
        let s = try #require(entryWrite(system, system.initialState(), page: 1, entry: 4, trapped: true))
        #expect(value(system, s, "gpt vm0 p1") == "g1 rw")
        #expect(value(system, s, "shadow vm0 p1") == "f2 rw")
        // Under `always`, no write goes through untrapped.
        #expect(entryWrite(system, system.initialState(), page: 1, entry: 4, trapped: false) == nil)
    }

    @Test func untrappedWriteLeavesTheShadowStale() throws {
        let system = try shadowSystem(traps: "sometimes")
        let mapped = try #require(entryWrite(system, system.initialState(), page: 0, entry: 2, trapped: true))
        let stale = try #require(entryWrite(system, mapped, page: 0, entry: 4, trapped: false))
        #expect(value(system, stale, "gpt vm0 p0") == "g1 rw")
        #expect(value(system, stale, "shadow vm0 p0") == "f0 rw")
    }

    @Test func hiddenFaultFillsAnEmptyShadowEntry() throws {
        let system = try shadowSystem()
        var s = system.initialState()
        // The guest maps p0 to g0 while g0 is unmapped in the p2m: the shadow stays empty.
        system.apply(.nestedUnmap(vm: .constant(0), gpage: .constant(0)), Bindings(), to: &s)
        s = try #require(entryWrite(system, s, page: 0, entry: 2, trapped: true))
        #expect(value(system, s, "shadow vm0 p0") == "empty")
        #expect(!system.successors(of: s).contains { $0.action.kind == .read && $0.action.vm == 0 && $0.action.subject == 0 })
        // Once g0 is backed again, a read of p0 syncs the shadow and fills the TLB.
        system.apply(.nestedMap(vm: .constant(0), gpage: .constant(0), frame: .constant(0)), Bindings(), to: &s)
        let read = try #require(system.successors(of: s).first {
            $0.action.kind == .read && $0.action.vm == 0 && $0.action.subject == 0
        })
        #expect(read.action.frame == 0)
        #expect(value(system, read.state, "shadow vm0 p0") == "f0 rw")
        #expect(system.tlbContents(read.state, vm: 0) == "{p0->f0 rw}")
    }

    @Test func zapFindsShadowEntriesThroughTheGuestTable() throws {
        let system = try shadowSystem()
        var s = try #require(entryWrite(system, system.initialState(), page: 0, entry: 2, trapped: true))
        s = try #require(entryWrite(system, s, page: 1, entry: 4, trapped: true))
        system.apply(.shadowZap(vm: .constant(0), gpage: .constant(0)), Bindings(), to: &s)
        #expect(value(system, s, "shadow vm0 p0") == "empty")
        #expect(value(system, s, "shadow vm0 p1") == "f2 rw")
    }
}
