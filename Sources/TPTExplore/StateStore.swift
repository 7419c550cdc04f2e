import TPTModel

/// The visited set and the breadth-first levels in one, split into shards by
/// hash so that threads insert into different shards without locks, and in an
/// order that does not depend on how many threads there are.
///
/// A state lives in the shard its hash's top bits name, as a row: `words`
/// 64-bit words, found through that shard's open-addressing table of 32-bit
/// row numbers (`Shard`). Rows are appended in discovery order, so each
/// shard's rows of one BFS level are contiguous;
/// `levelStarts` records where each level begins in every shard, and a level's
/// rows, shard by shard, are the next frontier. No parent links are stored: a
/// counterexample is rebuilt by re-expanding the levels up to it
/// (`reconstruct`), which costs far less than 4 bytes on every state.
///
/// Invariants: each state is in at most one row; a shard is written by one
/// thread at a time and not read while it is written (`explore` alternates a
/// read-only expansion phase with a per-shard insertion phase).
final class StateStore: @unchecked Sendable {
    static let shardBits = 6
    static let shardCount = 1 << shardBits
    /// Rows per shard must fit the table's 32-bit entries.
    static let maxRowsPerShard = Int(UInt32.max - 1)

    let words: Int
    /// `shardCount` shards, allocated here and freed with the store.
    private let shards: UnsafeMutablePointer<Shard>
    /// Per level, where it starts in each shard.
    private(set) var levelStarts: [[Int]] = []

    /// Hash compaction: the tables keep 64-bit fingerprints instead of row
    /// numbers, and rows are kept only for the levels still to expand.
    let compact: Bool

    init(words: Int, compact: Bool = false) {
        precondition((1...4).contains(words))
        self.words = words
        self.compact = compact
        shards = .allocate(capacity: Self.shardCount)
        for shard in 0..<Self.shardCount { (shards + shard).initialize(to: Shard(words: words, compact: compact)) }
    }

    deinit {
        for shard in 0..<Self.shardCount { shards[shard].free() }
        shards.deinitialize(count: Self.shardCount)
        shards.deallocate()
    }

    private var allShards: UnsafeMutableBufferPointer<Shard> { UnsafeMutableBufferPointer(start: shards, count: Self.shardCount) }

    /// A state's place: its shard and its row there.
    struct Reference: Hashable, Sendable {
        var shard: Int
        var row: Int
    }

    var count: Int { allShards.reduce(0) { $0 + $1.count } }

    /// Bytes held by rows and tables.
    var bytesAllocated: Int { allShards.reduce(0) { $0 + $1.bytesAllocated } }

    @inline(__always)
    static func hash(_ state: PackedState, words: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<words {
            h = (h ^ state.words[index]) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    @inline(__always)
    static func shard(ofHash hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> UInt64(64 - shardBits)) }

    /// The thread, of `threads`, that inserts into the shard: every
    /// threads-th shard is one thread's.
    static func inserter(ofShard shard: Int, threads: Int) -> Int { shard % threads }

    func state(at reference: Reference) -> PackedState { shards[reference.shard].state(at: reference.row) }

    /// Prefetches the table bucket (compact: slot) a hash's lookup starts at:
    /// the first of the two cache misses of an insert, started early so that
    /// many overlap.
    @inline(__always)
    func prefetchHome(hash: UInt64) { shards[Self.shard(ofHash: hash)].prefetchHome(hash: hash) }

    /// Prefetches the row that the first entry with the hash's tag in its home
    /// bucket names: the second miss. The bucket should be in cache by now
    /// (`prefetchHome`).
    @inline(__always)
    func prefetchRow(hash: UInt64) { shards[Self.shard(ofHash: hash)].prefetchRow(hash: hash) }

    /// Where the state is stored, if it is (safe while no shard is being written).
    func reference(of state: PackedState, hash: UInt64) -> Reference? {
        let shard = Self.shard(ofHash: hash)
        return shards[shard].find(state, hash: hash).map { Reference(shard: shard, row: $0) }
    }

    /// Adds the state to its shard unless present; whether it was new. Only the
    /// thread that owns the shard in this phase may call it.
    @inline(__always)
    func insert(_ state: PackedState, hash: UInt64) -> Bool {
        shards[Self.shard(ofHash: hash)].insert(state, hash: hash)
    }

    /// Hash compaction: releases the rows of the levels before this one.
    func dropLevels(before level: Int) {
        for (shard, start) in levelStarts[level].enumerated() { shards[shard].dropRows(below: start) }
    }

    /// Marks the start of a new level: the rows added from now on.
    func beginLevel() { levelStarts.append(allShards.map(\.count)) }

    /// The rows of a level (the last one: up to now), shard by shard.
    func rows(ofLevel level: Int) -> [(shard: Int, rows: Range<Int>)] {
        (0..<Self.shardCount).map { shard in
            let end = level + 1 < levelStarts.count ? levelStarts[level + 1][shard] : shards[shard].count
            return (shard, levelStarts[level][shard]..<end)
        }
    }
}
