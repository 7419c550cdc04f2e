/// How often each part of a model fired in a search, TLC's `-coverage`: per
/// rule and step, and per guest action kind. Its point is the parts that never
/// fired: a rule whose guard never holds, or a property that nothing reachable
/// could break, leaves a "holds" that says nothing about it (`warnings`).
///
/// A step's or kind's count is of transitions, as the search's total counts
/// them (moves that change the state or break a property); the per-kind
/// counts add up to that total. Guest kinds also count the states where they
/// were enabled, whether or not they changed anything. Views add up: a rule
/// fires if it fires in the safety view or in the equivalence product.
public struct Coverage: Sendable {
    /// The model counted, for the names and locations of its rules.
    public let model: Model
    /// Per rule, its steps as written (`set_tag(f, free)`).
    public let stepTexts: [[String]]
    /// Transitions per action kind, by `Action.Kind.rawValue` (host rule
    /// starts and continuations too): they add up to the search's total.
    public var transitions: [Int]
    /// Per guest kind, the states where the view enumerated a move of it,
    /// enabled or not: a kind with none is not a move of this scheme and view.
    public var guestOffered: [Int]
    /// Per guest kind, the states where a move of it was enabled, changing
    /// the state or not (a flush of an empty TLB fires, and changes nothing).
    public var guestEnabled: [Int]
    /// Per rule, per step: the transitions that ran the step (an atomic rule's
    /// start runs all of them; so does every start in the equivalence product).
    public var ruleSteps: [[Int]]
    /// States with an enabled guest access that reached a frame (through the
    /// TLB or a walk): isolation and no_data_leak were checked there.
    public var accessesChecked: Int
    /// States of the equivalence product with a translation where either
    /// side produced a mapping: equivalent_to_nested was checked there.
    public var translationsChecked: Int
    /// Whether every reachable state was expanded. Only then does a zero mean
    /// "never": a search that stopped early may not have reached the state
    /// where a rule fires.
    public var exhaustive: Bool

    /// No counts, for the system's model.
    init(system: TransitionSystem, exhaustive: Bool) {
        model = system.model
        stepTexts = system.model.rules.map { rule in rule.steps.map { system.describe($0, in: rule) } }
        transitions = Array(repeating: 0, count: Action.Kind.allCases.count)
        guestOffered = transitions
        guestEnabled = transitions
        ruleSteps = model.rules.map { Array(repeating: 0, count: $0.steps.count) }
        accessesChecked = 0
        translationsChecked = 0
        self.exhaustive = exhaustive
    }

    /// Two searches' counts together (the safety view and the equivalence
    /// product); exhaustive only if both were.
    public static func + (a: Coverage, b: Coverage) -> Coverage {
        var sum = a
        sum.transitions = zip(a.transitions, b.transitions).map(+)
        sum.guestOffered = zip(a.guestOffered, b.guestOffered).map(+)
        sum.guestEnabled = zip(a.guestEnabled, b.guestEnabled).map(+)
        sum.ruleSteps = zip(a.ruleSteps, b.ruleSteps).map { zip($0, $1).map(+) }
        sum.accessesChecked += b.accessesChecked
        sum.translationsChecked += b.translationsChecked
        sum.exhaustive = a.exhaustive && b.exhaustive
        return sum
    }

    /// What never fired, as one sentence each (with the rule's location):
    /// rules that never ran, guest action kinds offered but never enabled,
    /// and checked properties that nothing reachable could break. None when
    /// the search was not exhaustive.
    public var warnings: [String] {
        guard exhaustive else { return [] }
        var warnings: [String] = []
        // A started rule always runs on to its end: a continuation is enabled,
        // or (an `await_flush`) becomes enabled once the vCPUs acknowledge, which
        // their moves can always do. So in an exhaustive search its later steps
        // run if its first does.
        for (rule, steps) in zip(model.rules, ruleSteps) where steps.first == 0 {
            warnings.append("\(rule.location): rule \(rule.name) never fires: no reachable state satisfies its guard with a change to the state")
        }
        for kind in Action.Kind.allCases where kind.isGuest {
            let index = Int(kind.rawValue)
            if guestOffered[index] > 0 && guestEnabled[index] == 0 {
                warnings.append("\(model.file): guest action \(kind.name) is never enabled in any reachable state")
            }
        }
        for property in model.properties {
            let checked = property.isSafety ? accessesChecked : translationsChecked
            if checked == 0 {
                let what = property.isSafety ? "no guest access reaches a frame" : "no translation produces a mapping under either scheme"
                warnings.append("\(model.file): \(property.rawValue) holds vacuously: \(what) in any reachable state")
            }
        }
        return warnings
    }
}

