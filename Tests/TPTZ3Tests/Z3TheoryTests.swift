import Testing
import TPTZ3

/// The parts of Z3 an unbounded proof needs: uninterpreted sorts, arrays,
/// quantifiers, scopes, unsat cores, and SMT-LIB2 export.
@Suite struct Z3TheoryTests {
    /// Over any number of frames: if no frame is owned by 3, storing 0 into one
    /// keeps it so (consecution is unsatisfiable to break), while storing 3 does not.
    @Test func quantifiedInvariantOverArraysOfAnUninterpretedSort() throws {
        let z3 = Z3Context()
        let frame = try z3.uninterpretedSort("Frame"), tag = try z3.bitVectorSort(bits: 2)
        let owner = try z3.constant("owner", z3.arraySort(frame, tag))
        let f = try z3.constant("f", frame), x = try z3.constant("x", frame)
        func invariant(_ array: Z3Term) throws -> Z3Term {
            try z3.forall([x], z3.not(z3.equal(z3.select(array, x), z3.numeral(3, tag))))
        }
        let solver = try Z3Solver(z3, timeoutMilliseconds: 10_000)
        try solver.assert(invariant(owner))
        try solver.push()
        try solver.assert(z3.not(invariant(z3.store(owner, f, z3.numeral(0, tag)))))
        #expect(try solver.check() == .unsatisfiable)
        try solver.pop()
        try solver.assert(z3.not(invariant(z3.store(owner, f, z3.numeral(3, tag)))))
        #expect(try solver.check() == .satisfiable)
        #expect(try solver.model().unsignedValue(of: z3.select(z3.store(owner, f, z3.numeral(3, tag)), f)) == 3)
        #expect(throws: Z3Error.self) { try solver.pop() }
    }

    @Test func unsatCoreNamesTheAssumptionsThatSuffice() throws {
        let z3 = Z3Context()
        let byte = try z3.bitVectorSort(bits: 8)
        let x = try z3.constant("x", byte)
        let small = try z3.constant("small", z3.boolSort()), large = try z3.constant("large", z3.boolSort())
        let unrelated = try z3.constant("unrelated", z3.boolSort())
        let solver = try Z3Solver(z3)
        try solver.assert(z3.implies(small, z3.bvULessThan(x, z3.numeral(3, byte))))
        try solver.assert(z3.implies(large, z3.bvULessThan(z3.numeral(5, byte), x)))
        #expect(try solver.check(assuming: [small, unrelated, large]) == .unsatisfiable)
        #expect(Set(try solver.unsatCore().map(\.description)) == ["small", "large"])
        #expect(try solver.check(assuming: [small, unrelated]) == .satisfiable)
        #expect(try solver.model().boolValue(of: small))
    }

    /// The script a solver writes asserts the same thing: a fresh solver that
    /// reads it gives the same answer, and it ends with (check-sat).
    @Test func smtlib2ScriptReadsBackWithTheSameAnswer() throws {
        let z3 = Z3Context()
        let byte = try z3.bitVectorSort(bits: 8)
        let x = try z3.constant("x", byte)
        for bound: UInt64 in [0, 7] {
            let solver = try Z3Solver(z3)
            try solver.assert(z3.bvULessThan(x, z3.numeral(bound, byte)))
            try solver.assert(z3.distinct([x, z3.numeral(1, byte)]))
            let script = try solver.smtlib2(name: "bound \(bound)")
            #expect(script.contains("(check-sat)"))
            let reread = try Z3Solver(z3)
            try reread.assertSMTLIB2(script)
            #expect(try reread.check() == solver.check())
        }
        #expect(throws: Z3Error.self) { try Z3Solver(z3).assertSMTLIB2("(assert (undeclared))") }
    }
}

/// Datatype formulas as bits: the same answers, and values read back.
@Suite struct BitVectorEncodingTests {
    @Test func datatypeFormulasKeepTheirMeaningAsBits() throws {
        let z3 = Z3Context()
        let vm = try z3.datatype("VM3", [("vm0", []), ("vm1", []), ("vm2", [])])
        let ownership = try z3.datatype("Owner", [("free", []), ("host", []), ("owned", [("id", vm.sort)])])
        let entry = try z3.datatype("Entry", [("none", []), ("entry", [("target", vm.sort), ("writable", z3.boolSort())])])
        let x = try z3.constant("x", ownership.sort), e = try z3.constant("e", entry.sort)
        var bits = Z3BitVectorEncoding(z3)
        func check(_ formula: Z3Term) throws -> (Z3Result, Z3Solver) {
            // One encoding per solver: it hands each constant's range constraint out once.
            bits = Z3BitVectorEncoding(z3)
            let solver = try Z3Solver(z3, logic: "QF_FD")
            let encoded = try bits.encode(formula)
            for constraint in bits.takeConstraints() { try solver.assert(constraint) }
            try solver.assert(encoded)
            return (try solver.check(), solver)
        }
        // owned(vm2), with a writable entry naming the same VM.
        let owner = try ownership.constructors[2].make(vm.constructors[2].make())
        let (sat, solver) = try check(z3.and([z3.equal(x, owner), entry.constructors[1].test(e),
                                              z3.equal(entry.constructors[1].fields[0](e), ownership.constructors[2].fields[0](x)),
                                              entry.constructors[1].fields[1](e)]))
        #expect(sat == .satisfiable)
        let model = try solver.model()
        #expect(try bits.value(of: x, in: model).description == "(owned vm2)")
        #expect(try bits.value(of: e, in: model).description == "(entry vm2 true)")
        // Constructors are distinct, and every constant names some value: a
        // VM field never holds the unused fourth code.
        #expect(try check(z3.and([ownership.constructors[0].test(x), ownership.constructors[2].test(x)])).0 == .unsatisfiable)
        let three = try [0, 1, 2].map { i in try ownership.constructors[2].make(vm.constructors[i].make()) }
        #expect(try check(z3.and([ownership.constructors[2].test(x)] + three.map { try z3.not(z3.equal(x, $0)) })).0 == .unsatisfiable)
    }
}
