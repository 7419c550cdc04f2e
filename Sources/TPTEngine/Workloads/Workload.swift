/// Synthetic memory-access traces in the shapes of the paper's workloads,
/// generated from a seed in constant memory, however long.
public enum Workload: String, Sendable, CaseIterable {
    /// GUPS: random 8-byte read-modify-writes over the footprint.
    case gups
    /// Pointer chasing: 8-byte loads of 64-byte nodes in a pseudo-random cyclic
    /// order that visits every node of the footprint once per round.
    case chase
    /// Streaming: 8-byte loads in address order over the footprint, round after round.
    case stream
    /// mmap/munmap churn: a region is mapped, each of its pages written, then
    /// unmapped; the next region starts where it ended, wrapping in the footprint.
    case churn
}

/// What to generate.
public struct WorkloadParameters: Sendable {
    /// Data accesses to generate.
    public var accesses: Int = 10_000_000
    /// Bytes the accesses range over (rounded down to a power of two).
    public var footprint: UInt64 = 1 << 30
    public var seed: UInt64 = 1
    /// churn: pages per region.
    public var regionPages: Int = 32
    /// Where the footprint starts (a typical x86-64 heap address).
    public var base: UInt64 = 0x7f00_0000_0000

    public init() {}
}

extension Workload {
    /// Writes the workload's records, in order, to `emit`.
    public func generate(_ p: WorkloadParameters, _ emit: (TraceRecord) throws(TraceError) -> Void) throws(TraceError) {
        let footprintBits = 63 - UInt64(max(p.footprint, 4096)).leadingZeroBitCount
        let mask = (UInt64(1) << UInt64(footprintBits)) - 1
        var random = SplitMix64(seed: p.seed)
        switch self {
        case .gups:
            for _ in 0..<p.accesses {
                try emit(TraceRecord(.modify, address: p.base + (random.next() & mask & ~7), size: 8))
            }
        case .chase:
            // A full-period linear congruential sequence over the nodes (Hull and
            // Dobell: odd increment, multiplier 1 mod 4): a permutation, no memory.
            let nodeMask = mask >> 6
            var node = random.next() & nodeMask
            let increment = random.next() | 1
            for _ in 0..<p.accesses {
                try emit(TraceRecord(.load, address: p.base + node << 6, size: 8))
                node = (node &* 6364136223846793005 &+ increment) & nodeMask
            }
        case .stream:
            var offset: UInt64 = 0
            for _ in 0..<p.accesses {
                try emit(TraceRecord(.load, address: p.base + offset, size: 8))
                offset = (offset + 8) & mask
            }
        case .churn:
            let regionBytes = min(UInt64(max(1, min(p.regionPages, TraceRecord.maximumSize))) << 12, mask + 1)
            var start: UInt64 = 0, emitted = 0
            while emitted < p.accesses {
                var page: UInt64 = 0
                while page < regionBytes && emitted < p.accesses {
                    try emit(TraceRecord(.store, address: p.base + start + page, size: 8))
                    page += 4096
                    emitted += 1
                }
                try emit(TraceRecord(.unmap, address: p.base + start, size: Int(regionBytes >> 12)))
                start += regionBytes
                if start + regionBytes > mask + 1 { start = 0 }
            }
        }
    }
}

/// Steele, Lea and Flood's SplitMix64 ("Fast Splittable Pseudorandom Number
/// Generators", OOPSLA 2014): fast, seeded, and the same on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
