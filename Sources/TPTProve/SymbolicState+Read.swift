import Foundation
import TPTModel
import TPTZ3

/// Reading a state out of a counterexample's model, in the words `check` uses.
extension SymbolicState {
    /// Every component at every named value (f0, vm1, p0, ...), as
    /// `name = value` lines; empty entries and idle frames are left out.
    public func read(_ model: Z3Model, of definition: Model, in v: Vocabulary) throws(Z3Error) -> [String] {
        let z3 = v.z3, c = definition.configuration
        var lines: [String] = []
        func value(_ term: Z3Term) throws(Z3Error) -> String { readable(try model.evaluate(term).description) }
        for frame in 0..<c.frames {
            let f = try v.literal(.frame, frame)
            lines.append("owner f\(frame) = \(try value(z3.select(owner, f)))")
            if definition.scheme == .tpt { lines.append("tag f\(frame) = \(try value(z3.select(tag, f)))") }
            let written = try value(z3.select(writer, f))
            lines.append("writer f\(frame) = \(written == "free" ? "clean" : written)")
            if definition.scheme == .pv { lines.append("pinned f\(frame) = \(try value(z3.select(pinned, f)))") }
            let code = try model.unsignedValue(of: z3.select(progress, f))
            if code != 0, Int(code >> 4) - 1 < definition.rules.count {
                let rule = definition.rules[Int(code >> 4) - 1]
                var arguments: [String] = []
                for (slot, parameter) in rule.parameters.enumerated() {
                    let argument = try z3.select(self.arguments[SymbolicState.argumentIndex(slot, parameter.type)], f)
                    arguments.append(try value(argument))
                }
                lines.append("host: \(rule.name)(\(arguments.joined(separator: ", "))) next at step \(code & 0xF + 1)/\(rule.steps.count)")
            }
        }
        for vm in 0..<c.vms {
            let m = try v.literal(.vm, vm)
            let rootValue = try value(z3.select(root, m))
            if rootValue != "empty" { lines.append("root vm\(vm) = \(rootValue)") }
            for page in 0..<c.virtualPages {
                let entry = try value(z3.select(z3.select(tlb, m), v.pageLiteral(page)))
                if entry != "empty" { lines.append("tlb vm\(vm) p\(page) = \(entry)") }
            }
            for gpage in 0..<c.gpages {
                let entry = try value(z3.select(z3.select(nested, m), v.literal(.gpage, gpage)))
                if entry != "empty" { lines.append("\(definition.scheme == .nested ? "nested" : "p2m") vm\(vm) g\(gpage) = \(entry)") }
            }
        }
        return lines
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
