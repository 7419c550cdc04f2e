/// One scheme's side of a replay: what happens after the shared TLBs miss, and
/// on a page's first touch or unmap. Its page tables, page-walk caches and line
/// cache are its own; its counters say what it spent.
///
/// The walks, per scheme (L levels):
/// - native, shadow, pv, tpt: a 1-D walk of L references over host-physical
///   tables (the OS's, the host's shadow, the guest's validated or tagged one),
///   minus the levels a page-walk cache skips; tpt checks the tag of each table
///   frame read and of the final frame.
/// - nested: each of the guest's L references is to a guest-physical table,
///   which the host's table translates (L references, unless the nested TLB
///   has it), and so is the final guest-physical page: (L + 1)^2 - 1 references
///   before the caches.
final class SchemeEngine {
    let scheme: TranslationScheme
    let configuration: EngineConfiguration
    var counters = SchemeCounters()
    /// Cycles of line-cache lookups, faults, exits and hypercalls; the shared
    /// parts are added when the replay ends.
    private(set) var cycles: UInt64 = 0

    private let levels: Int
    private let lines: SetAssociativeCache
    /// Per level 1..<levels: that level's entries, keyed by the page number's bits above level - 1.
    private let walkCaches: [SetAssociativeCache]
    /// The table the hardware walks: native's, the shadow, the pv or tpt guest's; nested: the guest's, over guest-physical pages.
    private let tables: PageTables
    private let hostFrames: FrameSpace
    /// Nested paging: the host's table over guest-physical pages, its walk caches, the nested TLB.
    private let hostTables: PageTables?
    private let hostWalkCaches: [SetAssociativeCache]
    private let nestedTLB: SetAssociativeCache?
    private let guestPhysical: FrameSpace?
    /// The page each virtual page is backed by: a host frame (tpt's tag checks
    /// need it), or a guest-physical page (nested).
    private var backing: [UInt64: UInt64] = [:]
    private let tags: SetAssociativeCache?
    /// Where TPT's tag table starts: a 16-byte tag per frame, as in AMD's RMP.
    private static let tagTableBase: UInt64 = 1 << 44

    init(_ scheme: TranslationScheme, _ configuration: EngineConfiguration) {
        self.scheme = scheme
        self.configuration = configuration
        let c = configuration
        let levels = c.levels - (c.pageShift - 12) / c.bitsPerLevel
        self.levels = levels
        lines = SetAssociativeCache(entries: c.lineCacheEntries, ways: c.lineCacheWays)
        func caches() -> [SetAssociativeCache] { (0..<levels).map { _ in SetAssociativeCache(entries: c.pwcEntries, ways: c.pwcWays) } }
        walkCaches = caches()
        hostFrames = FrameSpace(base: 1 << 20)
        if scheme == .nested {
            let guest = FrameSpace(base: 1 << 36)
            guestPhysical = guest
            tables = PageTables(levels: levels, space: guest)
            hostTables = PageTables(levels: levels, space: hostFrames)
            hostWalkCaches = caches()
            nestedTLB = SetAssociativeCache(entries: c.nestedTLBEntries, ways: c.nestedTLBWays)
        } else {
            guestPhysical = nil
            tables = PageTables(levels: levels, space: hostFrames)
            hostTables = nil
            hostWalkCaches = []
            nestedTLB = nil
        }
        tags = scheme == .tpt ? SetAssociativeCache(entries: c.tagCacheEntries, ways: c.tagCacheWays) : nil
    }

    // MARK: Faults and unmaps

    func isMapped(_ page: UInt64) -> Bool { tables.isMapped(page) }

    /// A page's first touch (or first since its unmap): the guest OS's demand
    /// fault writes the entries its path lacks, and each scheme pays for those
    /// writes its own way.
    func fault(_ page: UInt64) {
        counters.pageFaults += 1
        cycles += UInt64(configuration.pageFaultCycles)
        let guestPagesBefore = guestPhysical?.allocated ?? 0
        let writes = UInt64(tables.map(page))
        counters.pageTableWrites += writes
        switch scheme {
        case .native, .tpt:
            break
        case .shadow:
            // Every guest page-table write traps; the host syncs the shadow.
            counters.exits += writes
            cycles += writes * UInt64(configuration.exitCycles)
        case .pv:
            counters.hypercalls += writes
            cycles += writes * UInt64(configuration.hypercallCycles)
        case .nested:
            // The guest writes its own table freely; a guest-physical page the
            // host has not backed yet (the data page, each new table) is an
            // EPT violation, an exit, where the host maps it.
            for table in guestPagesBefore..<guestPhysical!.allocated { backGuestPhysical(table) }
            if backing[page] == nil {
                let gpn = guestPhysical!.allocate()
                backing[page] = gpn
                backGuestPhysical(gpn)
            }
        }
        if scheme != .nested && backing[page] == nil { backing[page] = hostFrames.allocate() }
    }

