import TPTModel

/// The visited set and the BFS queue in one: states are appended in discovery
/// order, so the rows from the queue head onward are the frontier, and each row
/// keeps its parent's index for counterexample reconstruction.
///
/// Storage per state: `words` 64-bit words of packed state, a 32-bit parent index,
/// and a 32-bit slot in an open-addressing hash table kept at most half full. No
/// allocation happens per state; buffers grow by doubling.
final class StateStore {
    let words: Int
    private(set) var count = 0
    private var rows: UnsafeMutablePointer<UInt64>
    private var parents: UnsafeMutablePointer<UInt32>
    private var rowCapacity: Int
    /// Open addressing, linear probing; 0 means empty, otherwise row index + 1.
    private var table: UnsafeMutablePointer<UInt32>
    private var tableMask: Int

    static let noParent = UInt32.max
    /// Row indices must fit in 32 bits (with one value reserved for "no parent").
    static let maxStates = Int(UInt32.max - 1)

    init(words: Int, initialCapacity: Int = 1 << 16) {
        precondition((1...4).contains(words))
        self.words = words
        rowCapacity = initialCapacity
        rows = .allocate(capacity: initialCapacity * words)
        parents = .allocate(capacity: initialCapacity)
        let tableSize = initialCapacity * 2
        table = .allocate(capacity: tableSize)
        table.initialize(repeating: 0, count: tableSize)
        tableMask = tableSize - 1
    }

    deinit {
        rows.deallocate()
        parents.deallocate()
        table.deallocate()
    }

    /// Bytes held now by rows, parents and the table.
    var bytesAllocated: Int {
        rowCapacity * (words * 8 + 4) + (tableMask + 1) * 4
    }

    @inline(__always)
    private func hash(_ state: PackedState) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<words {
            h = (h ^ state.words[index]) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    @inline(__always)
    private func rowEquals(_ row: Int, _ state: PackedState) -> Bool {
        let base = rows + row * words
        for index in 0..<words where base[index] != state.words[index] {
            return false
        }
        return true
    }

    func state(at row: Int) -> PackedState {
        var state = PackedState()
        let base = rows + row * words
        for index in 0..<words { state.words[index] = base[index] }
        return state
    }

    func parent(of row: Int) -> Int? {
        let parent = parents[row]
        return parent == Self.noParent ? nil : Int(parent)
    }

    /// Touches the table slots and candidate rows of a batch of states before they
    /// are inserted. The loads are independent, so the processor overlaps their
    /// cache misses instead of paying for them one after another in `insert`.
    func prefetch(_ states: UnsafePointer<PackedState>, count batchCount: Int) {
        var sink: UInt64 = 0
        for index in 0..<batchCount {
            let entry = table[hash(states[index]) & tableMask]
            if entry != 0 { sink &+= rows[(Int(entry) - 1) * words] }
        }
        prefetchSink = sink
    }

    /// Keeps the prefetch loads observable so the optimizer cannot drop them.
    private var prefetchSink: UInt64 = 0

    /// Adds a state unless already present; returns whether it was new.
    @inline(__always)
    func insert(_ state: PackedState, parent: Int?) -> Bool {
        var slot = hash(state) & tableMask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if rowEquals(Int(entry) - 1, state) { return false }
            slot = (slot + 1) & tableMask
        }
        if count == rowCapacity { growRows() }
        let base = rows + count * words
        for index in 0..<words { base[index] = state.words[index] }
        parents[count] = parent.map { UInt32($0) } ?? Self.noParent
        count += 1
        table[slot] = UInt32(count)
        if count * 2 > tableMask + 1 { growTable() }
        return true
    }

    private func growRows() {
        let newCapacity = rowCapacity * 2
        let newRows = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity * words)
        newRows.update(from: rows, count: count * words)
        rows.deallocate()
        rows = newRows
        let newParents = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newParents.update(from: parents, count: count)
        parents.deallocate()
        parents = newParents
        rowCapacity = newCapacity
    }

    private func growTable() {
        let newSize = (tableMask + 1) * 2
        table.deallocate()
        table = .allocate(capacity: newSize)
        table.initialize(repeating: 0, count: newSize)
        tableMask = newSize - 1
        for row in 0..<count {
            var slot = hash(state(at: row)) & tableMask
            while table[slot] != 0 { slot = (slot + 1) & tableMask }
            table[slot] = UInt32(row + 1)
        }
    }
}
