import TPTModel

/// Decides every property a model checks: the safety properties on the model's
/// own state space, translation equivalence on its product with nested paging.
///
/// Each view is explored on its own and finds its own shortest counterexamples;
/// the figures are the two explorations' together (states and transitions added,
/// the shortest counterexample's length, or the deeper search's depth). A
/// property that was not decided is never reported as holding: a view that
/// stopped leaves its open properties `undecided` beside the other view's
/// counterexamples, or makes the result incomplete when nothing was broken.
public func checkModel(_ model: Model, options: ExploreOptions = ExploreOptions()) -> ExploreResult {
    let views: [TransitionSystem.View] = [.safety, .equivalence].filter { view in
        model.properties.contains { $0.isSafety == (view == .safety) }
    }
    let results = views.map { view in
        let system = TransitionSystem(model: model, view: view)
        // Swarm members vary their depth bounds too: 25, 50, 100, 200, 25, ...
        return options.swarmSeed.map { swarmSearch(system, seed: $0, maxDepth: 25 << Int(($0 &+ 3) % 4), options: options) }
            ?? explore(system, options: options)
    }
    var merged = ExploreResult(verdict: .holds, states: results.map(\.states).reduce(0, +),
                               transitions: results.map(\.transitions).reduce(0, +),
                               depth: results.map(\.depth).max() ?? 0, seconds: results.map(\.seconds).reduce(0, +),
                               storeBytes: results.map(\.storeBytes).max() ?? 0,
                               omissionBound: results.contains { $0.omissionBound != nil }
                                   ? min(1, results.compactMap(\.omissionBound).reduce(0, +)) : nil,
                               coverage: results.isEmpty || results.contains { $0.coverage == nil } ? nil
                                   : results.dropFirst().compactMap(\.coverage).reduce(results[0].coverage!, +))
    // Each view decides its own properties; a view that stopped leaves its
    // open properties undecided, and the others' findings still stand.
    var counterexamples: [Counterexample] = []
    var undecided: [Property] = []
    var reasons: [String] = []
    for (view, result) in zip(views, results) {
        counterexamples += result.verdict.counterexamples
        switch result.verdict {
        case .holds:
            break
        case .incomplete(let reason):
            undecided += model.properties.filter { $0.isSafety == (view == .safety) }
            reasons.append(reason)
        case .violated:
            if let open = result.undecided {
                undecided += open.properties
                reasons.append(open.reason)
            }
        }
    }
    if !counterexamples.isEmpty {
        merged.verdict = .violated(model.properties.compactMap { property in counterexamples.first { $0.property == property } })
        merged.depth = counterexamples.map(\.steps.count).min()!
        if !undecided.isEmpty { merged.undecided = Undecided(properties: undecided, reason: reasons.joined(separator: "; ")) }
    } else if !reasons.isEmpty {
        merged.verdict = .incomplete(reason: reasons.joined(separator: "; "))
    }
    return merged
}
