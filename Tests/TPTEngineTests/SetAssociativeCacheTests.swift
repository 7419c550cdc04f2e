import Testing
import TPTEngine

/// Hit and miss sequences worked out by hand.
@Suite struct SetAssociativeCacheTests {
    /// Two sets of two ways: even keys share set 0, odd keys set 1.
    @Test func leastRecentlyUsedIsEvictedWithinItsSet() {
        let cache = SetAssociativeCache(entries: 4, ways: 2)
        // Set contents after each access, most recent first:
        // 0 miss [0]; 2 miss [2,0]; 0 hit [0,2]; 4 miss, evicts 2 [4,0];
        // 2 miss, evicts 0 [2,4]; 0 miss, evicts 4 [0,2]; then set 1:
        // 1 miss [1]; 3 miss [3,1]; 5 miss, evicts 1 [5,3]; 1 miss, evicts 3 [1,5].
        let keys: [UInt64] = [0, 2, 0, 4, 2, 0, 1, 3, 5, 1]
        #expect(keys.map { cache.access($0) } == [false, false, true, false, false, false, false, false, false, false])
        #expect(cache.contents == [[0, 2], [1, 5]])
        #expect(!cache.access(4))
        #expect(cache.contents == [[4, 0], [1, 5]])
        #expect(cache.access(5))
        #expect(cache.contents == [[4, 0], [5, 1]])
    }

    @Test func fullyAssociativeKeepsTheMostRecent() {
        let cache = SetAssociativeCache(entries: 3, ways: 3)
        for key: UInt64 in [7, 8, 9] { #expect(!cache.access(key)) }
        #expect(cache.access(7))               // [7, 9, 8]
        #expect(!cache.access(10))             // evicts 8: [10, 7, 9]
        #expect(!cache.lookup(8))
        #expect(cache.lookup(9))               // [9, 10, 7]
        #expect(cache.contents == [[9, 10, 7]])
    }

    @Test func lookupNeverInsertsAndInvalidationRemoves() {
        let cache = SetAssociativeCache(entries: 8, ways: 4)
        #expect(!cache.lookup(5))
        #expect(cache.contents == [[], []])
        cache.insert(5)
        cache.insert(13)
        cache.insert(21)
        #expect(cache.contents == [[], [21, 13, 5]])
        cache.invalidate(13)
        #expect(cache.contents == [[], [21, 5]])
        cache.insert(2)
        cache.invalidate { $0 > 4 }
        #expect(cache.contents == [[2], []])
        cache.invalidateAll()
        #expect(!cache.lookup(2))
    }
}
