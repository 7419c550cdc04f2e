import CMemory
import TPTModel

/// One shard of the `StateStore`: rows, and a table that finds them (or,
/// compact, a table of fingerprints: a state whose 64-bit hash equals a stored
/// one's counts as stored, so a collision can only hide a state, never add one).
///
/// Rows are `words` 64-bit words each, contiguous, in discovery order, in a
/// region that grows by remapping (no copy) and sits on 2 MiB pages once large.
///
/// A plain value with manual lifetime (its owner calls `free()` once), kept
/// where the store allocated it: a class reached through an array is retained
/// and released around calls on the hot path, at an atomic increment each.
///
/// Invariants: `count` rows are stored; the table holds exactly one entry per
/// stored row (compact: one fingerprint per stored state) and is between 53 %
/// and 80 % full once past its first size; no two rows are equal.
struct Shard {
    let words: Int
    let compact: Bool
    private(set) var count = 0
    /// Compact: rows below this one were given back to the kernel.
    private var releasedRows = 0
    private var rows: MappedRegion<UInt64>
    /// Open addressing over buckets of 16 entries, one cache line each; 0
    /// means empty. An entry holds row + 1 in its low bits and, above them
    /// (`tagMask`), the same bits of the state's hash: a tag that lets a lookup
    /// pass other states without loading their rows (each such load is a cache
    /// miss in a big store). A lookup compares a whole bucket's tags at once
    /// and goes on to the next bucket only when this one is full.
    private var table: MappedRegion<UInt32>
    /// Compact: the table, of fingerprints instead of row numbers.
    private var fingerprints: MappedRegion<UInt64>
    /// The entry bits that hold the tag: those above the widest row + 1 the
    /// table can hold (row + 1 <= count < tableSize).
    private var tagMask: UInt32
    /// Slots, a whole number of buckets (not a power of two): the table grows
    /// by half when more than 80 % full, so it is always between 53 % and 80 %
    /// full, and a state costs its row plus at most 7.5 bytes of table (a
    /// compact store: at most 15 bytes of fingerprints, and no row once its
    /// level is expanded). Buckets are cache lines: the region is page-aligned.
    private var tableSize: Int
    private static let bucketSize = 16
    /// Keeps the next shard's fields, which another thread writes, off the
    /// cache lines of these (shards sit one after another).
    private let padding = CacheLinePadding()

    init(words: Int, compact: Bool) {
        self.words = words
        self.compact = compact
        let size = 64
        tableSize = size
        table = MappedRegion(capacity: compact ? 1 : size)
        fingerprints = MappedRegion(capacity: compact ? size : 1)
        tagMask = Self.tagMask(tableSize: size)
        rows = MappedRegion(capacity: 256 * words)
    }

    func free() {
        rows.free()
        table.free()
        fingerprints.free()
    }

    var bytesAllocated: Int { (count - releasedRows) * words * 8 + tableSize * (compact ? 8 : 4) }

    mutating func dropRows(below index: Int) {
        guard index > releasedRows else { return }
        rows.discard(first: index * words)
        releasedRows = index
    }

    @inline(__always)
    private static func tagMask(tableSize: Int) -> UInt32 {
        let rowBits = Int.bitWidth - tableSize.leadingZeroBitCount
        return rowBits >= 32 ? 0 : ~0 << UInt32(rowBits)
    }

