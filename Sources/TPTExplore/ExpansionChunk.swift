import TPTModel

/// What one thread found expanding a chunk of a window: the successors (their
/// representatives and hashes), the coverage counts, the violations.
///
/// The successors are split by the thread that inserts them (the owner of
/// their shard), so that in the insertion phase each thread reads only its own,
/// still in frontier order. Plain memory throughout: an append is on the hot
/// path, and an array of objects there costs reference counting and checks.
final class ExpansionChunk: @unchecked Sendable {
    /// Per inserting thread, the successors it inserts.
    private let parts: UnsafeMutablePointer<SuccessorList>
    private let inserters: Int
    /// Which part a shard's successors go to.
    private let partOfShard: UnsafeMutablePointer<UInt8>
    /// `parts` and `partOfShard`, in whole cache lines of their own: another
    /// chunk's small allocation next to them, written by another thread at the
    /// same time, would make every append a cache miss.
    private let memory: UnsafeMutableRawPointer
    /// The coverage counters of every state and transition this chunk
    /// expanded (`TransitionSystem.countCoverage`), kept across windows: the
    /// search's transition count too.
    let coverage: UnsafeMutablePointer<Int>
    private(set) var violations: [Property] = []
    /// Chunks are filled by different threads at once.
    private let padding = CacheLinePadding()

    init(inserters: Int, words: Int, coverageSlots: Int) {
        self.inserters = inserters
        coverage = .allocate(capacity: coverageSlots)
        coverage.initialize(repeating: 0, count: coverageSlots)
        let line = 128, partsBytes = inserters * MemoryLayout<SuccessorList>.stride
        memory = .allocate(byteCount: (partsBytes + StateStore.shardCount + line - 1) / line * line, alignment: line)
        parts = memory.bindMemory(to: SuccessorList.self, capacity: inserters)
        for part in 0..<inserters { (parts + part).initialize(to: SuccessorList(words: words)) }
        partOfShard = (memory + partsBytes).bindMemory(to: UInt8.self, capacity: StateStore.shardCount)
        for shard in 0..<StateStore.shardCount {
            partOfShard[shard] = UInt8(StateStore.inserter(ofShard: shard, threads: inserters))
        }
    }

    deinit {
        for part in 0..<inserters { parts[part].free() }
        memory.deallocate()
        coverage.deallocate()
    }

    func reset() {
        for part in 0..<inserters { parts[part].count = 0 }
        violations.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    func append(_ state: PackedState, _ hash: UInt64) {
        parts[Int(partOfShard[StateStore.shard(ofHash: hash)])].append(state, hash)
    }

    func noteViolation(_ property: Property) {
        if !violations.contains(property) { violations.append(property) }
    }

    /// Inserts the successors that thread `inserter` owns into the store.
    func insert(part inserter: Int, into store: StateStore) { parts[inserter].insert(into: store) }
}

/// Successors and their hashes, in the order found; a state takes `words`
/// words, not a whole `PackedState` (a window's successors should stay in
/// cache until they are inserted). A plain value with manual lifetime: its
/// owner calls `free()` once.
struct SuccessorList {
    private let words: Int
    private var states: UnsafeMutablePointer<UInt64>
    private var hashes: UnsafeMutablePointer<UInt64>
    var count = 0
    private var capacity = 1024

    init(words: Int) {
        self.words = words
        states = .allocate(capacity: capacity * words)
        hashes = .allocate(capacity: capacity)
    }

    func free() {
        states.deallocate()
        hashes.deallocate()
    }

    @inline(__always)
    mutating func append(_ state: PackedState, _ hash: UInt64) {
        if count == capacity { grow() }
        let row = states + count * words
        for word in 0..<words { row[word] = state.words[word] }
        hashes[count] = hash
        count += 1
    }

    @inline(__always)
    private func state(_ index: Int) -> PackedState {
        var state = PackedState()
        let row = states + index * words
        for word in 0..<words { state.words[word] = row[word] }
        return state
    }

    /// Inserts the states into the store, in order: the table bucket of the
    /// state 2d ahead and the row of the state d ahead are prefetched, so that
    /// their cache misses overlap instead of stalling one insert after another.
    func insert(into store: StateStore) {
        let d = 16
        for index in 0..<(count + 2 * d) {
            if index < count { store.prefetchHome(hash: hashes[index]) }
            if index >= d && index - d < count { store.prefetchRow(hash: hashes[index - d]) }
            if index >= 2 * d { _ = store.insert(state(index - 2 * d), hash: hashes[index - 2 * d]) }
        }
    }

    private mutating func grow() {
        let newStates = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2 * words)
        newStates.moveInitialize(from: states, count: count * words)
        states.deallocate()
        states = newStates
        let newHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
        newHashes.moveInitialize(from: hashes, count: count)
        hashes.deallocate()
        hashes = newHashes
        capacity *= 2
    }
}
