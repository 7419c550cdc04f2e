import TPTZ3

/// A bounded query: formulas over the bounded state, asserted as bits.
final class BoundedSolver {
    let z3: Z3Context
    let solver: Z3Solver
    let bits: Z3BitVectorEncoding

    init(_ z3: Z3Context, timeoutMilliseconds: UInt32) throws(Z3Error) {
        self.z3 = z3
        solver = try Z3Solver(z3, timeoutMilliseconds: timeoutMilliseconds, logic: "QF_FD")
        bits = Z3BitVectorEncoding(z3)
    }

    /// A formula as bits (array reads resolved), after asserting the range
    /// constraints of the constants it encodes for the first time. Those
    /// constraints go to the solver's base level: the encoding hands each out
    /// once, so one asserted inside a push would be gone after the pop, and a
    /// 1-bit vCPU could then name a vCPU that does not exist.
    func encode(_ formula: Z3Term) throws(Z3Error) -> Z3Term {
        let encoded = try bits.encode(z3.simplify(z3.resolveSelects(formula)))
        for constraint in bits.takeConstraints() { try solver.assert(constraint) }
        return encoded
    }

    func assert(_ formula: Z3Term) throws(Z3Error) { try solver.assert(encode(formula)) }

    /// A term's value in a model of the encoded formulas, in its own sort.
    func value(of term: Z3Term, in model: Z3Model) throws(Z3Error) -> Z3Term {
        try bits.value(of: z3.simplify(z3.resolveSelects(term)), in: model)
    }
}
