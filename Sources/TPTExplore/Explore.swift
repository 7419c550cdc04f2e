import Foundation
import TPTModel

/// Limits on one exploration.
public struct ExploreOptions: Sendable {
    /// Stop, inconclusive, once the search finds more distinct states than this.
    public var maxStates: Int?
    /// Stop, inconclusive, after about this many seconds.
    public var maxSeconds: Double?
    /// Stop, inconclusive, once the state store holds more bytes than this.
    public var maxBytes: Int?
    /// Store one state per class of states that differ only in the names of
    /// interchangeable VMs and frames (`SymmetryReduction`).
    public var symmetry: Bool
    /// Threads that expand and insert states. Any number gives the same
    /// states, verdict and counterexample.
    public var threads: Int
    /// Called about once a second on long searches.
    public var progress: (@Sendable (ExploreProgress) -> Void)?
    /// Hash compaction: store 64-bit fingerprints of states instead of the
    /// states, and only the levels still to expand. A fingerprint collision
    /// hides a state (`ExploreResult.omissionBound` bounds the chance), so a
    /// "holds" is probabilistic; a violation is real, and its trace is rebuilt
    /// by an exact search to its depth.
    public var compact = false
    /// Expand no level at or beyond this depth (for rebuilding a trace).
    var maxDepth: Int?
    /// Stop once the level that first breaks a property is done, leaving the
    /// properties still open `undecided`: for a caller that asks only whether
    /// the model holds.
    public var stopAtFirstViolation = false
    /// Instead of an exhaustive search, one member of a swarm of seeded
    /// depth-first searches (`swarmSearch`), for `checkModel`.
    public var swarmSeed: UInt64?

    /// The symmetry reduction to apply: none when switched off, or when no
    /// two VMs and no two frames are interchangeable.
    func reduction(for system: TransitionSystem) -> SymmetryReduction? {
        guard symmetry else { return nil }
        let reduction = SymmetryReduction(system)
        return reduction.isTrivial ? nil : reduction
    }

    /// Frontier states expanded between two insertion phases.
    static let window = 1 << 13

    public init(maxStates: Int? = nil, maxSeconds: Double? = nil, maxBytes: Int? = nil, symmetry: Bool = true,
                threads: Int = 1, compact: Bool = false, progress: (@Sendable (ExploreProgress) -> Void)? = nil) {
        self.maxStates = maxStates
        self.maxSeconds = maxSeconds
        self.maxBytes = maxBytes
        self.symmetry = symmetry
        self.threads = threads
        self.compact = compact
        self.progress = progress
    }
}

/// What an exploration found. `incomplete` is never a success: some reachable
/// states were not visited.
public enum Verdict: Sendable {
    case holds
    /// For each property found broken, its own shortest counterexample, in the
    /// order the model checks them. The other properties hold, unless the
    /// result lists them as `undecided`.
    case violated([Counterexample])
    case incomplete(reason: String)

    /// The properties found broken (empty unless violated).
    public var violatedProperties: [Property] { counterexamples.map(\.property) }

    /// Each broken property's shortest counterexample (empty unless violated).
    public var counterexamples: [Counterexample] {
        if case .violated(let counterexamples) = self { return counterexamples }
        return []
    }
}

/// The result of exploring one model, with the figures a user compares runs by.
public struct ExploreResult: Sendable {
    public var verdict: Verdict
    /// Distinct states stored.
    public var states: Int
    /// Transitions generated (successors evaluated, including ones to known states).
    public var transitions: Int
    /// For a violation, the length of the shortest counterexample; otherwise the
    /// breadth-first depth reached (the longest shortest path to a visited state).
    public var depth: Int
    public var seconds: Double
    /// Bytes held by the state store at the end.
    public var storeBytes: Int
    /// Hash compaction: an upper bound on the probability that a fingerprint
    /// collision hid some state (n states, 64-bit fingerprints: n^2 / 2^65).
    public var omissionBound: Double?
    /// With a `violated` verdict: the properties the search stopped before
    /// deciding (a limit was reached after others were found broken). They
    /// are neither broken nor holding.
    public var undecided: Undecided?
    /// How often each rule, step and guest action fired; nil from a search
    /// that does not count (a swarm member).
    public var coverage: Coverage?
}

/// Properties a search did not decide, and why it stopped.
public struct Undecided: Sendable {
    public var properties: [Property]
    public var reason: String
}

