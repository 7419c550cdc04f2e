/// A whole system state in a fixed 256 bits: tags, frame contents, roots, TLBs,
/// nested tables and host-thread program counters packed into bit fields that
/// `StateLayout` places. Copying, hashing and comparing a state never allocates.
///
/// Invariant: bits outside the layout's fields are zero, so two states are equal
/// exactly when their words are equal.
public struct PackedState: Hashable, Sendable {
    public var words: SIMD4<UInt64>

    public static let capacityBits = 256

    public init() { words = .zero }
    public init(words: SIMD4<UInt64>) { self.words = words }

    @inline(__always)
    public subscript(field: Field) -> Int {
        get { Int(truncatingIfNeeded: (words[field.word] &>> field.shift) & field.mask) }
        set {
            let cleared = words[field.word] & ~(field.mask &<< field.shift)
            words[field.word] = cleared | ((UInt64(truncatingIfNeeded: newValue) & field.mask) &<< field.shift)
        }
    }
}

/// Where one bit field lives: a word index, a shift and a mask. Fields never
/// straddle two words.
public struct Field: Sendable, Equatable {
    public let word: Int
    public let shift: UInt64
    public let mask: UInt64
}
