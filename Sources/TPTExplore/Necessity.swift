import TPTModel

/// One variant of a correct model: a host rule with one step dropped, or with two
/// adjacent steps of an interleaved rule swapped, and what exploring it found.
public struct NecessityFinding: Sendable {
    public enum Change: Sendable, Equatable {
        /// The step at this index (from 0) was removed.
        case drop(step: Int)
        /// The steps at this index and the next were exchanged.
        case swap(step: Int)
    }

    public var rule: String
    public var change: Change
    /// The change in words, with the steps as written in the rule.
    public var description: String
    public var result: ExploreResult

    /// A step (or an order) is needed when the model without it breaks a property.
    public var isNeeded: Bool { !result.verdict.violatedProperties.isEmpty }
}

/// Re-checks a model once per step of each host rule without that step, and once
/// per adjacent pair of steps of each interleaved rule with the pair swapped.
///
/// Host bookkeeping (`set_owner`, and the p2m under tpt and pv) is neither dropped nor moved: it states what the
/// rule is for, and without it a rule only withholds memory, which is always safe.
/// A rule whose only step is dropped is removed: it can no longer change anything.
public func analyzeNecessity(_ model: Model, options: ExploreOptions = ExploreOptions()) -> [NecessityFinding] {
    let reference = TransitionSystem(model: model)
    var findings: [NecessityFinding] = []
    for (ruleIndex, rule) in model.rules.enumerated() {
        func check(_ steps: [Step], _ change: NecessityFinding.Change, _ description: String) {
            var variant = model
            if steps.isEmpty {
                variant.rules.remove(at: ruleIndex)
            } else {
                variant.rules[ruleIndex].steps = steps
            }
            let result = checkModel(variant, options: options)
            findings.append(NecessityFinding(rule: rule.name, change: change, description: description, result: result))
        }
        for index in rule.steps.indices where !rule.steps[index].isBookkeeping(under: model.scheme) {
            var steps = rule.steps
            steps.remove(at: index)
            check(steps, .drop(step: index),
                  "drop step \(index + 1): \(reference.describe(rule.steps[index], in: rule))")
        }
        guard !rule.isAtomic else { continue }
        for index in rule.steps.indices.dropLast()
            where rule.steps[index] != rule.steps[index + 1] && !rule.steps[index].isBookkeeping(under: model.scheme)
                && !rule.steps[index + 1].isBookkeeping(under: model.scheme) {
            var steps = rule.steps
            steps.swapAt(index, index + 1)
            check(steps, .swap(step: index),
                  "swap steps \(index + 1)-\(index + 2): \(reference.describe(rule.steps[index + 1], in: rule)) before \(reference.describe(rule.steps[index], in: rule))")
        }
    }
    return findings
}
