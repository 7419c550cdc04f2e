import Testing
@testable import TPTExplore
import TPTModel

/// The state store on its own: exact membership through table growth (whose
/// tags change with the table's size) and row regions that move as they grow,
/// for every state width.
@Suite struct StateStoreTests {
    /// Distinct pseudo-random states of `words` words (a counter through an
    /// invertible mix, so no two are equal).
    private func states(_ count: Int, words: Int, seed: UInt64) -> [PackedState] {
        (0..<count).map { index in
            var state = PackedState()
            for word in 0..<words {
                var x = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ (seed &+ UInt64(word))
                x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
                state.words[word] = word == 0 ? UInt64(index) : x
            }
            return state
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func everyStateOnceAndFoundWhereItWasStored(words: Int) {
        let store = StateStore(words: words)
        store.beginLevel()
        let all = states(60_000, words: words, seed: 7)
        for state in all { #expect(store.insert(state, hash: StateStore.hash(state, words: words)), "a new state was refused") }
        #expect(store.count == all.count)
        for state in all {
            let hash = StateStore.hash(state, words: words)
            #expect(!store.insert(state, hash: hash), "a stored state was stored again")
            guard let reference = store.reference(of: state, hash: hash) else {
                Issue.record("a stored state was not found")
                continue
            }
            #expect(store.state(at: reference) == state)
        }
        #expect(store.count == all.count)
        // States never inserted are not found.
        for state in states(2_000, words: words, seed: 99) where !all.contains(state) {
            #expect(store.reference(of: state, hash: StateStore.hash(state, words: words)) == nil)
        }
    }

    /// States that all come with one hash share a shard, a home bucket and a
    /// tag: every lookup compares rows, and they fill their bucket and spill
    /// into the next ones. (In a new shard's table of 4 buckets, a hash whose
    /// bits 57 and 56 are set starts at the last bucket, so the spill wraps
    /// around; 40 states stay below the first growth, which would place them
    /// by their real hashes.)
    @Test func statesWithOneHashSpillOverFullBucketsAndAreAllFound() {
        let store = StateStore(words: 2)
        store.beginLevel()
        let hash: UInt64 = 0x0300_0000_0000_1234
        let all = states(40, words: 2, seed: 5)
        for state in all { #expect(store.insert(state, hash: hash), "a new state was refused") }
        for state in all {
            #expect(!store.insert(state, hash: hash), "a stored state was stored again")
            #expect(store.reference(of: state, hash: hash).map { store.state(at: $0) } == state)
        }
        #expect(store.count == all.count)
        #expect(store.reference(of: states(41, words: 2, seed: 6)[40], hash: hash) == nil)
    }

    @Test func theRowsOfALevelAreTheStatesAddedInIt() {
        let store = StateStore(words: 2)
        let all = states(10_000, words: 2, seed: 3)
        store.beginLevel()
        for state in all[..<4_000] { _ = store.insert(state, hash: StateStore.hash(state, words: 2)) }
        store.beginLevel()
        for state in all { _ = store.insert(state, hash: StateStore.hash(state, words: 2)) }
        let level = store.rows(ofLevel: 1).flatMap { shard, rows in
            rows.map { store.state(at: StateStore.Reference(shard: shard, row: $0)) }
        }
        #expect(Set(level) == Set(all[4_000...]))
        #expect(level.count == 6_000)
    }

    @Test func aCompactStoreRefusesWhatItHasSeen() {
        let store = StateStore(words: 2, compact: true)
        store.beginLevel()
        let all = states(50_000, words: 2, seed: 11)
        for state in all { #expect(store.insert(state, hash: StateStore.hash(state, words: 2))) }
        for state in all { #expect(!store.insert(state, hash: StateStore.hash(state, words: 2))) }
        store.beginLevel()
        let before = store.bytesAllocated
        store.dropLevels(before: 1)
        #expect(store.bytesAllocated < before)
        #expect(store.count == all.count)
    }
}
