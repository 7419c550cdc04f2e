/// A set-associative cache of 64-bit keys with least-recently-used replacement:
/// the one structure behind every TLB, page-walk cache, nested TLB and
/// page-table line cache the engine models. Only presence is kept (what a key
/// maps to is the trace's business, not the cost's).
///
/// A key's set is its low bits (the number of sets is a power of two), as in
/// x86 TLBs indexed by the low bits of the virtual page number. Within a set
/// the ways are kept most recent first, so a hit moves its entry to the front
/// and a miss evicts the last one.
///
/// Invariant: in each set, valid entries (tagged with `valid`) come first, in
/// order of last use, and are distinct.
public final class SetAssociativeCache {
    public let entries: Int
    public let ways: Int
    public let sets: Int
    private let setMask: UInt64
    private let storage: UnsafeMutablePointer<UInt64>
    private static let valid: UInt64 = 1 << 63

    /// - Precondition: `ways` divides `entries` and the quotient is a power of
    ///   two; or `entries` is 0, a cache that is never hit (to model its absence).
    public init(entries: Int, ways: Int) {
        precondition(entries == 0 || (ways > 0 && entries % ways == 0), "a cache of \(entries) entries cannot have \(ways) ways")
        let ways = entries == 0 ? 0 : ways
        let sets = entries == 0 ? 1 : entries / ways
        precondition(sets & (sets - 1) == 0, "the number of sets (\(sets)) must be a power of two")
        self.entries = entries
        self.ways = ways
        self.sets = sets
        setMask = UInt64(sets - 1)
        storage = .allocate(capacity: entries)
        storage.initialize(repeating: 0, count: entries)
    }

    deinit { storage.deallocate() }

    /// Looks the key up; a miss inserts it. Returns whether it hit.
    @inline(__always)
    public func access(_ key: UInt64) -> Bool {
        if ways == 0 { return false }
        let set = storage + Int(truncatingIfNeeded: key & setMask) &* ways
        let tagged = key | Self.valid
        if set[0] == tagged { return true }
        var way = 1
        while way < ways {
            if set[way] == tagged {
                moveToFront(set, from: way, tagged)
                return true
            }
            way += 1
        }
        moveToFront(set, from: ways - 1, tagged)
        return false
    }

    /// Whether the key is present; a hit counts as a use, a miss changes nothing.
    @inline(__always)
    public func lookup(_ key: UInt64) -> Bool {
        let set = storage + Int(truncatingIfNeeded: key & setMask) &* ways
        let tagged = key | Self.valid
        for way in 0..<ways where set[way] == tagged {
            moveToFront(set, from: way, tagged)
            return true
        }
        return false
    }

    /// Inserts the key as the most recent (evicting the least recent when the
    /// set is full); a present key just becomes the most recent.
    @inline(__always)
    public func insert(_ key: UInt64) { _ = access(key) }

    /// Removes the key if present.
    public func invalidate(_ key: UInt64) {
        let set = storage + Int(key & setMask) * ways
        let tagged = key | Self.valid
        for way in 0..<ways where set[way] == tagged {
            // Close the gap, keeping the order of the rest.
            for later in way..<(ways - 1) { set[later] = set[later + 1] }
            set[ways - 1] = 0
            return
        }
    }

    /// Removes every key for which the condition holds.
    public func invalidate(where condition: (UInt64) -> Bool) {
        for set in 0..<sets {
            let base = storage + set * ways
            var kept = 0
            for way in 0..<ways where base[way] != 0 && !condition(base[way] & ~Self.valid) {
                base[kept] = base[way]
                kept += 1
            }
            for way in kept..<ways { base[way] = 0 }
        }
    }

    public func invalidateAll() { storage.update(repeating: 0, count: entries) }

    /// The keys present, most recent first within each set (for tests and reports).
    public var contents: [[UInt64]] {
        (0..<sets).map { set in (0..<ways).compactMap { storage[set * ways + $0] == 0 ? nil : storage[set * ways + $0] & ~Self.valid } }
    }

    @inline(__always)
    private func moveToFront(_ set: UnsafeMutablePointer<UInt64>, from way: Int, _ tagged: UInt64) {
        var index = way
        while index > 0 {
            set[index] = set[index &- 1]
            index &-= 1
        }
        set[0] = tagged
    }
}
