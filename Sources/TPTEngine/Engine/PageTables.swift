/// Frames of one physical address space, handed out in order as pages and
/// tables are first touched: a walk reference's address comes from them, so
/// references share cache lines the way real tables do.
final class FrameSpace {
    private(set) var allocated: UInt64 = 0
    /// Starts at `base` so that spaces (host frames, guest-physical pages) do
    /// not share line addresses.
    init(base: UInt64) { allocated = base }

    func allocate() -> UInt64 {
        defer { allocated += 1 }
        return allocated
    }
}

/// A radix page table of `levels` levels over page numbers, built as pages are
/// mapped. Level 0 is the leaf table, whose entry maps the page; level
/// `levels - 1` is the root. Each table is a 4 KiB frame of 512 entries.
final class PageTables {
    let levels: Int
    private let space: FrameSpace
    /// (level, the page number's bits above the level) to the table's frame.
    private var tables: [UInt64: UInt64] = [:]
    /// The pages with a leaf entry.
    private var mapped: Set<UInt64> = []

    init(levels: Int, space: FrameSpace) {
        self.levels = levels
        self.space = space
    }

    @inline(__always)
    private static func key(level: Int, page: UInt64) -> UInt64 { UInt64(level) << 58 | page >> UInt64(9 * (level + 1)) }

    /// The frame of the table at the level on the page's path (nil: not made yet).
    @inline(__always)
    func table(level: Int, page: UInt64) -> UInt64? { tables[Self.key(level: level, page: page)] }

    /// The byte address of the page's entry at the level.
    @inline(__always)
    func entryAddress(level: Int, page: UInt64, table: UInt64) -> UInt64 {
        table << 12 | (page >> UInt64(9 * level) & 511) << 3
    }

    func isMapped(_ page: UInt64) -> Bool { mapped.contains(page) }

    /// Maps the page, making the tables its path lacks. Returns the entries
    /// written: the leaf entry, and one in each parent of a new table.
    @discardableResult
    func map(_ page: UInt64) -> Int {
        var written = 0
        for level in stride(from: levels - 1, through: 0, by: -1) {
            let key = Self.key(level: level, page: page)
            if tables[key] == nil {
                tables[key] = space.allocate()
                if level < levels - 1 { written += 1 }
            }
        }
        if mapped.insert(page).inserted { written += 1 }
        return written
    }

    /// Clears the page's leaf entry (tables stay). Returns whether it was mapped.
    @discardableResult
    func unmap(_ page: UInt64) -> Bool { mapped.remove(page) != nil }
}
