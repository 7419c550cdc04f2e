import Testing
import TPTExplore
@testable import TPTModel

/// Shortest counterexamples, checked against traces derived by hand, and replayed
/// step by step against the model to show they are real.
@Suite struct CounterexampleTests {
    func counterexample(_ name: String, _ property: Property) throws -> (TransitionSystem, Counterexample) {
        // The property alone: the search stops once it is decided.
        var model = try loadBundledModel(name)
        model.properties = [property]
        let system = TransitionSystem(model: model)
        let result = explore(system)
        guard case .violated(let traces) = result.verdict, let trace = traces.first(where: { $0.property == property }) else {
            Issue.record("\(name) was not violated by \(property)")
            throw CancellationError()
        }
        #expect(result.depth == trace.steps.count)
        return (system, trace)
    }

    /// Replays the actions from the initial state: every step must be a transition
    /// of the model and the last must break the property.
    func replay(_ system: TransitionSystem, _ trace: Counterexample) {
        var state = system.initialState()
        for (index, action) in trace.actions.enumerated() {
            let isLast = index == trace.actions.count - 1
            var successors: [(state: PackedState, violation: Violation?)] = []
            system.forEachSuccessor(of: state) { candidate, next, violation in
                if candidate == action { successors.append((next, violation)) }
                return true
            }
            if isLast {
                #expect(successors.contains { $0.violation == trace.violation })
            } else {
                guard let next = successors.first(where: { $0.violation == nil }) else {
                    Issue.record("step \(index + 1) (\(system.describe(action, in: state))) is not a transition")
                    return
                }
                state = next.state
            }
        }
    }