/// Exhaustive breadth-first search of a model's reachable states, on several
/// threads.
///
/// Properties are checked on every transition. States are expanded level by
/// level, so the first transition that breaks a property ends a shortest
/// counterexample for it; the search rebuilds that trace once the level is
/// done, and goes on until every property is decided: broken, or holding
/// because every reachable state was expanded. A property labels
/// transitions and never prunes one, so each property's counterexample is
/// its own shortest, whatever the others do.
///
/// Each level is expanded in windows of frontier states. In a window, threads
/// first expand disjoint chunks (successors, their representatives and their
/// hashes; the store is only read), then each thread inserts the successors
/// that fall in its shards, in frontier order. So every shard sees the same
/// insertions in the same order whatever the number of threads, and the
/// states, their order, the verdict and the counterexample are the same for
/// every thread count.
public func explore(_ system: TransitionSystem, options: ExploreOptions = ExploreOptions()) -> ExploreResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let words = system.layout.words
    let store = StateStore(words: words, compact: options.compact)
    let reduction = options.reduction(for: system)
    let threads = max(1, options.threads)
    let chunks = (0..<(threads == 1 ? 1 : threads * 8)).map { _ in
        ExpansionChunk(inserters: threads, words: words, coverageSlots: system.coverageSlots)
    }
    let deadline = options.maxSeconds.map { start + UInt64($0 * 1e9) }
    var lastProgress = start

    store.beginLevel()
    let initial = reduction?.representative(system.initialState()) ?? system.initialState()
    _ = store.insert(initial, hash: StateStore.hash(initial, words: words))

    var depth = 0
    /// The properties found broken, and the level whose transitions broke them first.
    var found: [(property: Property, level: Int)] = []
    var counterexamples: [Counterexample] = []
    let checked = system.properties
    var open: [Property] { checked.filter { property in !found.contains { $0.property == property } } }
    var stopped: String?
    /// Every reachable state was expanded.
    var exhausted = false

    levels: while true {
        let frontier = Frontier(store.rows(ofLevel: depth))
        if frontier.count == 0 {
            exhausted = true
            break
        }
        if let maxDepth = options.maxDepth, depth >= maxDepth {
            stopped = "depth bound of \(maxDepth) reached"
            break
        }
        store.beginLevel()
        var windowStart = 0
        while windowStart < frontier.count {
            let window = windowStart..<min(windowStart + ExploreOptions.window, frontier.count)
            let storing = !open.isEmpty
            // Phase 1: expand chunks of the window; the store is only read.
            let perChunk = (window.count + chunks.count - 1) / chunks.count
            runConcurrently(threads == 1 ? 1 : chunks.count) { index in
                let chunk = chunks[index]
                chunk.reset()
                let lower = window.lowerBound + index * perChunk
                let upper = min(lower + perChunk, window.upperBound)
                guard lower < upper else { return }
                var successors = ChunkSuccessors(system: system, chunk: chunk, storing: storing, reduction: reduction, words: words,
                                                 counts: chunk.coverage)
                for position in lower..<upper {
                    successors.source = store.state(at: frontier[position])
                    successors.offered = GuestMoveMask()
                    _ = system.forEachSuccessor(of: successors.source, into: &successors)
                    system.countOffered(successors.offered, into: chunk.coverage)
                }
            }
            for chunk in chunks {
                for property in chunk.violations where open.contains(property) { found.append((property, depth)) }
            }
            // Phase 2: each thread inserts the new states of its shards, in frontier order.
            if storing {
                runConcurrently(threads) { thread in
                    for chunk in chunks { chunk.insert(part: thread, into: store) }
                }
            }
            windowStart = window.upperBound

            let now = DispatchTime.now().uptimeNanoseconds
            let states = store.count
            if let maxStates = options.maxStates, states > maxStates {
                stopped = "more than \(maxStates) states"
            } else if let maxBytes = options.maxBytes, store.bytesAllocated > maxBytes {
                stopped = "memory limit of \(formatBytes(maxBytes)) reached"
            } else if let deadline, now > deadline {
                stopped = "time limit of \(options.maxSeconds!) seconds reached"
            }
            if let progress = options.progress, now - lastProgress > 1_000_000_000 {
                lastProgress = now
                progress(ExploreProgress(depth: depth, states: states, frontier: frontier.count - windowStart,
                                         seconds: Double(now - start) / 1e9, bytes: store.bytesAllocated))
            }
            if stopped != nil || open.isEmpty { break levels }
        }
        if options.stopAtFirstViolation && !found.isEmpty && !open.isEmpty { stopped = "stopped at the first violation" }
        // The traces of what this level broke, while its rows are all stored.
        if !options.compact {
            for (property, level) in found where level == depth {
                counterexamples.append(reconstruct(system, store, level: depth, property: property, reduction: reduction))
            }
        }
        if stopped != nil { break }
        if options.compact { store.dropLevels(before: depth + 1) }
        depth += 1
    }
    if !options.compact {
        for (property, level) in found where level == depth && !counterexamples.contains(where: { $0.property == property }) {
            counterexamples.append(reconstruct(system, store, level: depth, property: property, reduction: reduction))
        }
    }

    var verdict: Verdict
    var undecided: Undecided?
    if !found.isEmpty && options.compact {
        // The rows on the way are gone: an exact search to the deepest level
        // that broke something rebuilds the traces.
        var exact = options
        exact.compact = false
        exact.maxDepth = found.map(\.level).max()! + 1
        exact.progress = nil
        let rebuilt = explore(system, options: exact)
        let traces = rebuilt.verdict.counterexamples.filter { trace in found.contains { $0.property == trace.property } }
        if traces.count == found.count {
            verdict = .violated(traces)
        } else {
            let broken = found.map { "\($0.property.rawValue) in \($0.level + 1) steps" }.joined(separator: ", ")
            verdict = .incomplete(reason: "\(broken), but the exact search that rebuilds the traces "
                                  + "stopped: \(rebuilt.verdict)")
        }
    } else if !found.isEmpty {
        verdict = .violated(checked.compactMap { property in counterexamples.first { $0.property == property } })
    } else if let stopped {
        verdict = .incomplete(reason: stopped)
    } else {
        verdict = .holds
    }
    if case .violated = verdict, let stopped, !open.isEmpty {
        undecided = Undecided(properties: open, reason: stopped)
    }
    // The chunks own the counters: alive until they are read.
    let coverage = withExtendedLifetime(chunks) { system.coverage(adding: chunks.map(\.coverage), exhaustive: exhausted) }
    let transitions = coverage.transitions.reduce(0, +)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let states = Double(store.count)
    let shortest = verdict.counterexamples.map(\.steps.count).min()
    return ExploreResult(verdict: verdict, states: store.count, transitions: transitions,
                         depth: shortest ?? max(depth - 1, 0), seconds: seconds, storeBytes: store.bytesAllocated,
                         omissionBound: options.compact ? min(1, states * states / 0x1p65) : nil, undecided: undecided,
                         coverage: coverage)
}

