import Testing
@testable import TPTModel

/// Paging-structure caches on crafted states: what a walker caches, what
/// clears it, a walk that resumes there unchecked, and what the language refuses.
@Suite struct WalkCacheTests {
    /// vm0 owns f0 (its root) and f1, both written by it; f1 is a table the
    /// root's entries may name. The host takes f1 back: `reclaim` is its rule.
    static func text(reclaim: String = "set_owner(f, free) set_tag(f, free) shootdown(f) shootdown_tables(f) scrub(f)",
                     extra: String = "walker caches upper levels") -> String {
        """
        model cache
        scheme tpt
        config vms 2, vcpus 1, frames 3, levels 2, fanout 1, tlb 1
        \(extra)
        init
          set_owner(f0, vm0) set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
          set_owner(f1, vm0) set_tag(f1, vm0) set_writer(f1, vm0)
        rule reclaim(f: frame) atomic
          when f == f1 and owner(f) == vm0
          do \(reclaim)
        rule give(f: frame, v: vm) atomic
          when f == f1 and owner(f) == free and v != vm0
          do set_owner(f, v) set_tag(f, v) set_writer(f, v)
        check isolation, no_data_leak
        expect holds
        """
    }

    func cache(_ system: TransitionSystem, _ state: PackedState) -> String {
        system.components(of: state).first { $0.name == "walk-cache vm0" }!.value.description
    }

    func take(_ system: TransitionSystem, _ state: PackedState, _ kind: Action.Kind, frame: Int? = nil, rule: Int? = nil) throws -> PackedState {
        let match = system.successors(of: state).first {
            $0.action.kind == kind && $0.action.vm == 0 && (frame == nil || Int($0.action.frame) == frame)
                && (rule == nil || Int($0.action.subject) == rule)
        }
        return try #require(match, "no \(kind)").state
    }

    @Test func theWalkerCachesTablesBelowTheRootThatPassTheirCheck() throws {
        let system = try TPTModelTests.system(Self.text())
        let start = system.initialState()
        #expect(cache(system, start) == "{}")
        // f0 and f1 are vm0's: either may be cached; f2 (free, untagged) may not.
        let cachable = Set(system.successors(of: start).filter { $0.action.kind == .cacheTable && $0.action.vm == 0 }.map(\.action.frame))
        #expect(cachable == [0, 1])
        let cached = try take(system, start, .cacheTable, frame: 1)
        #expect(cache(system, cached) == "{f1}")
        // A guest flush and invlpg empty it, as on x86.
        #expect(cache(system, try take(system, cached, .flush)) == "{}")
    }

    @Test func aReclaimWithoutTheTableShootdownLeavesAnUncheckedWalk() throws {
        let buggy = try TPTModelTests.system(Self.text(reclaim: "set_owner(f, free) set_tag(f, free) shootdown(f) scrub(f)"))
        var state = try take(buggy, buggy.initialState(), .cacheTable, frame: 1)
        state = try take(buggy, state, .startRule, rule: 0)
        #expect(cache(buggy, state) == "{f1}")
        state = try take(buggy, state, .startRule, rule: 1)
        // vm0's walk resumes at f1, now vm1's: the read breaks both properties, named as cached.
        let violations = buggy.successors(of: state).compactMap(\.violation).filter { $0.vm == 0 }
        #expect(violations.contains { $0.property == .isolation && $0.frame == 1 && $0.route == .pageTableRead(level: 1, cached: true) })
        #expect(violations.contains { $0.property == .noDataLeak && $0.frame == 1 })
        // With the table shootdown the cache is empty once the reclaim is done.
        let fixed = try TPTModelTests.system(Self.text())
        let done = try take(fixed, try take(fixed, fixed.initialState(), .cacheTable, frame: 1), .startRule, rule: 0)
        #expect(cache(fixed, done) == "{}")
        #expect(fixed.successors(of: try take(fixed, done, .startRule, rule: 1)).allSatisfy { $0.violation == nil })
    }

    @Test func theLanguageRefusesCachesItCannotMean() throws {
        func message(_ text: String) -> String? {
            do { _ = try parseModel(text, file: "cache.tpt"); return nil } catch let diagnostic as Diagnostic { return diagnostic.message } catch { return "\(error)" }
        }
        #expect(message(Self.text().replacingOccurrences(of: "scheme tpt", with: "scheme nested")
            .replacingOccurrences(of: "set_tag(f0, vm0)", with: "").replacingOccurrences(of: "set_tag(f1, vm0)", with: "")
            .replacingOccurrences(of: "set_tag(f, free)", with: "").replacingOccurrences(of: "set_tag(f, v)", with: "")
            .replacingOccurrences(of: "set_root(vm0, f0)", with: "")) == "the walker caches upper levels only under scheme tpt")
        #expect(message(Self.text().replacingOccurrences(of: "levels 2", with: "levels 1"))?.hasPrefix("a walk of 1 level has no upper level") == true)
        #expect(message(Self.text(extra: "").replacingOccurrences(of: "check isolation, no_data_leak", with: "check isolation"))?
            .hasPrefix("'shootdown_tables' removes paging-structure-cache entries") == true)
        #expect(message(Self.text().replacingOccurrences(of: "check isolation, no_data_leak", with: "check isolation, equivalent_to_nested"))?
            .hasPrefix("'equivalent_to_nested' compares one page's translation") == true)
    }
}