    /// tpt-bug-no-shootdown, by hand (8 steps):
    ///   1. vm0 reads p0: the walk through its root f0 reaches f0; the TLB caches p0 -> f0.
    ///   2. host reclaim(vm0, g0, f0) step 1: set_owner(f0, free).
    ///   3. step 2: set_tag(f0, free).
    ///   4. step 3: scrub(f0); no shootdown, the entry survives.
    ///   5-6. steps 4 and 5: the guest's revoke, and g0 leaves the p2m.
    ///   7. host assign(f0, vm1, g1) (allowed now that the reclaim is done).
    ///   8. vm0 reads p0 through the stale entry: f0 belongs to vm1.
    /// Nothing shorter exists: every-level tag checks mean walks reach only own
    /// frames, so the foreign frame must come through a stale entry, which takes a
    /// fill, the whole reclaim (the assign waits for it), an assign, and the access.
    @Test func noShootdownShortestTrace() throws {
        let (system, trace) = try counterexample("tpt-bug-no-shootdown", .isolation)
        #expect(trace.steps.map(\.action) == [
            "read p0 -> f0", "reclaim(vm0, g0, f0) step 1/5: set_owner(f0, free)", "reclaim(vm0, g0, f0) step 2/5: set_tag(f0, free)",
            "reclaim(vm0, g0, f0) step 3/5: scrub(f0)", "reclaim(vm0, g0, f0) step 4/5: revoke(f0)",
            "reclaim(vm0, g0, f0) step 5/5: nested_unmap(vm0, g0)", "assign(f0, vm1, g1)", "read p0 -> f0",
        ])
        #expect(trace.steps.map(\.actor) == ["vm0", "host", "host", "host", "host", "host", "host", "vm0"])
        #expect(trace.explanation == "vm0 reached f0 through a TLB entry, but f0 belongs to vm1")
        replay(system, trace)
    }

    /// tpt-bug-scrub-before-shootdown, by hand (10 steps):
    ///   1. vm0 reads p0 -> f0 (TLB caches it).
    ///   2-4. reclaim(vm0, g0, f0): set_owner(f0, free), set_tag(f0, free), scrub(f0).
    ///   5. vm0 writes through the cached p0 -> f0 (f0 is free: allowed, but now dirty).
    ///   6-8. shootdown(f0), revoke(f0), nested_unmap(vm0, g0).
    ///   9. assign(f0, vm1, g1).
    ///   10. vm1's walk reads f0 (now its own, dirty with vm0's entries): a leak.
    @Test func scrubBeforeShootdownShortestTrace() throws {
        let (system, trace) = try counterexample("tpt-bug-scrub-before-shootdown", .noDataLeak)
        #expect(trace.steps.count == 10)
        #expect(trace.steps[4].action == "write p0 -> f0")
        #expect(trace.steps[4].changes == ["writer f0: clean -> vm0"])
        #expect(trace.steps.last?.actor == "vm1")
        replay(system, trace)
    }

    /// tpt-bug-flush-before-retag, by hand (9 steps): reclaim(vm0, g0, f0) records
    /// f0 free and shoots down; vm0 refills p0 -> f0 (f0 still tagged vm0, the walk
    /// passes); the retag, scrub, revoke and unmap follow; assign(f0, vm1, g1); vm0
    /// reads through the refill.
    @Test func flushBeforeRetagShortestTrace() throws {
        let (system, trace) = try counterexample("tpt-bug-flush-before-retag", .isolation)
        #expect(trace.steps.map(\.action) == [
            "reclaim(vm0, g0, f0) step 1/6: set_owner(f0, free)", "reclaim(vm0, g0, f0) step 2/6: shootdown(f0)", "read p0 -> f0",
            "reclaim(vm0, g0, f0) step 3/6: set_tag(f0, free)", "reclaim(vm0, g0, f0) step 4/6: scrub(f0)",
            "reclaim(vm0, g0, f0) step 5/6: revoke(f0)", "reclaim(vm0, g0, f0) step 6/6: nested_unmap(vm0, g0)",
            "assign(f0, vm1, g1)", "read p0 -> f0",
        ])
        replay(system, trace)
    }

    /// nested-bug-no-flush, by hand (6 steps): vm0 caches p0 -> f0; reclaim(vm0,
    /// g0, f0) records f0 free, unmaps g0 and scrubs f0 (3 steps, no flush);
    /// assign(f0, vm1, g1); vm0 reads through the stale combined entry.
    @Test func nestedNoFlushShortestTrace() throws {
        let (system, trace) = try counterexample("nested-bug-no-flush", .isolation)
        #expect(trace.steps.count == 6)
        #expect(trace.steps[4].action == "assign(f0, vm1, g1)")
        replay(system, trace)
    }

    /// host-bug-double-assign, by hand (2 steps): assign(f1, vm0, g1) takes vm1's
    /// root frame without checking it is free; vm1's next walk reads f1, now vm0's.
    @Test func doubleAssignShortestTrace() throws {
        let (system, trace) = try counterexample("host-bug-double-assign", .isolation)
        #expect(trace.steps.count == 2)
        #expect(trace.steps[0].action == "assign(f1, vm0, g1)")
        replay(system, trace)
    }

    /// shadow-bug-missed-trap, by hand (9 steps): vm0 maps p0 to g0 (trapped: the
    /// shadow says p0 -> f0); vm0 unmaps p0, untrapped (the shadow still says f0);
    /// reclaim(vm0, g0, f0) runs its five steps, and its zap, looking for entries
    /// that the guest table maps to g0, finds none; assign(f0, vm1, g1); vm0 reads
    /// p0 through the stale shadow entry.
    @Test func missedTrapShortestTrace() throws {
        let (system, trace) = try counterexample("shadow-bug-missed-trap", .isolation)
        #expect(trace.steps.count == 9)
        #expect(trace.steps[1].action == "write pte p0 := empty (NOT trapped)")
        #expect(trace.steps[4].action == "reclaim(vm0, g0, f0) step 3/5: shadow_zap(vm0, g0)")
        #expect(trace.explanation == "vm0 reached f0 through a page walk, but f0 belongs to vm1")
        replay(system, trace)
    }

    @Test func leafOnlyCheckBreaksOnTheFirstWalk() throws {
        let (system, trace) = try counterexample("tpt-bug-leaf-only-check", .isolation)
        #expect(trace.steps.count == 1)
        #expect(trace.explanation == "the walk for vm0 read f1 as its level-2 page table, but f1 belongs to vm1")
        replay(system, trace)
    }
}