    private func backGuestPhysical(_ gpn: UInt64) {
        guard let hostTables, !hostTables.isMapped(gpn) else { return }
        hostTables.map(gpn)
        counters.exits += 1
        cycles += UInt64(configuration.exitCycles)
    }

    /// The page's entry is cleared and the TLB entry invalidated (the shared
    /// TLBs drop it); shadow traps the write, pv makes it a hypercall.
    func unmap(_ page: UInt64) {
        guard tables.unmap(page) else { return }
        counters.pageTableWrites += 1
        counters.invalidations += 1
        switch scheme {
        case .shadow:
            counters.exits += 1
            cycles += UInt64(configuration.exitCycles)
        case .pv:
            counters.hypercalls += 1
            cycles += UInt64(configuration.hypercallCycles)
        case .native, .nested, .tpt:
            break
        }
    }

    // MARK: Walks

    /// A TLB miss on the page (mapped): the walk's references.
    @inline(__always)
    func walk(_ page: UInt64) {
        if let hostTables {
            walk(page, in: tables, caches: walkCaches) { table in self.hostFrame(ofGuestPhysical: table, hostTables) }
            _ = hostFrame(ofGuestPhysical: backing[page]!, hostTables)
        } else {
            walk(page, in: tables, caches: walkCaches) { $0 }
            if tags != nil { checkTag(backing[page]!) }
        }
    }

    /// A 1-D walk of `tables` for the page, from the lowest level a walk cache
    /// holds; `frame` gives the host frame of each table read.
    @inline(__always)
    private func walk(_ page: UInt64, in tables: PageTables, caches: [SetAssociativeCache], frame: (UInt64) -> UInt64) {
        var start = levels - 1
        for level in 1..<levels where caches[level].lookup(page >> UInt64(9 * level)) {
            start = level - 1
            break
        }
        counters.walkCacheHits += UInt64(levels - 1 - start)
        for level in stride(from: start, through: 0, by: -1) {
            let table = tables.table(level: level, page: page)!
            let host = frame(table)
            reference(tables.entryAddress(level: level, page: page, table: host))
            if tags != nil { checkTag(host) }
            if level > 0 { caches[level].insert(page >> UInt64(9 * level)) }
        }
    }

    /// Nested paging: the host frame behind a guest-physical page, from the
    /// nested TLB or a walk of the host's table.
    private func hostFrame(ofGuestPhysical gpn: UInt64, _ hostTables: PageTables) -> UInt64 {
        if nestedTLB!.access(gpn) {
            counters.walkCacheHits += UInt64(levels)
        } else {
            walk(gpn, in: hostTables, caches: hostWalkCaches) { $0 }
        }
        // Host frames of guest-physical pages: any distinct numbers do; the
        // host table's leaf for the page is one.
        return (1 << 40) | gpn
    }

    @inline(__always)
    private func reference(_ address: UInt64) {
        counters.walkReferences += 1
        if lines.access(address >> 6) {
            cycles += UInt64(configuration.lineHitCycles)
        } else {
            counters.walkReferenceMisses += 1
            cycles += UInt64(configuration.lineMissCycles)
        }
    }

    /// TPT: the frame's tag, from the tag cache or the tag table in memory.
    @inline(__always)
    private func checkTag(_ frame: UInt64) {
        counters.tagChecks += 1
        if tags!.access(frame) {
            cycles += UInt64(configuration.tagHitCycles)
        } else {
            counters.tagCacheMisses += 1
            let address = Self.tagTableBase + frame * 16
            cycles += UInt64(lines.access(address >> 6) ? configuration.lineHitCycles : configuration.lineMissCycles)
        }
    }
}
