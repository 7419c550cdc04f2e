/// One scheme's side of a replay: what happens after the shared TLBs miss, and
/// on a page's first touch or unmap. Its page tables, page-walk caches and line
/// cache are its own; its counters say what it spent.
///
/// Schemes whose walks are the same (`TranslationScheme.walk`) share one
/// engine's walks: native, shadow and pv walk tables of one shape with the
/// same caches, so their walks cost the same by construction, and a replay
/// walks once for the three (`Replay`).
///
/// The walks, per scheme (L levels):
/// - native, shadow, pv, tpt: a 1-D walk of L references over host-physical
///   tables (the OS's, the host's shadow, the guest's validated or tagged one),
///   minus the levels a page-walk cache skips (`PageWalkCaches`: they see
///   the same pages under every scheme, so a replay keeps one); tpt checks the tag of each table
///   frame read and of the final frame.
/// - nested: each of the guest's L references is to a guest-physical table,
///   which the host's table translates (L references, unless the nested TLB
///   has it), and so is the final guest-physical page: (L + 1)^2 - 1 references
///   before the caches.
final class SchemeEngine {
    let scheme: TranslationScheme
    let configuration: EngineConfiguration
    var counters = SchemeCounters()
    /// Cycles of the walks (line-cache and tag-table lookups).
    private(set) var walkCycles: UInt64 = 0
    /// Cycles of faults, exits and hypercalls. The shared parts (work, L2 TLB
    /// hits) are added when the replay ends.
    private(set) var updateCycles: UInt64 = 0

    private let levels: Int
    private let lines: SetAssociativeCache
    /// The table the hardware walks: native's, the shadow, the pv or tpt
    /// guest's; under nested paging the guest's, over guest-physical pages.
    private let tables: TableLayout
    /// Nested paging: the host's table over guest-physical pages, its walk
    /// caches, and the nested TLB.
    private let hostTables: TableLayout?
    private let hostWalkCaches: PageWalkCaches?
    private let nestedTLB: SetAssociativeCache?
    private let tags: SetAssociativeCache?

    /// Where data pages live: a virtual page's frame (or guest-physical page)
    /// is this plus its page number. Any distinct numbers do; only tag checks
    /// and the nested TLB look at them.
    private static let dataBase: UInt64 = 1 << 44
    /// TPT's tag table: a 2-byte tag (the owning VM) per frame, 32 to a line.
    private static let tagTableBase: UInt64 = 1 << 50

    /// - Parameter walks: false for an engine whose scheme's walks another
    ///   engine makes; it keeps no walk caches.
    init(_ scheme: TranslationScheme, _ configuration: EngineConfiguration, walks: Bool = true) {
        self.scheme = scheme
        self.configuration = configuration
        var c = configuration
        if !walks {
            c.lineCacheEntries = 0
                c.nestedTLBEntries = 0
            c.tagCacheEntries = 0
        }
        let levels = c.translatedLevels
        self.levels = levels
        lines = SetAssociativeCache(entries: c.lineCacheEntries, ways: c.lineCacheWays)
        tables = TableLayout(levels: levels, base: 1 << 20)
        if scheme == .nested {
            hostTables = TableLayout(levels: levels, base: 1 << 30)
            hostWalkCaches = PageWalkCaches(levels: levels, c)
            nestedTLB = SetAssociativeCache(entries: c.nestedTLBEntries, ways: c.nestedTLBWays)
        } else {
            hostTables = nil
            hostWalkCaches = nil
            nestedTLB = nil
        }
        tags = scheme == .tpt ? SetAssociativeCache(entries: c.tagCacheEntries, ways: c.tagCacheWays) : nil
    }

    // MARK: Faults and unmaps

