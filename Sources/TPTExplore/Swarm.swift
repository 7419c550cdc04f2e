import Foundation
import TPTModel

/// One member of a swarm (Holzmann, Joshi and Groce, "Swarm Verification",
/// ASE 2008): a depth-first search that takes successors in an order shuffled
/// by its seed, within a depth bound and the state limit. Differently seeded
/// members head into different parts of a state space too big for one
/// exhaustive search, so a batch of them, one per machine, finds violations
/// that are deep or rare.
///
/// A member proves nothing unless it happens to exhaust the state space
/// (never cut by the depth bound, the state limit or the clock): otherwise
/// finding no violation is `incomplete`, never `holds`. Its counterexamples
/// are real but not necessarily shortest.
public func swarmSearch(_ system: TransitionSystem, seed: UInt64, maxDepth: Int = 200,
                        options: ExploreOptions = ExploreOptions()) -> ExploreResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let words = system.layout.words
    let store = StateStore(words: words)
    let reduction = options.reduction(for: system)
    let maxStates = options.maxStates ?? 1_000_000
    let deadline = options.maxSeconds.map { start + UInt64($0 * 1e9) }
    var random = SwarmRandom(seed: seed)

    let initial = reduction?.representative(system.initialState()) ?? system.initialState()
    _ = store.insert(initial, hash: StateStore.hash(initial, words: words))
    /// The path: each frame's state, where its successors start in `pending`,
    /// and the range of them not yet entered.
    var path: [(state: PackedState, start: Int, next: Int, end: Int)] = [(initial, 0, 0, 0)]
    var pending: [PackedState] = []
    var transitions = 0, deepest = 0
    var cut = false, stopped: String?
    var broken: [Property] = []

    // Expands the top frame: its new successors, shuffled, become its pending range.
    func expandTop() {
        let from = pending.count
        system.forEachSuccessor(of: path[path.count - 1].state) { _, next, violation in
            transitions += 1
            if let violation, !broken.contains(violation.property) { broken.append(violation.property) }
            if broken.isEmpty {
                let representative = reduction?.representative(next) ?? next
                if store.insert(representative, hash: StateStore.hash(representative, words: words)) { pending.append(representative) }
            }
            return true
        }
        for index in stride(from: pending.count - 1, to: from, by: -1) {
            pending.swapAt(index, from + Int(random.next() % UInt64(index - from + 1)))
        }
        path[path.count - 1].start = from
        path[path.count - 1].next = from
        path[path.count - 1].end = pending.count
    }

    expandTop()
    while broken.isEmpty, let top = path.last {
        if top.next == top.end {
            pending.removeLast(pending.count - top.start)
            path.removeLast()
            continue
        }
        let state = pending[top.next]
        path[path.count - 1].next += 1
        if path.count > maxDepth {
            cut = true
            continue
        }
        path.append((state, 0, 0, 0))
        deepest = max(deepest, path.count - 1)
        expandTop()
        if store.count > maxStates {
            stopped = "more than \(maxStates) states"
        } else if let maxBytes = options.maxBytes, store.bytesAllocated > maxBytes {
            stopped = "memory limit of \(formatBytes(maxBytes)) reached"
        } else if let deadline, DispatchTime.now().uptimeNanoseconds > deadline {
            stopped = "time limit of \(options.maxSeconds!) seconds reached"
        }
        if stopped != nil { break }
    }

    let verdict: Verdict
    if !broken.isEmpty {
        let states = path.map(\.state)
        verdict = .violated(system.properties.filter(broken.contains).map { property in
            counterexample(system, length: states.count - 1, property: property, reduction: reduction) { step, representative in
                representative == states[step]
            }
        })
    } else if let stopped {
        verdict = .incomplete(reason: "no violation in a swarm search with seed \(seed) (\(stopped))")
    } else if cut {
        verdict = .incomplete(reason: "no violation in a swarm search with seed \(seed) within depth \(maxDepth)")
    } else {
        verdict = .holds
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // A member stops at its first violation: what it did not break, it did not decide.
    let open = system.properties.filter { !broken.contains($0) }
    return ExploreResult(verdict: verdict, states: store.count, transitions: transitions,
                         depth: broken.isEmpty ? deepest : path.count, seconds: seconds, storeBytes: store.bytesAllocated,
                         undecided: broken.isEmpty || open.isEmpty ? nil
                             : Undecided(properties: open, reason: "a swarm member stops at its first violation"))
}

/// SplitMix64, seeded by the swarm member's number (and by the random model
/// generator's seed): the same sequence on every machine.
public struct SwarmRandom: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
