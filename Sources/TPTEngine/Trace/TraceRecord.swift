/// One event of a memory-access trace, packed in 64 bits: the same word the
/// binary trace format stores, so reading that format is a copy and every
/// reader fills a plain buffer of words (no allocation per record).
///
/// Layout: bits 63-61 the kind, bits 60-56 the size minus one (bytes for an
/// access, 4 KiB pages for an unmap; 1 to 32), bits 55-0 the virtual address
/// (enough for 5-level paging's 57-bit space, whose user half is 56 bits).
@frozen
public struct TraceRecord: Hashable, Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        case load = 0, store, modify, instruction
        /// The pages from `address` on are unmapped (a synthetic trace's munmap).
        case unmap
    }

    public var word: UInt64

    public static let maximumSize = 32
    public static let addressBits = 56
    public static let addressMask: UInt64 = (1 << 56) - 1

    @inline(__always)
    public init(word: UInt64) { self.word = word }

    /// - Precondition: `size` in 1...32 and `address` below 2^56 (readers check).
    @inline(__always)
    public init(_ kind: Kind, address: UInt64, size: Int) {
        word = UInt64(kind.rawValue) << 61 | UInt64(size - 1) << 56 | (address & Self.addressMask)
    }

    /// Nil for a word whose kind field names no kind (a corrupt binary trace).
    @inline(__always)
    public var kind: Kind? { Kind(rawValue: UInt8(truncatingIfNeeded: word >> 61)) }
    @inline(__always)
    public var address: UInt64 { word & Self.addressMask }
    /// Bytes for an access, 4 KiB pages for an unmap.
    @inline(__always)
    public var size: Int { Int((word >> 56) & 0x1F) + 1 }
    /// A load, store or modify: what the data TLB translates.
    @inline(__always)
    public var isData: Bool { word >> 61 < 3 }
}
