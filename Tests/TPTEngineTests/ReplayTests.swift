import Testing
@testable import TPTEngine

/// Each scheme's walk references, faults and exits on crafted accesses,
/// counted by hand.
@Suite struct ReplayTests {
    /// Replays the records and returns each scheme's counters.
    static func replay(_ records: [TraceRecord], _ configuration: EngineConfiguration = EngineConfiguration())
        -> [TranslationScheme: SchemeCounters] {
        let replay = Replay(configuration: configuration)
        records.withUnsafeBufferPointer { replay.replay($0) }
        return Dictionary(uniqueKeysWithValues: replay.report(trace: "crafted").schemes.map { ($0.scheme, $0.counters) })
    }

    static func load(page: UInt64, shift: Int = 12) -> TraceRecord { TraceRecord(.load, address: page << UInt64(shift), size: 8) }

    /// Without page-walk caches or a nested TLB: L references for a 1-D walk,
    /// (L + 1)^2 - 1 for nested paging's 2-D walk, and TPT checks a tag per
    /// table read and the final frame.
    @Test(arguments: [(12, 4, 4, 24), (12, 5, 5, 35), (21, 4, 3, 15)])
    func aColdMissWalksEveryLevel(pageShift: Int, levels: Int, oneDimensional: Int, twoDimensional: Int) {
        var c = EngineConfiguration()
        c.pageShift = pageShift
        c.levels = levels
        c.pwcEntries = 0
        c.nestedTLBEntries = 0
        let counters = Self.replay([Self.load(page: 5, shift: pageShift)], c)
        for scheme in [TranslationScheme.native, .shadow, .pv, .tpt] {
            #expect(counters[scheme]?.walkReferences == UInt64(oneDimensional), "\(scheme)")
        }
        #expect(counters[.nested]?.walkReferences == UInt64(twoDimensional))
        #expect(counters[.tpt]?.tagChecks == UInt64(oneDimensional + 1))
        #expect(counters[.native]?.l1Misses == 1 && counters[.native]?.l2Misses == 1)
    }

    /// With the caches. Native: 4 references, then the neighbouring page's
    /// walk starts at the leaf table (1). Nested: the first walk is the cold 24
    /// (the guest's tables of different levels are far apart guest-physical
    /// pages, so no host walk shortens the next); the neighbour's walk reads
    /// the guest leaf (its host frame is in the nested TLB) and walks the host
    /// table for the new data page from its leaf (1): 2.
    @Test func walkCachesSkipTheUpperLevels() {
        let counters = Self.replay([Self.load(page: 0x1000), Self.load(page: 0x1001)])
        #expect(counters[.native]?.walkReferences == 4 + 1)
        #expect(counters[.nested]?.walkReferences == 24 + 2)
    }

    /// A page's first touch: the demand fault writes the leaf and an entry for
    /// each new table below the root (4 with 4 levels). Shadow traps each
    /// write, pv makes each a hypercall, nested exits once per new
    /// guest-physical page (4 tables and the data page), TPT never exits. An
    /// unmap writes one entry: shadow traps it, pv makes it a hypercall.
    @Test func faultsAndUnmapsCostEachSchemeItsOwnWay() {
        let counters = Self.replay([Self.load(page: 7), TraceRecord(.unmap, address: 7 << 12, size: 1), Self.load(page: 7)])
        #expect(counters[.native]?.pageFaults == 2)
        #expect(counters[.native]?.pageTableWrites == 4 + 1 + 1)
        #expect(counters[.shadow]?.exits == 4 + 1 + 1)
        #expect(counters[.pv]?.hypercalls == 4 + 1 + 1)
        #expect(counters[.nested]?.exits == 5)
        #expect(counters[.tpt]?.exits == 0 && counters[.tpt]?.hypercalls == 0)
        #expect(counters[.native]?.invalidations == 1)
        #expect(counters[.native]?.l2Misses == 2)
    }

    /// A scheme's counters do not depend on which others replay with it
    /// (native, shadow and pv share one engine's walks when together).
    @Test func sharedWalksGiveEachSchemeWhatItsOwnReplayGives() {
        var random = SplitMix64(seed: 5)
        let records = (0..<20_000).map { _ in TraceRecord(.load, address: random.next() & ((1 << 32) - 1), size: 8) }
            + [TraceRecord(.unmap, address: 0, size: 32)]
        let together = Replay()
        records.withUnsafeBufferPointer { together.replay($0) }
        let all = together.report(trace: "t").schemes
        for scheme in TranslationScheme.allCases {
            let alone = Replay(schemes: [scheme])
            records.withUnsafeBufferPointer { alone.replay($0) }
            #expect(alone.report(trace: "t").schemes[0].counters == all.first { $0.scheme == scheme }?.counters, "\(scheme)")
        }
    }

    /// Repeated accesses to a page hit the L1 TLB; an access that crosses a
    /// page is two translations; instruction fetches are not translated.
    @Test func hitsCrossingsAndFetches() {
        let records = [Self.load(page: 3), Self.load(page: 3), TraceRecord(.store, address: (4 << 12) - 4, size: 8),
                       TraceRecord(.instruction, address: 0x400000, size: 4)]
        let replay = Replay()
        records.withUnsafeBufferPointer { replay.replay($0) }
        let report = replay.report(trace: "crafted")
        let native = report.schemes[0].counters
        #expect(native.accesses == 4)       // page 3 twice, then pages 3 and 4
        #expect(native.l1Misses == 2)       // pages 3 and 4, once each
        #expect(report.instructions == 1)
        #expect(report.ratio(.native) == 1)
    }
}