    @inline(__always)
    private func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash) & tagMask }

    /// The row an entry names (entry not 0).
    @inline(__always)
    private func rowIndex(_ entry: UInt32) -> Int { Int(entry & ~tagMask) - 1 }

    /// A fingerprint is the hash, never 0 (the empty slot).
    @inline(__always)
    private static func fingerprint(_ hash: UInt64) -> UInt64 { hash | 1 }

    @inline(__always)
    private func row(_ index: Int) -> UnsafeMutablePointer<UInt64> { rows.base + index * words }

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

    /// The hash onto 0..<size: Lemire's multiply-shift onto any size, of the
    /// bits the shard did not take.
    @inline(__always)
    private static func reduce(_ hash: UInt64, onto size: Int) -> Int {
        Int(truncatingIfNeeded: (hash << UInt64(StateStore.shardBits)).multipliedFullWidth(by: UInt64(size)).high)
    }

    /// The first of the bucket to look in for a state: its entries follow.
    @inline(__always)
    private func homeBucket(_ hash: UInt64) -> Int { Self.reduce(hash, onto: tableSize / Self.bucketSize) * Self.bucketSize }

    @inline(__always)
    private func nextBucket(_ bucket: Int) -> Int { bucket + Self.bucketSize == tableSize ? 0 : bucket + Self.bucketSize }

    /// Compact: the fingerprint slot to probe first.
    @inline(__always)
    private func homeSlot(_ fingerprint: UInt64) -> Int { Self.reduce(fingerprint, onto: tableSize) }

    @inline(__always)
    private func nextSlot(_ slot: Int) -> Int { slot + 1 == tableSize ? 0 : slot + 1 }

    /// The bucket's empty slots and the filled ones whose tags are the
    /// hash's, as bit masks (bit i for the bucket's entry i).
    @inline(__always)
    private func scan(_ entries: UnsafePointer<UInt32>, tag: UInt32) -> (empty: UInt32, matching: UInt32) {
        let bits = tpt_scan_bucket(entries, tagMask, tag)
        return (bits >> 16, bits & 0xFFFF)
    }

    @inline(__always)
    private var isCrowded: Bool { count * 5 > tableSize * 4 }

    @inline(__always)
    func prefetchHome(hash: UInt64) {
        if compact {
            tpt_prefetch(fingerprints.base + homeSlot(Self.fingerprint(hash)))
        } else {
            tpt_prefetch(table.base + homeBucket(hash))
        }
    }

    /// Prefetches the row of the first entry of the hash's home bucket whose tag matches.
    @inline(__always)
    func prefetchRow(hash: UInt64) {
        guard !compact else { return }
        let entries = table.base + homeBucket(hash)
        let matching = scan(entries, tag: tag(hash)).matching
        if matching != 0 { tpt_prefetch(row(rowIndex(entries[matching.trailingZeroBitCount]))) }
    }

    /// The row holding the state (exact stores only).
    @inline(__always)
    func find(_ state: PackedState, hash: UInt64) -> Int? {
        precondition(!compact, "a compact store does not find rows")
        switch lookUp(state, hash: hash) {
        case .stored(let row): return row
        case .absent: return nil
        }
    }

    @inline(__always)
    mutating func insert(_ state: PackedState, hash: UInt64) -> Bool {
        if compact { return insertFingerprint(state, hash: hash) }
        guard case .absent(let slot) = lookUp(state, hash: hash) else { return false }
        appendRow(state)
        table.base[slot] = tag(hash) | UInt32(count)
        if isCrowded { growTable() }
        return true
    }

    private enum LookUp {
        case stored(row: Int)
        /// The empty slot the state would take.
        case absent(slot: Int)
    }

    /// Where the state is, or the slot it would take: the first empty one from
    /// its home bucket on. (No entry is ever removed, so a state is never past
    /// a bucket with room.)
    @inline(__always)
    private func lookUp(_ state: PackedState, hash: UInt64) -> LookUp {
        let tag = tag(hash)
        var bucket = homeBucket(hash)
        while true {
            let entries = table.base + bucket
            var (empty, matching) = scan(entries, tag: tag)
            while matching != 0 {
                let row = rowIndex(entries[matching.trailingZeroBitCount])
                if rowEquals(row, state) { return .stored(row: row) }
                matching &= matching - 1
            }
            if empty != 0 { return .absent(slot: bucket + empty.trailingZeroBitCount) }
            bucket = nextBucket(bucket)
        }
    }

    private mutating func insertFingerprint(_ state: PackedState, hash: UInt64) -> Bool {
        let fingerprint = Self.fingerprint(hash)
        var slot = homeSlot(fingerprint)
        while true {
            let entry = fingerprints.base[slot]
            if entry == 0 { break }
            if entry == fingerprint { return false }
            slot = nextSlot(slot)
        }
        fingerprints.base[slot] = fingerprint
        appendRow(state)
        if isCrowded { growTable() }
        return true
    }

    @inline(__always)
    private mutating func appendRow(_ state: PackedState) {
        precondition(count < StateStore.maxRowsPerShard, "a shard of the state store is full")
        if (count + 1) * words > rows.capacity { rows = rows.resized(to: rows.capacity * 2) }
        let base = row(count)
        for word in 0..<words { base[word] = state.words[word] }
        count += 1
    }

    private mutating func growTable() {
        let size = (tableSize + tableSize / 2 + Self.bucketSize - 1) / Self.bucketSize * Self.bucketSize
        if compact {
            let old = fingerprints, oldSize = tableSize
            fingerprints = MappedRegion(capacity: size)
            tableSize = size
            for index in 0..<oldSize where old.base[index] != 0 {
                var slot = homeSlot(old.base[index])
                while fingerprints.base[slot] != 0 { slot = nextSlot(slot) }
                fingerprints.base[slot] = old.base[index]
            }
            old.free()
            return
        }
        table.free()
        table = MappedRegion(capacity: size)
        tableSize = size
        tagMask = Self.tagMask(tableSize: size)
        for index in 0..<count {
            let hash = StateStore.hash(state(at: index), words: words)
            var bucket = homeBucket(hash)
            while true {
                let empty = scan(table.base + bucket, tag: 0).empty
                if empty != 0 {
                    table.base[bucket + empty.trailingZeroBitCount] = tag(hash) | UInt32(index + 1)
                    break
                }
                bucket = nextBucket(bucket)
            }
        }
    }
}
