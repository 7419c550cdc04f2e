import CZ3

/// A query as a standalone SMT-LIB2 script, for re-checking with another solver
/// (or the `z3` binary). Built from the solver's own record of assertions:
/// `Z3_solver_to_string` omits `(check-sat)` and may add Z3-only commands.
extension Z3Solver {
    /// Every assertion in force, then `(check-sat)`. `name` becomes a comment.
    public func smtlib2(name: String) throws(Z3Error) -> String {
        let all = assertions.flatMap { $0 }
        let formula: Z3Term
        if let last = all.last { formula = last } else { formula = try context.bool(true) }
        let rest: [Z3_ast?] = all.dropLast().map(\.raw)
        let text = withExtendedLifetime(all) {
            rest.withUnsafeBufferPointer {
                Z3_benchmark_to_smtlib_string(context.raw, name, "", "unknown", "", UInt32(rest.count), $0.baseAddress, formula.raw)
            }
        }
        try context.check()
        guard let text else { throw Z3Error(message: "Z3 could not print the query") }
        return String(cString: text)
    }

    /// Asserts every assertion of an SMT-LIB2 script (for tests and re-checks).
    public func assertSMTLIB2(_ script: String) throws(Z3Error) {
        Z3_solver_from_string(context.raw, raw, script)
        try context.check()
    }
}
