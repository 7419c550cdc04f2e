/// What the engine models, and what each event costs. Every default names its
/// source, and every field may be overridden.
///
/// Geometry defaults are an Intel Golden Cove core (Sapphire Rapids servers):
/// Intel 64 and IA-32 Architectures Optimization Reference Manual, "Golden Cove
/// microarchitecture", TLB parameters. Page-walk cache sizes are not published
/// (Intel SDM vol. 3A §4.10.3 describes the paging-structure caches without
/// sizes); the defaults are the ones Barr, Cox and Rixner evaluate ("Translation
/// Caching: Skip, Don't Walk (the Page Table)", ISCA 2010). The nested TLB is
/// the one Bhargava et al. propose for two-dimensional walks ("Accelerating
/// Two-Dimensional Page Walks for Virtualized Systems", ASPLOS 2008).
public struct EngineConfiguration: Sendable, Equatable {
    /// log2 of the page size: 12 (4 KiB) or 21 (2 MiB).
    public var pageShift = 12
    /// Page-table levels: 4, or 5 (LA57).
    public var levels = 4

    /// L1 dTLB: 64 entries, 4 ways (Golden Cove, 4 KiB pages).
    public var l1Entries = 64, l1Ways = 4
    /// Unified L2 TLB (STLB): 2048 entries, 16 ways (Golden Cove).
    public var l2Entries = 2048, l2Ways = 16
    /// One page-walk cache per non-leaf level: 32 entries, 4 ways each (Barr et al.).
    public var pwcEntries = 32, pwcWays = 4
    /// Nested TLB (guest-physical to host-physical page): 64 entries, 4 ways (Bhargava et al.).
    public var nestedTLBEntries = 64, nestedTLBWays = 4
    /// The cache page-table lines are looked up in: the L2 data cache, 2 MiB of
    /// 64-byte lines, 16 ways (Golden Cove server core).
    public var lineCacheEntries = 32_768, lineCacheWays = 16
    /// TPT's cache of frame ownership tags: 64 entries, 4 ways, each a line of
    /// the tag table (32 two-byte tags: the owning VM of 32 frames). The paper
    /// does not size it; like AMD SEV-SNP's RMP checks, a miss reads the tag
    /// table through the line cache.
    public var tagCacheEntries = 64, tagCacheWays = 4

    /// Cycles (at about 3 GHz). An L2 TLB hit: 7 (Golden Cove STLB hit latency,
    /// Intel optimization manual).
    public var l2TLBHitCycles = 7
    /// A walk reference that hits the line cache: 15 (Golden Cove L2 hit latency).
    public var lineHitCycles = 15
    /// A walk reference that misses it: 200 (about 65 ns of DRAM latency).
    public var lineMissCycles = 200
    /// A guest page fault handled by its OS (the demand fault on a page's first
    /// touch, in every scheme): 1500 (a Linux minor fault, about 0.5 µs).
    public var pageFaultCycles = 1500
    /// A VM exit and entry with its handler's work: 1500 (a round trip is about
    /// 1,000 cycles on recent hardware: Agesen et al., "Software Techniques for
    /// Avoiding Hardware Virtualization Exits", USENIX ATC 2012; plus the handler).
    public var exitCycles = 1500
    /// A paravirtual hypercall (a validated page-table update): 500 (a ring
    /// transition and the check, without a VM exit's state switch).
    public var hypercallCycles = 500
    /// A tag check that hits the tag cache: 0 (in parallel with the reference).
    public var tagHitCycles = 0
    /// The work around translation: cycles per instruction and per data
    /// access (IPC 1 assumed, the same for every scheme).
    public var workCyclesPerEvent = 1

    public init() {}

    /// Bits of virtual page number each level translates.
    public var bitsPerLevel: Int { 9 }

    /// The levels a walk reads: a 2 MiB page's entry is one level up.
    public var translatedLevels: Int { levels - (pageShift - 12) / bitsPerLevel }
}
