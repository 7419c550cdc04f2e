import CZ3

/// A cache from terms (by AST id) to what a rewrite made of them.
///
/// It holds each term it is keyed on, so that the id stays that term's. The
/// terms live in an array, not in the dictionary: a dictionary releases its
/// values in hash order, which Swift seeds per process, and Z3 reuses the ids
/// of released terms for the next ones it makes. Releasing in hash order made
/// the ids, and with them Z3's quantifier instantiation, differ from run to run
/// (seen: a proof obligation that took 0.01 s in most runs timed out in one of
/// four). Released in insertion order, every run asks Z3 the same thing.
struct TermMemo {
    private var index: [UInt32: Int] = [:]
    private var entries: [(original: Z3Term, result: Z3Term)] = []

    func result(for term: Z3Term, in context: Z3Context) -> Z3Term? {
        index[Z3_get_ast_id(context.raw, term.raw)].map { entries[$0].result }
    }

    mutating func record(_ term: Z3Term, _ result: Z3Term, in context: Z3Context) {
        index[Z3_get_ast_id(context.raw, term.raw)] = entries.count
        entries.append((term, result))
    }
}
