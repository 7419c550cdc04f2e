/// What a replay found: per scheme its counters, and what every scheme shares.
public struct ReplayReport: Sendable {
    public var trace: String
    /// Instruction fetches in the trace (counted as work, not translated: the
    /// engine models the data side, an L1 dTLB and the L2 TLB behind it).
    public var instructions: UInt64
    /// Unmap events' pages.
    public var unmappedPages: UInt64
    public var schemes: [(scheme: TranslationScheme, counters: SchemeCounters)]

    /// The scheme's cycles over native's (nil without a native replay).
    public func ratio(_ scheme: TranslationScheme) -> Double? {
        guard let native = schemes.first(where: { $0.scheme == .native })?.counters.cycles, native > 0,
              let mine = schemes.first(where: { $0.scheme == scheme })?.counters.cycles else { return nil }
        return Double(mine) / Double(native)
    }
}

/// Replays a trace through every scheme in one pass: the trace is decoded
/// once, and the TLBs and the page-walk caches of the walk over virtual
/// pages, which see the same pages and the same invalidations under every
/// scheme, are simulated once. Only the walk's references (and nested paging's
/// host walks) and a page's first touch or unmap (faults, exits, hypercalls)
/// are each scheme's own, and schemes with the same kind of walk
/// (native, shadow and pv) share one engine's walks.
public final class Replay {
    public let configuration: EngineConfiguration
    public let schemes: [TranslationScheme]
    /// One per scheme, in `schemes` order.
    private let engines: [SchemeEngine]
    /// The engines that walk: the first of each kind of walk.
    private let walkers: [SchemeEngine]
    private let shape: PageTableShape
    /// The page-walk caches of the walk over virtual pages: the same under
    /// every scheme, like the TLBs (nested paging's host walks have their own).
    private let walkCaches: PageWalkCaches
    private let l1: SetAssociativeCache
    private let l2: SetAssociativeCache
    private let pageShift: UInt64
    private var lastPage = UInt64.max
    private var accesses: UInt64 = 0, instructions: UInt64 = 0, unmappedPages: UInt64 = 0
    private var l1Misses: UInt64 = 0, l2Misses: UInt64 = 0
    /// Records read so far (for a progress line).
    public private(set) var records: UInt64 = 0

    public init(configuration: EngineConfiguration = EngineConfiguration(), schemes: [TranslationScheme] = TranslationScheme.allCases) {
        self.configuration = configuration
        self.schemes = schemes
        var walkers: [SchemeEngine] = []
        engines = schemes.map { scheme in
            let walks = !walkers.contains { $0.scheme.walk == scheme.walk }
            let engine = SchemeEngine(scheme, configuration, walks: walks)
            if walks { walkers.append(engine) }
            return engine
        }
        self.walkers = walkers
        shape = PageTableShape(levels: configuration.translatedLevels)
        walkCaches = PageWalkCaches(levels: configuration.translatedLevels, configuration)
        l1 = SetAssociativeCache(entries: configuration.l1Entries, ways: configuration.l1Ways)
        l2 = SetAssociativeCache(entries: configuration.l2Entries, ways: configuration.l2Ways)
        pageShift = UInt64(configuration.pageShift)
    }

    /// Replays every record the reader gives; `progress` is called after each batch.
    public func run(_ reader: inout some TraceReader, progress: ((Replay) -> Void)? = nil) throws(TraceError) {
        let buffer = UnsafeMutableBufferPointer<TraceRecord>.allocate(capacity: 1 << 14)
        defer { buffer.deallocate() }
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { return }
            replay(UnsafeBufferPointer(rebasing: buffer[..<count]))
            records += UInt64(count)
            progress?(self)
        }
    }

    /// Replays a batch of records.
    public func replay(_ batch: UnsafeBufferPointer<TraceRecord>) {
        for record in batch {
            let word = record.word
            let kind = word >> 61
            if kind == 3 {
                instructions &+= 1
                continue
            }
            let address = word & TraceRecord.addressMask
            let size = (word >> 56) & 0x1F
            if kind == 4 {
                unmap(pages: address >> pageShift, count: size + 1)
                continue
            }
            let first = address >> pageShift, last = (address &+ size) >> pageShift
            translate(first)
            if last != first { translate(last) }
        }
    }

    @inline(__always)
    private func translate(_ page: UInt64) {
        accesses &+= 1
        // The page just used is its L1 set's most recent entry: a hit that
        // changes nothing.
        if page == lastPage { return }
        lastPage = page
        if l1.access(page) { return }
        l1Misses &+= 1
        if l2.access(page) { return }
        l2Misses &+= 1
        if !shape.isMapped(page) {
            let fault = shape.map(page)
            for engine in engines { engine.fault(fault) }
        }
        let start = walkCaches.start(page)
        for walker in walkers { walker.walk(page, from: start) }
    }

    private func unmap(pages first: UInt64, count: UInt64) {
        lastPage = .max
        for page in first..<(first + count) {
            l1.invalidate(page)
            l2.invalidate(page)
            unmappedPages += 1
            if shape.unmap(page) { for engine in engines { engine.unmap() } }
        }
    }

    /// The report so far.
    public func report(trace: String) -> ReplayReport {
        let c = configuration
        let work = (instructions + accesses) * UInt64(c.workCyclesPerEvent)
        let l2Hits = l1Misses - l2Misses
        return ReplayReport(trace: trace, instructions: instructions, unmappedPages: unmappedPages, schemes: engines.map { engine in
            let walker = walkers.first { $0.scheme.walk == engine.scheme.walk }!
            var counters = engine.counters
            counters.accesses = accesses
            counters.l1Misses = l1Misses
            counters.l2Misses = l2Misses
            counters.walkReferences = walker.counters.walkReferences
            counters.walkReferenceMisses = walker.counters.walkReferenceMisses
            counters.walkCacheHits = walker.counters.walkCacheHits
            counters.tagChecks = walker.counters.tagChecks
            counters.tagCacheMisses = walker.counters.tagCacheMisses
            counters.cycles = work + l2Hits * UInt64(c.l2TLBHitCycles) + walker.walkCycles + engine.updateCycles
            return (engine.scheme, counters)
        })
    }
}
