import Testing
@testable import TPTModel

/// The flush-request protocol on crafted states: requests, acknowledgements,
/// the wait, descheduled vCPUs, and what the language refuses.
@Suite struct FlushRequestTests {
    /// vm0 has two vCPUs; its rule asks for a flush (all vCPUs, or the
    /// running ones only), waits, then gives f0 to the host.
    static func text(request: String = "request_flush(v)") -> String {
        """
        model flush
        scheme tpt
        config vms 1, vcpus 2, frames 2, levels 1, fanout 1, tlb 1
        init
          set_owner(f0, vm0) set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
        rule take(f: frame, v: vm) interleaved
          when owner(f) == v and not in_flight(f)
          do \(request)
             await_flush(v)
             set_owner(f, host)
        check isolation
        expect holds
        """
    }

    func system(request: String = "request_flush(v)") throws -> TransitionSystem {
        try TPTModelTests.system(Self.text(request: request))
    }

    func flag(_ system: TransitionSystem, _ state: PackedState, _ name: String, cpu: Int) -> String {
        system.components(of: state).first { $0.name == "\(name) vm0.cpu\(cpu)" }!.value.description
    }

    /// The one successor of the kind by the vCPU (any vCPU for host moves).
    func take(_ system: TransitionSystem, _ state: PackedState, _ kind: Action.Kind, cpu: Int = 0, subject: Int = 0) throws -> PackedState {
        let matches = system.successors(of: state).filter {
            $0.action.kind == kind && (!$0.action.isGuest || Int($0.action.vcpu) == cpu) && Int($0.action.subject) == subject
                && ($0.action.kind != .read || $0.action.frame == 0)
        }
        return try #require(matches.first, "no \(kind) by cpu\(cpu)").state
    }

