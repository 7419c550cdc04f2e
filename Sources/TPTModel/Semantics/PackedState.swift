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
            // In vector registers throughout: writing one word of `words` by a
            // run-time index would go through memory, and reading the state
            // back whole right after that narrow store stalls the processor.
            let placed = SIMD4(repeating: UInt64(truncatingIfNeeded: newValue) &<< field.shift) & field.placedMask
            words = (words & ~field.placedMask) | placed
        }
    }
}

/// Where one bit field lives: a word index, a shift and a mask. Fields never
/// straddle two words.
public struct Field: Sendable, Equatable {
    public let word: Int
    public let shift: UInt64
    public let mask: UInt64
    /// The field's bits where they sit in the state: `mask << shift` in word
    /// `word`, zero in the other words. (What a write needs.)
    public let placedMask: SIMD4<UInt64>

    public init(word: Int, shift: UInt64, mask: UInt64) {
        self.word = word
        self.shift = shift
        self.mask = mask
        var placedMask = SIMD4<UInt64>.zero
        placedMask[word] = mask &<< shift
        self.placedMask = placedMask
    }
}