/// The counts as the explorer keeps them: plain memory, one block per
/// expanding thread, so that counting a transition is an increment or two.
/// The slots: transitions per action kind (their sum is the search's total),
/// per guest kind the states where it was offered and where it was enabled,
/// the states with a checked access and with a checked translation, then
/// per rule its starts, then per rule step (`RuleTable` order) the
/// continuations that ran it.
extension TransitionSystem {
    private static let kinds = Action.Kind.allCases.count
    private static let offeredBase = kinds
    private static let enabledBase = 2 * kinds
    private static let accessSlot = 3 * kinds
    private static let translationSlot = 3 * kinds + 1
    private static let startBase = 3 * kinds + 2
    private var continueBase: Int { Self.startBase + rules.stepStart.count }

    /// How many counters one block holds.
    public var coverageSlots: Int { continueBase + rules.steps.count }

    /// Counts a transition out of `source`.
    @inline(__always)
    public func countCoverage(of action: Action, from source: PackedState, into counts: UnsafeMutablePointer<Int>) {
        counts[Int(action.kind.rawValue)] += 1
        switch action.kind {
        case .startRule:
            counts[Self.startBase + Int(action.subject)] += 1
        case .continueRule:
            let thread = Int(action.subject)
            let rule = source[layout.threadRule[thread]] - 1, step = source[layout.threadStep[thread]]
            counts[continueBase + rules.stepStart[rule] + step] += 1
        default:
            break
        }
    }

    /// Counts what one state's guest moves offered (`GuestMoveMask`).
    @inline(__always)
    public func countOffered(_ mask: GuestMoveMask, into counts: UnsafeMutablePointer<Int>) {
        var offered = mask.offered, enabled = mask.enabled
        while offered != 0 {
            counts[Self.offeredBase + offered.trailingZeroBitCount] += 1
            offered &= offered - 1
        }
        while enabled != 0 {
            counts[Self.enabledBase + enabled.trailingZeroBitCount] += 1
            enabled &= enabled - 1
        }
        if mask.checks & 1 != 0 { counts[Self.accessSlot] += 1 }
        if mask.checks & 2 != 0 { counts[Self.translationSlot] += 1 }
    }

    /// The counts of several blocks, added up.
    public func coverage(adding blocks: [UnsafeMutablePointer<Int>], exhaustive: Bool) -> Coverage {
        var coverage = Coverage(system: self, exhaustive: exhaustive)
        func total(_ slot: Int) -> Int { blocks.reduce(0) { $0 + $1[slot] } }
        for kind in 0..<Self.kinds {
            coverage.transitions[kind] = total(kind)
            coverage.guestOffered[kind] = total(Self.offeredBase + kind)
            coverage.guestEnabled[kind] = total(Self.enabledBase + kind)
        }
        coverage.accessesChecked = total(Self.accessSlot)
        coverage.translationsChecked = total(Self.translationSlot)
        for rule in coverage.ruleSteps.indices {
            // An atomic start runs every step; so does every start in the equivalence product.
            let runsAll = view == .equivalence || rules.isAtomic[rule]
            for step in coverage.ruleSteps[rule].indices {
                coverage.ruleSteps[rule][step] = step == 0 || runsAll ? total(Self.startBase + rule)
                    : total(continueBase + rules.stepStart[rule] + step)
            }
        }
        return coverage
    }
}

/// What one state's guest moves offered, gathered move by move in registers
/// and counted once per state: bit `kind.rawValue` of `offered` (enumerated)
/// and `enabled`; `checks` bit 0 a checked access, bit 1 a checked translation.
public struct GuestMoveMask: Sendable {
    public var offered: UInt32 = 0
    public var enabled: UInt32 = 0
    public var checks: UInt8 = 0

    public init() {}

    @inline(__always)
    public mutating func note(_ kind: Action.Kind, enabled isEnabled: Bool, checks check: PropertyCheck?) {
        let bit = UInt32(1) << UInt32(kind.rawValue)
        offered |= bit
        if isEnabled { enabled |= bit }
        switch check {
        case .access?: checks |= 1
        case .translation?: checks |= 2
        case nil: break
        }
    }
}

/// Which property check an enabled guest move carried.
public enum PropertyCheck: Sendable {
    /// An access that reached a frame: isolation and no_data_leak.
    case access
    /// A translation of the equivalence product with a mapping on some side.
    case translation
}
