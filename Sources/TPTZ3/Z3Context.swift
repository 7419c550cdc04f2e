import CZ3

/// Owns one Z3 context (reference-counted flavour). Every term, sort, solver and
/// model holds a strong reference to its context, so none outlives it.
///
/// Z3 contexts are not thread-safe: use one context per task. The class is
/// `@unchecked Sendable` only so a task can own it; it must never be shared.
public final class Z3Context: @unchecked Sendable {
    let raw: OpaquePointer

    public init() {
        let config = Z3_mk_config()
        raw = Z3_mk_context_rc(config)!
        Z3_del_config(config)
        // Without a handler, an error prints and exits the process.
        Z3_set_error_handler(raw, nil)
    }

    deinit {
        Z3_del_context(raw)
    }

    /// Throws the pending Z3 error, if the last call set one.
    func check() throws(Z3Error) {
        let code = Z3_get_error_code(raw)
        if code != Z3_OK {
            let message = String(cString: Z3_get_error_msg(raw, code))
            throw Z3Error(message: message)
        }
    }

    func wrap(_ ast: Z3_ast?) throws(Z3Error) -> Z3Term {
        try check()
        guard let ast else { throw Z3Error(message: "Z3 returned no term") }
        return Z3Term(context: self, raw: ast)
    }
}
