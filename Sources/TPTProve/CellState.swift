import TPTModel
import TPTZ3

/// A state of a bounded unrolling as one constant per cell (per frame, per VM,
/// per VM and page, ...). Each component is a chain of stores of its cells
/// over the initial state's, so a transition's post-state, read at the
/// configuration's literals, simplifies to terms over the previous step's
/// cells: no arrays or quantifiers are left for the solver. Every component
/// has cells, even one the model's states do not keep (`Component.isKept`),
/// which then never changes: leaving those out made the solver slower
/// (tpt-bug-scrub-before-shootdown at depth 10: 153 s against 100 s). The
/// exception is the flush-request flags, below.
struct CellState {
    var state: SymbolicState
    /// Each cell's constant, and where it sits: its component's position in
    /// `SymbolicState.components`, and its indices.
    var cells: [(constant: Z3Term, component: Int, indices: [Z3Term])]

    init(_ v: Vocabulary, name: String, over base: SymbolicState) throws(Z3Error) {
        let z3 = v.z3
        let shape = v.shape
        var values: [Component.Index: [Z3Term]] = [:]
        for index in Component.Index.allCases {
            values[index] = try v.literals(of: index, count: shape.size(of: index))
        }
        let components = base.components.map(\.component)
        var cells: [(constant: Z3Term, component: Int, indices: [Z3Term])] = []
        var position = -1
        state = try base.mapComponents { component, array throws(Z3Error) in
            position += 1
            // The components a model does not use (its flush-request flags,
            // its walk caches) stay the initial state's constant arrays:
            // cells for them made bounded model checking of
            // tpt-bug-no-shootdown at depth 8 take 1.9 times as long.
            if !v.configuration.extras.isSuperset(of: components[position].requiredExtras) { return array }
            let domains = components[position].indices.map { values[$0]! }
            /// A store chain over every index of the first domain (and, nested, of the rest).
            func chain(_ array: Z3Term, _ domains: ArraySlice<[Z3Term]>, _ prefix: [Z3Term]) throws(Z3Error) -> Z3Term {
                var result = array
                for index in domains.first! {
                    let indices = prefix + [index]
                    let value: Z3Term
                    if domains.count == 1 {
                        let range = try z3.sort(of: z3.select(array, index))
                        value = try z3.constant("\(name).\(component)\(indices.map { "." + $0.description }.joined())", range)
                        cells.append((value, position, indices))
                    } else {
                        value = try chain(z3.select(array, index), domains.dropFirst(), indices)
                    }
                    result = try z3.store(result, index, value)
                }
                return result
            }
            return try chain(array, domains[...], [])
        }
        self.cells = cells
    }

    /// Every cell's value in another state of the same shape, in `cells` order.
    func values(in other: SymbolicState, _ z3: Z3Context) throws(Z3Error) -> [Z3Term] {
        let components = other.components
        return try cells.map { cell throws(Z3Error) in
            var term = components[cell.component].term
            for index in cell.indices { term = try z3.select(term, index) }
            return term
        }
    }
}
