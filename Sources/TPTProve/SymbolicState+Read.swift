import Foundation
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
    /// encoding, such as bounded model checking's bit-vectors).
    public func read(of definition: Model, in v: Vocabulary, equivalence: Bool = false,
                     evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> [String] {
        let z3 = v.z3, c = definition.configuration
        var lines: [String] = []
        func value(_ term: Z3Term) throws(Z3Error) -> String { readable(try evaluate(term).description) }
        // The components the model's states keep, named as `check` names them.
        let features = definition.scheme.features, view: TransitionSystem.View = equivalence ? .equivalence : .safety
        func kept(_ component: Component) -> Bool { component.isKept(under: features, in: view) }
        func label(_ component: Component) -> String { component.label(under: features) }
        for frame in 0..<c.frames {
            let f = try v.literal(.frame, frame)
            for (component, map) in [(Component.owner, owner), (.tag, tag), (.writer, writer), (.pinned, pinned), (.rmp, rmp)] where kept(component) {
                let read = try value(z3.select(map, f))
                lines.append("\(label(component)) f\(frame) = \(component == .writer && read == "free" ? "clean" : read)")
            }
        }
        // Rules in progress: on their key frames (unbounded), or on host threads.
        var slots: [Z3Term] = []
        if !v.slotsAreKeyFrames, let threads = try v.everySlot() {
            slots = threads
        } else {
            for frame in 0..<c.frames { slots.append(try v.literal(.frame, frame)) }
        }
        for (index, slot) in slots.enumerated() {
            let host = v.slotsAreKeyFrames || c.hostThreads == 1 ? label(.progress) : "\(label(.progress)) thread \(index)"
            let code = try z3.unsignedValue(ofNumeral: evaluate(z3.select(progress, slot)))
            // A counterexample to induction may hold any code, even one naming no
            // rule's step: that is shown as it is.
            let ruleIndex = Int(code >> 4) - 1, nextStep = Int(code & 0xF)
            if code != 0, !definition.rules.indices.contains(ruleIndex) || definition.rules[ruleIndex].isAtomic
                || !(1..<definition.rules[ruleIndex].steps.count).contains(nextStep) {
                lines.append("\(host): progress \(v.slotsAreKeyFrames ? "f\(index)" : "thread \(index)") = \(code) (names no step of an interleaved rule)")
            } else if code != 0 {
                let rule = definition.rules[ruleIndex]
                var arguments: [String] = []
                for (slot, parameter) in rule.parameters.enumerated() {
                    let argument = try z3.select(self.arguments[SymbolicState.argumentIndex(slot, parameter.type)], slots[index])
                    arguments.append(try value(argument))
                }
                lines.append("\(host): \(rule.name)(\(arguments.joined(separator: ", "))) next at step \(code & 0xF + 1)/\(rule.steps.count)")
            }
        }
        for vm in 0..<c.vms {
            let m = try v.literal(.vm, vm)
            let rootValue = try value(z3.select(root, m))
            if kept(.root) && rootValue != "empty" { lines.append("\(label(.root)) vm\(vm) = \(rootValue)") }
            /// A vCPU's TLB, named as `check` names it.
            func tlbLines(_ map: Z3Term, _ name: String) throws(Z3Error) {
                for vcpu in 0..<c.vcpus {
                    let owner = c.vcpus == 1 ? "vm\(vm)" : "vm\(vm).cpu\(vcpu)"
                    for page in 0..<c.virtualPages {
                        let entry = try value(z3.select(z3.select(z3.select(map, m), v.vcpuLiteral(vcpu)), v.pageLiteral(page)))
                        if entry != "empty" { lines.append("\(name) \(owner) p\(page) = \(entry)") }
                    }
                }
            }
            try tlbLines(tlb, label(.tlb))
            if kept(.referenceTLB) { try tlbLines(referenceTLB, label(.referenceTLB)) }
            for gpage in 0..<c.gpages {
                let entry = try value(z3.select(z3.select(nested, m), v.literal(.gpage, gpage)))
                if entry != "empty" { lines.append("\(label(.nested)) vm\(vm) g\(gpage) = \(entry)") }
            }
            for page in 0..<c.virtualPages {
                let p = try v.pageLiteral(page)
                let guest = try value(z3.select(z3.select(guestEntries, m), p))
                if kept(.guestEntries) && guest != "empty" { lines.append("\(label(.guestEntries)) vm\(vm) p\(page) = \(guest)") }
                let entry = try value(z3.select(z3.select(directEntries, m), p))
                if kept(.directEntries) && entry != "empty" { lines.append("\(label(.directEntries)) vm\(vm) p\(page) = \(entry)") }
            }
        }
        return lines
    }

    /// What changed between two readings of a state: the new or changed lines,
    /// then the lines whose subject is gone, marked so.
    public static func changes(from before: [String], to after: [String]) -> [String] {
        /// What a line is about: the text before its value.
        func subject(_ line: String) -> Substring {
            line.range(of: " = ").map { line[..<$0.lowerBound] } ?? line.range(of: " next at").map { line[..<$0.lowerBound] } ?? line[...]
        }
        let afterSubjects = Set(after.map(subject))
        return after.filter { !before.contains($0) } + before.filter { !afterSubjects.contains(subject($0)) }.map { $0 + " (gone)" }
    }
}

/// Datatype values as `check` prints them: `(owned vm0)` is vm0, `(someFrame
/// f2)` is f2, `(entry f1 true)` is `f1 rw`, and the `no...` constructors are empty.
func readable(_ text: String) -> String {
    var result = text
    let rules: [(String, String)] = [
        (#"\(owned ([^()\s]+)\)"#, "$1"), (#"\(some(?:Frame|GPage) ([^()\s]+)\)"#, "$1"),
        (#"\(entry ([^()\s]+) true\)"#, "$1 rw"), (#"\(entry ([^()\s]+) false\)"#, "$1 ro"),
        (#"\(guestEntry ([^()\s]+) true\)"#, "$1 rw"), (#"\(guestEntry ([^()\s]+) false\)"#, "$1 ro"),
        (#"\bno(?:Frame|GPage|Entry|GuestEntry)\b"#, "empty"), (#"\btrue\b"#, "yes"), (#"\bfalse\b"#, "no"),
    ]
    for (pattern, template) in rules {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
        result = expression.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
    }
    return result
}
