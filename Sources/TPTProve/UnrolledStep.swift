import TPTModel
import TPTZ3

/// One step of the bounded semantics, the one definition bounded model
/// checking unrolls and `boundedSuccessors` enumerates: exactly one
/// transition, host or guest, under the configuration's limits, chosen by a
/// selector, with a cell constant per component value of the state after it.
struct UnrolledStep {
    /// The transitions, limited (`limit`), in the selector's order.
    var transitions: [SymbolicTransition]
    var selector: Z3Term
    /// The state after the step.
    var post: CellState
    /// The formulas that make `post` the chosen transition's successor.
    var relation: [Z3Term]

    /// - Parameters:
    ///   - name: prefixes the step's constants, so that steps do not share them.
    ///   - shape: a state whose components `post` copies the shape of.
    init(_ model: Model, _ v: Vocabulary, from pre: SymbolicState, guest: GuestTransitions, name: String,
         shape: SymbolicState) throws(Z3Error) {
        let z3 = v.z3
        let all = try hostTransitions(model, v, from: pre, naming: name + ".") + guest.transitions
        let selectorSort = try z3.bitVectorSort(bits: 16)
        selector = try z3.constant(name + ".step", selectorSort)
        post = try CellState(v, name: name, over: shape)
        var cases: [Z3Term] = []
        var values = post.cells.map { _ in [Z3Term]() }
        transitions = []
        for (index, transition) in all.enumerated() {
            let bounded = try limit(transition, model, v, from: pre, naming: name + ".")
            cases.append(try z3.and([z3.equal(selector, z3.numeral(UInt64(index), selectorSort)), bounded.enabled]))
            for (cell, value) in try post.values(in: bounded.post, z3).enumerated() { values[cell].append(value) }
            transitions.append(bounded)
        }
        relation = [try z3.or(cases)]
        // Each cell: the chosen transition's value for it.
        for (cell, (constant, _, _)) in post.cells.enumerated() {
            var value = values[cell].last!
            for index in values[cell].indices.dropLast().reversed() {
                value = try z3.ite(z3.equal(selector, z3.numeral(UInt64(index), selectorSort)), values[cell][index], value)
            }
            relation.append(try z3.equal(constant, value))
        }
    }
}

/// Whether some guest transition breaks the property from the state the
/// transitions start in, the selector naming which; nil when none can.
func violationQuery(_ guest: GuestTransitions, _ property: Property, selector: Z3Term, in z3: Z3Context) throws(Z3Error) -> Z3Term? {
    let sort = try z3.sort(of: selector)
    var cases: [Z3Term] = []
    for (index, violations) in guest.violations.enumerated() {
        for violation in violations where violation.property == property {
            cases.append(try z3.and([z3.equal(selector, z3.numeral(UInt64(index), sort)),
                                     guest.transitions[index].enabled, violation.condition]))
        }
    }
    return cases.isEmpty ? nil : try z3.or(cases)
}
