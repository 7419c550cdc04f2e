import TPTEngine

/// The fuzzer's generator: SplitMix64, so that a fixed seed gives the same
/// cases on every machine.
public typealias FuzzRandom = SplitMix64

extension SplitMix64 {
    public mutating func below(_ n: Int) -> Int { Int(next(upperBound: UInt64(max(n, 1)))) }
    public mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
}
