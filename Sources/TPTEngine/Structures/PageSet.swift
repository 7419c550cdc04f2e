/// A set of page numbers: open addressing with linear probing and a
/// multiplicative hash, for the replay's per-miss "is it mapped" question,
/// where `Set<UInt64>`'s seeded hashing costs more than the rest of the miss.
///
/// Invariant: `slots` holds each member once, as `page + 1` (0 is empty), at
/// or after its hash slot with no empty slot in between; at most half full.
public struct PageSet {
    private var slots: [UInt64]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func home(_ page: UInt64) -> Int { Int(truncatingIfNeeded: (page &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask }

    @inline(__always)
    public func contains(_ page: UInt64) -> Bool {
        var slot = home(page)
        while true {
            let stored = slots[slot]
            if stored == page &+ 1 { return true }
            if stored == 0 { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Whether it was new.
    @discardableResult
    public mutating func insert(_ page: UInt64) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        var slot = home(page)
        while slots[slot] != 0 {
            if slots[slot] == page &+ 1 { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = page &+ 1
        count += 1
        return true
    }

    /// Whether it was a member.
    @discardableResult
    public mutating func remove(_ page: UInt64) -> Bool {
        var slot = home(page)
        while slots[slot] != page &+ 1 {
            if slots[slot] == 0 { return false }
            slot = (slot + 1) & mask
        }
        // Backward-shift deletion keeps every later member reachable.
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let wanted = home(slots[next] &- 1)
            // Move it into the hole unless its home lies cyclically in (hole, next].
            if (next > hole && (wanted <= hole || wanted > next)) || (next < hole && wanted <= hole && wanted > next) {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        count -= 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for stored in old where stored != 0 { insert(stored &- 1) }
    }
}
