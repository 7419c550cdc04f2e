import CMemory

/// Memory for the state store's big arrays, straight from the kernel: zero
/// without a pass over it, grown without copying, and on 2 MiB pages once it
/// is large. Lookups in a store of millions of states land on random pages,
/// and with 4 KiB pages nearly every one is a TLB miss as well as a cache miss.
///
/// A plain value with manual lifetime, like `UnsafeMutablePointer`: its owner
/// calls `free()` once.
struct MappedRegion<Element> {
    let base: UnsafeMutablePointer<Element>
    let capacity: Int

    init(capacity: Int) {
        let capacity = Swift.max(capacity, 1)
        self.init(base: Self.bind(tpt_map(capacity * MemoryLayout<Element>.stride), bytes: capacity * MemoryLayout<Element>.stride),
                  capacity: capacity)
    }

    /// The region with room for `capacity` elements, the first ones kept; this
    /// one is gone. (Not a mutating method: a call that holds an access to
    /// its owner's property makes every read of it checked at run time.)
    func resized(to capacity: Int) -> MappedRegion {
        let newCapacity = Swift.max(capacity, 1)
        let stride = MemoryLayout<Element>.stride
        return MappedRegion(base: Self.bind(tpt_remap(base, self.capacity * stride, newCapacity * stride),
                                            bytes: newCapacity * stride),
                            capacity: newCapacity)
    }

    private init(base: UnsafeMutablePointer<Element>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Gives the pages wholly inside the first `count` elements back to the
    /// kernel; they must not be read again.
    func discard(first count: Int) {
        tpt_discard(base, count * MemoryLayout<Element>.stride)
    }

    func free() {
        tpt_unmap(base, capacity * MemoryLayout<Element>.stride)
    }

    private static func bind(_ raw: UnsafeMutableRawPointer?, bytes: Int) -> UnsafeMutablePointer<Element> {
        guard let raw else {
            fatalError("the kernel refused \(bytes) bytes for the state store: lower --memory or try --compact")
        }
        return raw.bindMemory(to: Element.self, capacity: bytes / MemoryLayout<Element>.stride)
    }
}
