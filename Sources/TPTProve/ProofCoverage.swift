import TPTModel

/// The models whose every behaviour an unbounded proof covers, and where the
/// others fall outside it.
///
/// A proof keeps a rule in progress on its key frame, its first frame
/// parameter (`Vocabulary.slot`): that covers any number of host threads, but
/// only if no two rules are ever in progress on one frame. The explicit
/// checker and bounded model checking run every rule on a host thread of its
/// own and have no such limit. A start is therefore sound to key only when
/// the rule's guard says `not in_flight(f)` of its key frame as one of its
/// top-level conjuncts: then no rule in progress names the frame, and the
/// key is idle. A model that breaks this is refused, with the rule's
/// location, rather than proved for fewer behaviours than `check` explores.
public func proofCoverageGaps(_ model: Model) -> [Diagnostic] {
    var gaps: [Diagnostic] = []
    for rule in model.rules where !rule.isAtomic && rule.steps.count > 1 {
        guard let key = rule.parameters.firstIndex(where: { $0.type == .frame }) else {
            gaps.append(Diagnostic("prove cannot follow interleaved rule '\(rule.name)': a proof keeps a rule in progress "
                                   + "on its first frame parameter, and it has none (check and prove --bmc can)", at: rule.location))
            continue
        }
        let guardsKey = conjuncts(rule.guardCondition).contains(.not(.test(.inFlight(frame: .parameter(key)))))
        if !guardsKey {
            let name = rule.parameters[key].name
            gaps.append(Diagnostic("prove cannot follow interleaved rule '\(rule.name)': a proof keeps a rule in progress on "
                                   + "its first frame parameter, so its guard must say 'not in_flight(\(name))'; without it "
                                   + "two rules may run on \(name) at once (check and prove --bmc cover that)", at: rule.location))
        }
    }
    return gaps
}

/// The top-level conjuncts of a guard.
private func conjuncts(_ condition: Guard) -> [Guard] {
    if case .and(let left, let right) = condition { return conjuncts(left) + conjuncts(right) }
    return [condition]
}
