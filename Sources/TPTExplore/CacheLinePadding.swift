/// Two cache lines of nothing, as the last field of an object that one thread
/// writes while another reads its neighbour: without it both can share a cache
/// line, and every write makes the other thread's next read a miss.
struct CacheLinePadding {
    private let bytes: (SIMD64<UInt8>, SIMD64<UInt8>) = (.zero, .zero)
}
