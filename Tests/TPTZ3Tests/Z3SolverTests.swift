import Testing
import TPTZ3

@Suite struct Z3SolverTests {
    /// x + y == 12, x * 3 == y (mod 2^8), x < 100 (so x is 3 or 67): Z3 finds x and y, and the values
    /// read back from the model satisfy the constraints.
    @Test func findsAndReadsBackABitVectorModel() throws {
        let z3 = Z3Context()
        let byte = try z3.bitVectorSort(bits: 8)
        let x = try z3.constant("x", byte), y = try z3.constant("y", byte)
        let solver = try Z3Solver(z3, timeoutMilliseconds: 10_000)
        try solver.assert(z3.equal(z3.bvAdd(x, y), z3.numeral(12, byte)))
        try solver.assert(z3.equal(z3.bvMul(x, z3.numeral(3, byte)), y))
        try solver.assert(z3.bvULessThan(x, z3.numeral(100, byte)))
        #expect(try solver.check() == .satisfiable)
        let model = try solver.model()
        let xValue = try model.unsignedValue(of: x), yValue = try model.unsignedValue(of: y)
        #expect((xValue + yValue) & 0xFF == 12)
        #expect(xValue == 3 || xValue == 67)
        #expect((xValue * 3) & 0xFF == yValue)
        #expect(xValue < 100)
    }

    @Test func contradictoryConstraintsAreUnsatisfiable() throws {
        let z3 = Z3Context()
        let byte = try z3.bitVectorSort(bits: 8)
        let x = try z3.constant("x", byte)
        let solver = try Z3Solver(z3)
        try solver.assert(z3.and([z3.bvULessThan(x, z3.numeral(3, byte)), z3.bvULessThan(z3.numeral(5, byte), x)]))
        #expect(try solver.check() == .unsatisfiable)
        #expect(throws: Z3Error.self) { try solver.model() }
    }

    /// A sort mismatch is a Swift error, not a process exit.
    @Test func sortErrorsBecomeSwiftErrors() throws {
        let z3 = Z3Context()
        let byte = try z3.bitVectorSort(bits: 8), word = try z3.bitVectorSort(bits: 16)
        let x = try z3.constant("x", byte), y = try z3.constant("y", word)
        #expect(throws: Z3Error.self) { try z3.bvAdd(x, y) }
        // The context stays usable after an error.
        #expect(try z3.bvAdd(x, x).description == "(bvadd x x)")
    }
}
