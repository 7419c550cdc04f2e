/// The page-walk caches of one radix table: per non-leaf level, a cache of
/// that level's entries keyed by the page number's bits from that level up
/// (Intel's paging-structure caches). A walk starts below the lowest level
/// they hold.
final class PageWalkCaches {
    let levels: Int
    /// Index `level` for levels 1..<levels (index 0 is unused: leaf entries
    /// are the TLBs' business).
    private let caches: [SetAssociativeCache]

    init(levels: Int, _ configuration: EngineConfiguration) {
        self.levels = levels
        caches = (0..<levels).map { level in
            SetAssociativeCache(entries: level == 0 ? 0 : configuration.pwcEntries, ways: configuration.pwcWays)
        }
    }

    /// The level a walk for the page starts at (levels - 1 when no cache has
    /// it); the walk's entries above the leaf are then cached.
    @inline(__always)
    func start(_ page: UInt64) -> Int {
        var start = levels - 1
        var level = 1
        while level < levels {
            if caches[level].lookup(page >> UInt64(9 * level)) {
                start = level - 1
                break
            }
            level += 1
        }
        level = start
        while level > 0 {
            caches[level].insert(page >> UInt64(9 * level))
            level -= 1
        }
        return start
    }
}