/// How far a search has come, for a progress line.
public struct ExploreProgress: Sendable {
    /// The level being expanded.
    public var depth: Int
    /// Distinct states stored.
    public var states: Int
    /// States of the level still to expand.
    public var frontier: Int
    public var seconds: Double
    /// Bytes held by the state store.
    public var bytes: Int
}

/// The states of one level in frontier order: shard by shard, row by row.
struct Frontier {
    private let ranges: [(shard: Int, rows: Range<Int>)]
    /// Positions where each shard's rows start.
    private let starts: [Int]
    let count: Int

    init(_ ranges: [(shard: Int, rows: Range<Int>)]) {
        self.ranges = ranges.filter { !$0.rows.isEmpty }
        var starts: [Int] = [], total = 0
        for range in self.ranges {
            starts.append(total)
            total += range.rows.count
        }
        self.starts = starts
        count = total
    }

    subscript(position: Int) -> StateStore.Reference {
        // The last range starting at or before the position.
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return StateStore.Reference(shard: ranges[low].shard, row: ranges[low].rows.lowerBound + position - starts[low])
    }
}

/// Runs `body(0..<count)`, on several threads when `count` is above one.
func runConcurrently(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count == 1 {
        body(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

func formatBytes(_ bytes: Int) -> String {
    let gib = Double(bytes) / Double(1 << 30)
    return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(bytes) / Double(1 << 20))
}

/// What expanding a state does with each transition: count it (in all and
/// for coverage), note what it breaks, and keep its target's representative
/// for the store.
private struct ChunkSuccessors: TransitionSink {
    let system: TransitionSystem
    let chunk: ExpansionChunk
    let storing: Bool
    let reduction: SymmetryReduction?
    let words: Int
    let counts: UnsafeMutablePointer<Int>
    /// The state being expanded, and what its guest moves offered.
    var source = PackedState()
    var offered = GuestMoveMask()

    @inline(__always)
    mutating func take(_ action: Action, _ next: PackedState, _ violation: Violation?) -> Bool {
        system.countCoverage(of: action, from: source, into: counts)
        if let violation { chunk.noteViolation(violation.property) }
        if storing {
            let representative = reduction?.representative(next) ?? next
            chunk.append(representative, StateStore.hash(representative, words: words))
        }
        return true
    }

    @inline(__always)
    mutating func offer(_ kind: Action.Kind, enabled: Bool, checks: PropertyCheck?) {
        offered.note(kind, enabled: enabled, checks: checks)
    }
}