    /// A page's first touch (or first since its unmap): the guest OS's demand
    /// fault writes the entries its path lacks, and each scheme pays for those
    /// writes its own way.
    func fault(_ fault: PageTableShape.Fault) {
        counters.pageFaults += 1
        updateCycles += UInt64(configuration.pageFaultCycles)
        let writes = UInt64(fault.writes)
        counters.pageTableWrites += writes
        switch scheme {
        case .native, .tpt:
            break
        case .shadow:
            // Every guest page-table write traps; the host syncs the shadow.
            counters.exits += writes
            updateCycles += writes * UInt64(configuration.exitCycles)
        case .pv:
            counters.hypercalls += writes
            updateCycles += writes * UInt64(configuration.hypercallCycles)
        case .nested:
            // The guest writes its own table freely; a guest-physical page the
            // host has not backed yet (each new table, a data page touched for
            // the first time) is an EPT violation: an exit, where the host maps it.
            let backed = UInt64(fault.newTables + (fault.newRoot ? 1 : 0) + (fault.firstTouch ? 1 : 0))
            counters.exits += backed
            updateCycles += backed * UInt64(configuration.exitCycles)
        }
    }

    /// The page's entry is cleared and its TLB entry invalidated (the shared
    /// TLBs drop it); shadow traps the write, pv makes it a hypercall.
    func unmap() {
        counters.pageTableWrites += 1
        counters.invalidations += 1
        switch scheme {
        case .shadow:
            counters.exits += 1
            updateCycles += UInt64(configuration.exitCycles)
        case .pv:
            counters.hypercalls += 1
            updateCycles += UInt64(configuration.hypercallCycles)
        case .native, .nested, .tpt:
            break
        }
    }

    // MARK: Walks

    /// A TLB miss on a mapped page: the walk's references, from the level
    /// below the lowest the (shared) page-walk caches hold.
    @inline(__always)
    func walk(_ page: UInt64, from start: Int) {
        counters.walkCacheHits += UInt64(levels - 1 - start)
        if let hostTables {
            walk(page, from: start, in: tables, hostTables: hostTables)
            translateGuestPhysical(Self.dataBase &+ page, hostTables)
        } else {
            walk(page, from: start, in: tables, hostTables: nil)
            if tags != nil { checkTag(Self.dataBase &+ page) }
        }
    }

    /// A 1-D walk of `tables` for the page from the level `start` down. With
    /// `hostTables` (nested paging), each table is a guest-physical page the
    /// host's table translates first.
    @inline(__always)
    private func walk(_ page: UInt64, from start: Int, in tables: TableLayout, hostTables: TableLayout?) {
        var level = start
        while level >= 0 {
            if let hostTables { translateGuestPhysical(tables.table(level: level, page: page), hostTables) }
            reference(tables.entryAddress(level: level, page: page))
            if tags != nil { checkTag(tables.table(level: level, page: page)) }
            level -= 1
        }
    }

    /// Nested paging: the host frame behind a guest-physical page, from the
    /// nested TLB or a walk of the host's table.
    @inline(__always)
    private func translateGuestPhysical(_ gpn: UInt64, _ hostTables: TableLayout) {
        if nestedTLB!.access(gpn) {
            counters.walkCacheHits += UInt64(levels)
        } else {
            let start = hostWalkCaches!.start(gpn)
            counters.walkCacheHits += UInt64(levels - 1 - start)
            walk(gpn, from: start, in: hostTables, hostTables: nil)
        }
    }

    @inline(__always)
    private func reference(_ address: UInt64) {
        counters.walkReferences += 1
        if lines.access(address >> 6) {
            walkCycles += UInt64(configuration.lineHitCycles)
        } else {
            counters.walkReferenceMisses += 1
            walkCycles += UInt64(configuration.lineMissCycles)
        }
    }

    /// TPT: the frame's tag, from the tag cache (which holds lines of 32
    /// tags) or from the tag table, through the line cache.
    @inline(__always)
    private func checkTag(_ frame: UInt64) {
        counters.tagChecks += 1
        let line = (Self.tagTableBase &+ frame << 1) >> 6
        if tags!.access(line) {
            walkCycles += UInt64(configuration.tagHitCycles)
        } else {
            counters.tagCacheMisses += 1
            walkCycles += UInt64(lines.access(line) ? configuration.lineHitCycles : configuration.lineMissCycles)
        }
    }
}
