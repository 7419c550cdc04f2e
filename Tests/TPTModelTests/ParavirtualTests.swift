import Testing
@testable import TPTModel

/// Paravirtual paging: what the host's hypercall checks accept, the validated
/// walk, and what happens once a guest writes its own page table.
@Suite struct ParavirtualTests {
    func pvSystem(checks: String = "owner, read_only_tables") throws -> TransitionSystem {
        try system("""
            model p
            scheme pv
            config vms 2, vcpus 1, frames 4, levels 1, fanout 2, tlb 1, gpages 2
            hypercall checks \(checks)
            init set_owner(f0, vm0) pin(f0) set_root(vm0, f0) set_owner(f2, vm0)
                 set_owner(f1, vm1) pin(f1) set_root(vm1, f1)
            check isolation, no_data_leak
            expect holds
            """)
    }

    /// The entries vm0 may set for page p0, as `f2 rw` and so on.
    func acceptedEntries(_ system: TransitionSystem, _ state: PackedState) -> Set<String> {
        Set(system.successors(of: state).filter { $0.action.kind == .hypercall && $0.action.vm == 0 && $0.action.subject == 0 }
            .map { system.frameEntryName(Int($0.action.frame)) })
    }

    @Test func hostAcceptsOnlyItsOwnFramesAndNeverAWritablePageTable() throws {
        let system = try pvSystem()
        #expect(acceptedEntries(system, system.initialState()) == ["f0 ro", "f2 ro", "f2 rw"])
        // Without the page-table check the root may be mapped writable; without
        // the owner check any frame may be mapped.
        #expect(acceptedEntries(try pvSystem(checks: "owner"), system.initialState()).contains("f0 rw"))
        #expect(acceptedEntries(try pvSystem(checks: "nothing"), system.initialState()).count == 8)
    }

    @Test func walkReachesTheValidatedEntryWithItsPermission() throws {
        let system = try pvSystem()
        var s = system.initialState()
        s = try #require(system.successors(of: s).first { $0.action.kind == .hypercall && $0.action.vm == 0
            && $0.action.subject == 0 && system.frameEntryName(Int($0.action.frame)) == "f0 ro" }).state
        let reads = system.successors(of: s).filter {
            ($0.action.kind == .read || $0.action.kind == .write) && $0.action.vm == 0 && $0.action.subject == 0
        }
        #expect(reads.map(\.action.kind) == [.read], "a read-only mapping allows no write")
        #expect(system.tlbContents(reads[0].state, vm: 0) == "{p0->f0 ro}")
    }

    @Test func aGuestWrittenPageTableHoldsAnything() throws {
        let system = try pvSystem()
        var s = system.initialState()
        system.apply(.setWriter(frame: .constant(0), vm: .constant(0)), Bindings(), to: &s)
        let reached = system.successors(of: s).filter { $0.action.kind == .read && $0.action.vm == 0 && $0.action.subject == 0 }
        #expect(reached.contains { $0.violation?.property == .isolation && $0.action.frame == 1 })
    }

    @Test func revokeRemovesEveryEntryNamingTheFrame() throws {
        let system = try pvSystem()
        var s = system.initialState()
        s[system.layout.directEntry[0]] = 1 + 2 * 2 + 1   // vm0 p0 -> f2 rw
        s[system.layout.directEntry[1]] = 1 + 2 * 0       // vm0 p1 -> f0 ro
        system.apply(.revoke(frame: .constant(2)), Bindings(), to: &s)
        #expect(s[system.layout.directEntry[0]] == 0)
        #expect(s[system.layout.directEntry[1]] == 1)
    }

    @Test func pinAndUnpinMarkPageTables() throws {
        let system = try pvSystem()
        var s = system.initialState()
        #expect(system.holds(.test(.pinned(frame: .constant(0))), Bindings(), in: s))
        system.apply(.unpin(frame: .constant(0)), Bindings(), to: &s)
        #expect(!system.holds(.test(.pinned(frame: .constant(0))), Bindings(), in: s))
        system.apply(.pin(frame: .constant(2)), Bindings(), to: &s)
        #expect(system.holds(.test(.pinned(frame: .constant(2))), Bindings(), in: s))
    }
}
