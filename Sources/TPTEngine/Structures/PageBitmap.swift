/// A set of page numbers kept as a bitmap per aligned group of 512 pages, found
/// through a small open-addressing index of groups. A trace touches pages in
/// clusters, so the index stays small enough to live in the CPU's caches and a
/// membership test is two nearby reads, where a flat hash of every page misses
/// the caches on a random-access trace (measured: over half of a GUPS replay).
///
/// Any 64-bit keys do (the replay also keeps its tables here, keyed by level
/// and prefix); clustered ones make small indexes.
///
/// Invariant: `keys` holds each group once as `group + 1` (0 is empty), with
/// linear probing and at most half full; `starts[slot]` is where that group's
/// 512 bits (8 words) begin in `words`.
public struct PageBitmap {
    private var keys: [UInt64]
    /// Per key slot, where its group's bits start in `words` (8 words each).
    private var starts: [Int]
    private var words: [UInt64] = []
    private var mask: Int
    private var groups = 0
    public private(set) var count = 0

    public init() {
        keys = Array(repeating: 0, count: 64)
        starts = Array(repeating: 0, count: 64)
        mask = 63
    }

    @inline(__always)
    private func home(_ group: UInt64) -> Int { Int(truncatingIfNeeded: (group &* 0x9E37_79B9_7F4A_7C15) >> 24) & mask }

    /// The start of the group's bits, or -1.
    @inline(__always)
    private func find(_ group: UInt64) -> Int {
        var slot = home(group)
        while true {
            let stored = keys[slot]
            if stored == group &+ 1 { return starts[slot] }
            if stored == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    public func contains(_ page: UInt64) -> Bool {
        let start = find(page >> 9)
        return start >= 0 && words[start + Int(page >> 6 & 7)] >> (page & 63) & 1 != 0
    }

    /// Whether it was new.
    @discardableResult
    public mutating func insert(_ page: UInt64) -> Bool {
        var start = find(page >> 9)
        if start < 0 { start = addGroup(page >> 9) }
        let index = start + Int(page >> 6 & 7), bit = UInt64(1) << (page & 63)
        if words[index] & bit != 0 { return false }
        words[index] |= bit
        count += 1
        return true
    }

    /// Whether it was a member. (Emptied groups keep their place.)
    @discardableResult
    public mutating func remove(_ page: UInt64) -> Bool {
        let start = find(page >> 9)
        guard start >= 0 else { return false }
        let index = start + Int(page >> 6 & 7), bit = UInt64(1) << (page & 63)
        if words[index] & bit == 0 { return false }
        words[index] &= ~bit
        count -= 1
        return true
    }

    private mutating func addGroup(_ group: UInt64) -> Int {
        if (groups + 1) * 2 > keys.count { grow() }
        let start = words.count
        words += Array(repeating: 0, count: 8)
        place(group, start)
        groups += 1
        return start
    }

    private mutating func place(_ group: UInt64, _ start: Int) {
        var slot = home(group)
        while keys[slot] != 0 { slot = (slot + 1) & mask }
        keys[slot] = group &+ 1
        starts[slot] = start
    }

    private mutating func grow() {
        let (oldKeys, oldStarts) = (keys, starts)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        starts = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (key, start) in zip(oldKeys, oldStarts) where key != 0 { place(key &- 1, start) }
    }
}
