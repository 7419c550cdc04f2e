/// Where a radix page table's tables live: each table is a 4 KiB frame of 512
/// entries at an address computed from its level and the page number's bits
/// above it, so a walk needs no lookup. Tables of one level are adjacent in
/// the order of the addresses they map, as an OS that allocates them in
/// address order would place them. Level 0 is the leaf table.
struct TableLayout {
    let levels: Int
    /// The first frame of this address space's tables.
    let base: UInt64

    /// The frame of the table at the level on the page's path.
    @inline(__always)
    func table(level: Int, page: UInt64) -> UInt64 {
        base &+ UInt64(level) << 40 &+ page >> UInt64(9 * (level + 1))
    }

    /// The byte address of the page's entry at the level.
    @inline(__always)
    func entryAddress(level: Int, page: UInt64) -> UInt64 {
        table(level: level, page: page) << 12 | (page >> UInt64(9 * level) & 511) << 3
    }
}

/// Which pages are mapped and which tables exist: the same under every scheme
/// (the guest's table has one shape, and the shadow, a pv or a TPT table
/// copies it), so kept once per replay and consulted only on TLB misses.
final class PageTableShape {
    let levels: Int
    private var tables = PageBitmap()
    private var mapped = PageBitmap()
    private var everMapped = PageBitmap()

    init(levels: Int) { self.levels = levels }

    /// What mapping a page made.
    struct Fault {
        /// Tables made below the root: each needs an entry in its parent.
        var newTables: Int
        /// The root table was made (the first fault).
        var newRoot: Bool
        /// The page was never mapped before (not a re-map after an unmap).
        var firstTouch: Bool
        /// Entries written: the leaf and one per new table below the root.
        var writes: Int { newTables + 1 }
    }

    @inline(__always)
    func isMapped(_ page: UInt64) -> Bool { mapped.contains(page) }

    func map(_ page: UInt64) -> Fault {
        var fault = Fault(newTables: 0, newRoot: false, firstTouch: everMapped.insert(page))
        for level in 0..<levels where tables.insert(UInt64(level) << 58 | page >> UInt64(9 * (level + 1))) {
            if level == levels - 1 { fault.newRoot = true } else { fault.newTables += 1 }
        }
        mapped.insert(page)
        return fault
    }

    /// Clears the page's leaf entry (tables stay). Whether it was mapped.
    func unmap(_ page: UInt64) -> Bool { mapped.remove(page) }
}
