import TPTModel

/// The visited set and the breadth-first levels in one, split into shards by
/// hash so that threads insert into different shards without locks, and in an
/// order that does not depend on how many threads there are.
///
/// A state lives in the shard its hash's top bits name, as a row: `words`
/// 64-bit words in fixed-size blocks (no copying or doubling slack when the
/// store grows), found through that shard's open-addressing table of 32-bit
/// row numbers (kept between 53 % and 80 % full). Rows are appended in
/// discovery order, so each shard's rows of one BFS level are contiguous;
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
    /// Rows per block.
    static let blockBits = 10
    /// Rows per shard must fit the table's 32-bit entries.
    static let maxRowsPerShard = Int(UInt32.max - 1)

    let words: Int
    private let shards: [Shard]
    /// Per level, where it starts in each shard.
    private(set) var levelStarts: [[Int]] = []

    /// Hash compaction: the tables keep 64-bit fingerprints instead of row
    /// numbers, and rows are kept only for the levels still to expand.
    let compact: Bool

    init(words: Int, compact: Bool = false) {
        precondition((1...4).contains(words))
        self.words = words
        self.compact = compact
        shards = (0..<Self.shardCount).map { _ in Shard(words: words, compact: compact) }
    }

    /// A state's place: its shard and its row there.
    struct Reference: Hashable, Sendable {
        var shard: Int
        var row: Int
    }

    var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Bytes held by rows and tables.
    var bytesAllocated: Int { shards.reduce(0) { $0 + $1.bytesAllocated } }

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

    func state(at reference: Reference) -> PackedState { shards[reference.shard].state(at: reference.row) }

    /// Loads the table slot a hash starts at, and the row it names: loads whose
    /// cache misses can overlap others' before `insert` needs them.
    @inline(__always)
    func touch(hash: UInt64) -> UInt64 { shards[Self.shard(ofHash: hash)].touch(hash: hash) }

    /// Keeps the result of `touch` loads observable, so that the optimizer
    /// cannot drop them (racy writes of a value nobody reads are harmless).
    @inline(never)
    func keep(_ value: UInt64) { if value == 1 { touchSink = value } }
    private var touchSink: UInt64 = 0

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
        for (shard, start) in zip(shards, levelStarts[level]) { shard.dropRows(below: start) }
    }

    /// Marks the start of a new level: the rows added from now on.
    func beginLevel() { levelStarts.append(shards.map(\.count)) }

    /// The rows of a level (the last one: up to now), shard by shard.
    func rows(ofLevel level: Int) -> [(shard: Int, rows: Range<Int>)] {
        (0..<Self.shardCount).map { shard in
            let end = level + 1 < levelStarts.count ? levelStarts[level + 1][shard] : shards[shard].count
            return (shard, levelStarts[level][shard]..<end)
        }
    }
}

/// One shard: rows in blocks and a table of row numbers (or, compact, of
/// fingerprints: a state whose 64-bit hash equals a stored one's counts as
/// stored, so a collision can only hide a state, never add one).
final class Shard {
    let words: Int
    let compact: Bool
    private(set) var count = 0
    /// Compact: blocks below this one are released.
    private var releasedBlocks = 0
    private var fingerprints: UnsafeMutablePointer<UInt64>
    /// Pointers to the row blocks (plain memory: an array here costs an
    /// exclusivity check on every read of a row).
    private var blocks: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    private var blockCount = 0, blockCapacity = 16
    /// Open addressing, linear probing; 0 means empty, otherwise row + 1.
    private var table: UnsafeMutablePointer<UInt32>
    /// Any size (not a power of two): the table grows by half when more than
    /// 80 % full, so it is always between 53 % and 80 % full, and a state
    /// costs its row plus at most 7.5 bytes of table (a compact store: at most
    /// 15 bytes of fingerprints, and no row once its level is expanded).
    private var tableSize: Int

    init(words: Int, compact: Bool) {
        self.words = words
        self.compact = compact
        let size = 64
        table = .allocate(capacity: compact ? 1 : size)
        table.initialize(repeating: 0, count: compact ? 1 : size)
        fingerprints = .allocate(capacity: compact ? size : 1)
        fingerprints.initialize(repeating: 0, count: compact ? size : 1)
        tableSize = size
        blocks = .allocate(capacity: blockCapacity)
    }

    deinit {
        for block in releasedBlocks..<blockCount { blocks[block].deallocate() }
        blocks.deallocate()
        table.deallocate()
        fingerprints.deallocate()
    }

