import TPTModel
import TPTZ3

/// Reading a state out of a counterexample's model, in the words `check` uses.
extension SymbolicState {
    /// Every component at every named value (f0, vm1, p0, ...), as
    /// `name = value` lines; empty entries and idle frames are left out.
    /// `equivalence`: also every scheme's guest and direct entries, and nested
    /// paging's TLB, which the translation-equivalence product keeps.
    public func read(_ model: Z3Model, of definition: Model, in v: Vocabulary, equivalence: Bool = false) throws(Z3Error) -> [String] {
        try read(of: definition, in: v, equivalence: equivalence) { term throws(Z3Error) in try model.evaluate(term) }
    }

    /// The same, with the values a function gives (for models of a different
    /// encoding, such as bounded model checking's bit-vectors): the one
    /// printer's components (`StateValues.components`), as `name = value`.
    public func read(of definition: Model, in v: Vocabulary, equivalence: Bool = false,
                     evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> [String] {
        let values = try values(of: definition, in: v, shape: v.shape, view: equivalence ? .equivalence : .safety, evaluate: evaluate)
        return values.components(rules: definition.rules, omittingNone: true).map { "\($0.name) = \($0.value)" }
    }

    /// What changed between two readings of a state: the new or changed lines,
    /// then the lines whose subject is gone, marked so.
    public static func changes(from before: [String], to after: [String]) -> [String] {
        /// What a line is about: the text before its value.
        func subject(_ line: String) -> Substring {
            line.range(of: " = ").map { line[..<$0.lowerBound] } ?? line[...]
        }
        let afterSubjects = Set(after.map(subject))
        return after.filter { !before.contains($0) } + before.filter { !afterSubjects.contains(subject($0)) }.map { $0 + " (gone)" }
    }
}
