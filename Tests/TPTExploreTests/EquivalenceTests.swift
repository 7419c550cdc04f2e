import Testing
import TPTExplore
import TPTModel

/// Translation equivalence to nested paging, explored as a product.
@Suite struct EquivalenceTests {
    /// A bundled model at V=2, F=4, L=2, K=2, T=1, checking only equivalence.
    func model(_ name: String) throws -> Model {
        var model = try loadBundledModel(name)
        model.configuration.levels = 2
        model.configuration.fanout = 2
        model.properties = [.equivalence]
        if case .violated = model.expectation { model.expectation = .violated([.equivalence]) }
        return model
    }

    @Test(arguments: ["tpt", "shadow", "pv"])
    func holdsAtTheRequiredSizeTrackingOneOrTwoPages(_ name: String) throws {
        let model = try model(name)
        let c = model.configuration
        #expect(c.vms == 2 && c.frames == 4 && c.virtualPages == 4 && c.tlb == 1)
        // One tracked page decides the property for every page; two agree.
        for tracked in [1, 2] {
            let system = TransitionSystem(model: model, view: .equivalence, trackedPages: tracked)
            let result = explore(system)
            guard case .holds = result.verdict else {
                Issue.record("\(name), \(tracked) tracked pages: \(result.verdict)")
                continue
            }
            #expect(result.states > 100, "a real product state space")
        }
    }

    @Test func aMissedTrapDivergesAndIsShownSideBySide() throws {
        let system = TransitionSystem(model: try model("shadow-bug-missed-trap"), view: .equivalence)
        guard case .violated(let found) = explore(system).verdict, let trace = found.first else {
            Issue.record("shadow-bug-missed-trap should break equivalence")
            return
        }
        #expect(trace.property == .equivalence)
        #expect(trace.steps.count == 3)
        #expect(trace.steps[1].action.contains("(NOT trapped)"))
        let last = try #require(trace.steps.last)
        #expect(last.action.contains("shadow f") && last.action.contains("| nested "))
        #expect(trace.explanation.contains("under nested paging"))
        // Two tracked pages find the same shortest divergence.
        let wider = TransitionSystem(model: try model("shadow-bug-missed-trap"), view: .equivalence, trackedPages: 2)
        #expect(explore(wider).depth == 3)
    }

    @Test func nestedPagingIsNotComparedWithItself() throws {
        let text = try String(contentsOf: modelsDirectory().appendingPathComponent("nested.tpt"), encoding: .utf8)
            .replacingOccurrences(of: "check isolation, no_data_leak", with: "check isolation, equivalent_to_nested")
        #expect(throws: Diagnostic.self) { try parseModel(text, file: "n.tpt") }
    }

    @Test func bothViewsReportTheirOwnShortestCounterexample() throws {
        let result = checkModel(try loadBundledModel("shadow-bug-missed-trap"))
        guard case .violated(let found) = result.verdict else {
            Issue.record("expected a violation")
            return
        }
        // Each property's own shortest: the search goes on past isolation's.
        #expect(found.map(\.property) == [.isolation, .noDataLeak, .equivalence])
        #expect(found.map(\.steps.count) == [9, 11, 3])
        #expect(result.depth == 3)
    }
}