    var bytesAllocated: Int {
        (blockCount - releasedBlocks) * (words * 8 << StateStore.blockBits) + tableSize * (compact ? 8 : 4)
    }

    func dropRows(below index: Int) {
        let end = index >> StateStore.blockBits
        while releasedBlocks < end {
            blocks[releasedBlocks].deallocate()
            releasedBlocks += 1
        }
    }

    /// A fingerprint is the hash, never 0 (the empty slot).
    @inline(__always)
    private static func fingerprint(_ hash: UInt64) -> UInt64 { hash | 1 }

    @inline(__always)
    private func row(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        blocks[index >> StateStore.blockBits] + (index & (1 << StateStore.blockBits - 1)) * words
    }

    func state(at index: Int) -> PackedState {
        var state = PackedState()
        let base = row(index)
        for word in 0..<words { state.words[word] = base[word] }
        return state
    }

    @inline(__always)
    private func rowEquals(_ index: Int, _ state: PackedState) -> Bool {
        let base = row(index)
        for word in 0..<words where base[word] != state.words[word] { return false }
        return true
    }

    /// The table slot to probe first: the hash's low bits (the shard took the top ones).
    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        // Lemire's multiply-shift onto any size, of the bits the shard did not take.
        Int(truncatingIfNeeded: (hash << UInt64(StateStore.shardBits)).multipliedFullWidth(by: UInt64(tableSize)).high)
    }

    @inline(__always)
    private func next(_ slot: Int) -> Int { slot + 1 == tableSize ? 0 : slot + 1 }

    @inline(__always)
    private var isCrowded: Bool { count * 5 > tableSize * 4 }

    @inline(__always)
    func touch(hash: UInt64) -> UInt64 {
        if compact { return fingerprints[home(Self.fingerprint(hash))] }
        let entry = table[home(hash)]
        return entry == 0 ? 0 : row(Int(entry) - 1)[0]
    }

    /// The row holding the state (exact stores only).
    @inline(__always)
    func find(_ state: PackedState, hash: UInt64) -> Int? {
        precondition(!compact, "a compact store does not find rows")
        var slot = home(hash)
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if rowEquals(Int(entry) - 1, state) { return Int(entry) - 1 }
            slot = next(slot)
        }
    }

    @inline(__always)
    func insert(_ state: PackedState, hash: UInt64) -> Bool {
        if compact { return insertFingerprint(state, hash: hash) }
        var slot = home(hash)
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if rowEquals(Int(entry) - 1, state) { return false }
            slot = next(slot)
        }
        appendRow(state)
        table[slot] = UInt32(count)
        if isCrowded { growTable() }
        return true
    }

    private func insertFingerprint(_ state: PackedState, hash: UInt64) -> Bool {
        let fingerprint = Self.fingerprint(hash)
        var slot = home(fingerprint)
        while true {
            let entry = fingerprints[slot]
            if entry == 0 { break }
            if entry == fingerprint { return false }
            slot = next(slot)
        }
        fingerprints[slot] = fingerprint
        appendRow(state)
        if isCrowded { growTable() }
        return true
    }

    @inline(__always)
    private func appendRow(_ state: PackedState) {
        precondition(count < StateStore.maxRowsPerShard, "a shard of the state store is full")
        if count >> StateStore.blockBits == blockCount { addBlock() }
        let base = row(count)
        for word in 0..<words { base[word] = state.words[word] }
        count += 1
    }

    private func addBlock() {
        if blockCount == blockCapacity {
            let grown = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>.allocate(capacity: blockCapacity * 2)
            grown.moveInitialize(from: blocks, count: blockCount)
            blocks.deallocate()
            blocks = grown
            blockCapacity *= 2
        }
        (blocks + blockCount).initialize(to: .allocate(capacity: words << StateStore.blockBits))
        blockCount += 1
    }

    private func growTable() {
        let size = tableSize + tableSize / 2
        if compact {
            let old = fingerprints, oldSize = tableSize
            fingerprints = .allocate(capacity: size)
            fingerprints.initialize(repeating: 0, count: size)
            tableSize = size
            for index in 0..<oldSize where old[index] != 0 {
                var slot = home(old[index])
                while fingerprints[slot] != 0 { slot = next(slot) }
                fingerprints[slot] = old[index]
            }
            old.deallocate()
            return
        }
        table.deallocate()
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        tableSize = size
        for index in 0..<count {
            var slot = home(StateStore.hash(state(at: index), words: words))
            while table[slot] != 0 { slot = next(slot) }
            table[slot] = UInt32(index + 1)
        }
    }
}