    @Test func aRequestIsAcknowledgedByEachRunningVCPUBeforeTheWaitEnds() throws {
        let system = try system()
        let warm = try take(system, try take(system, system.initialState(), .read, cpu: 0), .read, cpu: 1)
        for cpu in 0..<2 { #expect(system.components(of: warm).first { $0.name == "tlb vm0.cpu\(cpu)" }!.value.description == "{p0->f0 rw}") }
        let requested = try take(system, warm, .startRule)
        #expect(flag(system, requested, "flush-pending", cpu: 0) == "yes" && flag(system, requested, "flush-pending", cpu: 1) == "yes")
        // Nothing is flushed yet: both vCPUs keep their entries.
        for cpu in 0..<2 { #expect(system.components(of: requested).first { $0.name == "tlb vm0.cpu\(cpu)" }!.value.description == "{p0->f0 rw}") }
        // The wait does not pass while a running vCPU has not acknowledged.
        #expect(!system.successors(of: requested).contains { $0.action.kind == .continueRule })
        let one = try take(system, requested, .acknowledgeFlush, cpu: 0)
        #expect(flag(system, one, "flush-pending", cpu: 0) == "no")
        #expect(system.components(of: one).first { $0.name == "tlb vm0.cpu0" }!.value.description == "{}")
        #expect(system.components(of: one).first { $0.name == "tlb vm0.cpu1" }!.value.description != "{}")
        #expect(!system.successors(of: one).contains { $0.action.kind == .continueRule })
        let both = try take(system, one, .acknowledgeFlush, cpu: 1)
        #expect(system.successors(of: both).contains { $0.action.kind == .continueRule })
    }

    @Test func aDescheduledVCPUIsNotWaitedForAndFlushesWhenItResumes() throws {
        let system = try system()
        let warm = try take(system, system.initialState(), .read, cpu: 1)
        let away = try take(system, warm, .deschedule, cpu: 1)
        // A descheduled vCPU makes no access.
        #expect(!system.successors(of: away).contains { $0.action.isGuest && $0.action.vcpu == 1 && $0.action.kind != .resume })
        let requested = try take(system, try take(system, away, .startRule), .acknowledgeFlush, cpu: 0)
        #expect(flag(system, requested, "flush-pending", cpu: 1) == "yes")
        #expect(system.successors(of: requested).contains { $0.action.kind == .continueRule })
        let resumed = try take(system, requested, .resume, cpu: 1)
        #expect(flag(system, resumed, "flush-pending", cpu: 1) == "no" && flag(system, resumed, "descheduled", cpu: 1) == "no")
        #expect(system.components(of: resumed).first { $0.name == "tlb vm0.cpu1" }!.value.description == "{}")
    }

    @Test func aRequestToRunningVCPUsOnlySkipsADescheduledOne() throws {
        let system = try system(request: "request_flush_running(v)")
        let away = try take(system, try take(system, system.initialState(), .read, cpu: 1), .deschedule, cpu: 1)
        let requested = try take(system, away, .startRule)
        #expect(flag(system, requested, "flush-pending", cpu: 1) == "no")
        // It resumes with its entry.
        let resumed = try take(system, requested, .resume, cpu: 1)
        #expect(system.components(of: resumed).first { $0.name == "tlb vm0.cpu1" }!.value.description != "{}")
    }

    @Test func modelsWithoutRequestsKeepNoProtocolState() throws {
        let plain = try tptSystem()
        #expect(plain.layout.flushPending.isEmpty && plain.layout.descheduled.isEmpty)
        #expect(!plain.components(of: plain.initialState()).contains { $0.name.hasPrefix("flush-pending") || $0.name.hasPrefix("descheduled") })
        #expect(try system().layout.flushPending.count == 2)
    }

    @Test(arguments: [
        ("do request_flush(v)", "do request_flush(f)", "'f' is a frame, but a vm is expected here"),
        ("interleaved", "atomic", "'await_flush' waits for guest steps (the vCPUs' acknowledgements), so it can only be a step of an interleaved rule; rule 'take' is atomic"),
        ("set_root(vm0, f0)", "set_root(vm0, f0) request_flush(vm0)", "'request_flush' is part of the flush-request protocol, between the host and running vCPUs: the initial state has no vCPU running yet"),
        ("await_flush(v)", "await_flush(v, v)", "'await_flush' takes 1 argument (vm), not 2"),
    ])
    func theLanguageRefusesWhatTheProtocolCannotMean(_ old: String, _ new: String, _ message: String) throws {
        let text = Self.text()
        let changed = text.replacingOccurrences(of: old, with: new)
        #expect(changed != text)
        #expect(throws: Diagnostic.self) { try parseModel(changed, file: "bad.tpt") }
        do { _ = try parseModel(changed, file: "bad.tpt") } catch { #expect(error.message == message) }
    }

    /// A guard may read what the host itself records of the protocol: a
    /// request a vCPU has not acknowledged (`flush_pending`), a vCPU not
    /// running (`descheduled`), of one vCPU or of some vCPU of the VM. A model
    /// whose only use of the protocol is such a guard keeps its state too.
    @Test func guardsReadTheHostsFlushBookkeeping() throws {
        func system(_ condition: String) throws -> TransitionSystem {
            try TPTModelTests.system("""
                model bookkeeping
                scheme tpt
                config vms 1, vcpus 2, frames 2, levels 1, fanout 1, tlb 1
                init
                  set_owner(f0, vm0) set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
                rule take(f: frame, v: vm) atomic
                  when owner(f) == v and \(condition)
                  do set_owner(f, host)
                check isolation
                expect holds
                """)
        }
        let f0vm0 = Bindings([0, 0])
        let pending = try system("flush_pending(v)"), second = try system("flush_pending(v, cpu1)")
        #expect(pending.layout.flushPending.count == 2)
        var state = pending.initialState()
        #expect(!pending.guardHolds(rule: 0, f0vm0, in: state))
        pending.apply(.requestFlush(vm: .constant(0), runningOnly: false), Bindings(), to: &state)
        #expect(pending.guardHolds(rule: 0, f0vm0, in: state) && second.guardHolds(rule: 0, f0vm0, in: state))
        let one = try take(pending, state, .acknowledgeFlush, cpu: 1)
        #expect(pending.guardHolds(rule: 0, f0vm0, in: one) && !second.guardHolds(rule: 0, f0vm0, in: one))
        let both = try take(pending, one, .acknowledgeFlush, cpu: 0)
        #expect(!pending.guardHolds(rule: 0, f0vm0, in: both))

        let away = try system("descheduled(v)"), first = try system("descheduled(v, cpu0)")
        let descheduled = try take(away, away.initialState(), .deschedule, cpu: 1)
        #expect(!away.guardHolds(rule: 0, f0vm0, in: away.initialState()))
        #expect(away.guardHolds(rule: 0, f0vm0, in: descheduled) && !first.guardHolds(rule: 0, f0vm0, in: descheduled))

        func message(_ condition: String) -> String? {
            do { _ = try system(condition); return nil } catch { return (error as? Diagnostic)?.message }
        }
        #expect(message("flush_pending(f)") == "'f' is a frame, but a vm is expected here")
        #expect(message("descheduled(v, f)") == "'f' is a frame, but a vcpu is expected here")
        #expect(message("flush_pending(v, cpu0, cpu1)") == "'flush_pending' takes 1 argument (vm; or vm, vcpu), not 3")
    }

    /// `equivalent_to_nested` runs every rule whole on a host without the
    /// protocol, so it is refused at the property wherever a rule needs the
    /// protocol's state: a guard that reads it, or a rule that waits for vCPUs.
    @Test(arguments: [
        ("atomic", "owner(f) == v and not flush_pending(v)", "set_owner(f, host)",
         "'flush_pending' at 6:30 reads the state of flush requests"),
        ("interleaved", "owner(f) == v and not in_flight(f)", "request_flush(v)\n     await_flush(v)",
         "'equivalent_to_nested' runs every rule whole"),
    ])
    func equivalenceIsRefusedWhereARuleNeedsFlushRequests(
        mode: String, condition: String, actions: String, expected: String
    ) throws {
        let text = """
            model flush
            scheme tpt
            init
              set_owner(f0, vm0) set_tag(f0, vm0)
            rule take(f: frame, v: vm) \(mode)
              when \(condition)
              do \(actions)
            check isolation, equivalent_to_nested
            expect holds
            """
        do {
            _ = try parseModel(text, file: "bad.tpt")
            Issue.record("accepted")
        } catch {
            #expect(error.location.line == text.split(separator: "\n").firstIndex { $0.hasPrefix("check") }! + 1)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
