import CMemory
import TPTModel

/// One shard of the `StateStore`: rows, and a table that finds them (or,
/// compact, a table of fingerprints: a state whose 64-bit hash equals a stored
/// one's counts as stored, so a collision can only hide a state, never add one).
///
/// Rows are `words` 64-bit words each, contiguous, in discovery order, in a
/// region that grows by remapping (no copy) and sits on 2 MiB pages once large.
///
/// Invariants: `count` rows are stored; the table holds exactly one entry per
/// stored row (compact: one fingerprint per stored state) and is between 53 %
/// and 80 % full once past its first size; no two rows are equal.
final class Shard {
    let words: Int
    let compact: Bool
    private(set) var count = 0
    /// Compact: rows below this one were given back to the kernel.
    private var releasedRows = 0
    private var rows: MappedRegion<UInt64>
    /// Open addressing, linear probing; 0 means empty. An entry holds row + 1
    /// in its low bits and, above them (`tagMask`), the same bits of the
    /// state's hash: a tag that lets a probe pass other states without loading
    /// their rows (each such load is a cache miss in a big store).
    private var table: MappedRegion<UInt32>
    /// Compact: the table, of fingerprints instead of row numbers.
    private var fingerprints: MappedRegion<UInt64>
    /// The entry bits that hold the tag: those above the widest row + 1 the
    /// table can hold (row + 1 <= count < tableSize).
    private var tagMask: UInt32
    /// Any size (not a power of two): the table grows by half when more than
    /// 80 % full, so it is always between 53 % and 80 % full, and a state
    /// costs its row plus at most 7.5 bytes of table (a compact store: at most
    /// 15 bytes of fingerprints, and no row once its level is expanded).
    private var tableSize: Int
    /// Keeps the next shard's fields, which another thread writes, off the
    /// cache lines of these (objects are allocated one after another).
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

    deinit {
        rows.free()
        table.free()
        fingerprints.free()
    }

    var bytesAllocated: Int { (count - releasedRows) * words * 8 + tableSize * (compact ? 8 : 4) }

    func dropRows(below index: Int) {
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
    func prefetchSlot(hash: UInt64) {
        if compact {
            tpt_prefetch(fingerprints.base + home(Self.fingerprint(hash)))
        } else {
            tpt_prefetch(table.base + home(hash))
        }
    }

    /// Prefetches the row of the first slot on the hash's probe whose tag matches.
    @inline(__always)
    func prefetchRow(hash: UInt64) {
        guard !compact else { return }
        let tag = tag(hash)
        var slot = home(hash)
        while true {
            let entry = table.base[slot]
            if entry == 0 { return }
            if entry & tagMask == tag { return tpt_prefetch(row(rowIndex(entry))) }
            slot = next(slot)
        }
    }

    /// The row holding the state (exact stores only).
    @inline(__always)
    func find(_ state: PackedState, hash: UInt64) -> Int? {
        precondition(!compact, "a compact store does not find rows")
        let tag = tag(hash)
        var slot = home(hash)
        while true {
            let entry = table.base[slot]
            if entry == 0 { return nil }
            if entry & tagMask == tag, rowEquals(rowIndex(entry), state) { return rowIndex(entry) }
            slot = next(slot)
        }
    }

    @inline(__always)
    func insert(_ state: PackedState, hash: UInt64) -> Bool {
        if compact { return insertFingerprint(state, hash: hash) }
        let tag = tag(hash)
        var slot = home(hash)
        while true {
            let entry = table.base[slot]
            if entry == 0 { break }
            if entry & tagMask == tag, rowEquals(rowIndex(entry), state) { return false }
            slot = next(slot)
        }
        appendRow(state)
        table.base[slot] = tag | UInt32(count)
        if isCrowded { growTable() }
        return true
    }

    private func insertFingerprint(_ state: PackedState, hash: UInt64) -> Bool {
        let fingerprint = Self.fingerprint(hash)
        var slot = home(fingerprint)
        while true {
            let entry = fingerprints.base[slot]
            if entry == 0 { break }
            if entry == fingerprint { return false }
            slot = next(slot)
        }
        fingerprints.base[slot] = fingerprint
        appendRow(state)
        if isCrowded { growTable() }
        return true
    }

    @inline(__always)
    private func appendRow(_ state: PackedState) {
        precondition(count < StateStore.maxRowsPerShard, "a shard of the state store is full")
        if (count + 1) * words > rows.capacity { rows = rows.resized(to: rows.capacity * 2) }
        let base = row(count)
        for word in 0..<words { base[word] = state.words[word] }
        count += 1
    }

    private func growTable() {
        let size = tableSize + tableSize / 2
        if compact {
            let old = fingerprints, oldSize = tableSize
            fingerprints = MappedRegion(capacity: size)
            tableSize = size
            for index in 0..<oldSize where old.base[index] != 0 {
                var slot = home(old.base[index])
                while fingerprints.base[slot] != 0 { slot = next(slot) }
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
            var slot = home(hash)
            while table.base[slot] != 0 { slot = next(slot) }
            table.base[slot] = tag(hash) | UInt32(index + 1)
        }
    }
}
