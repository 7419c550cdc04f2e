extension Component {
    /// What one cell of a component holds. Each case's meaning is written
    /// here once; its packed codes (`CellCodes`), its Z3 sort
    /// (`Vocabulary.sort(of:)` in TPTProve) and its printed text
    /// (`CellValue.text(as:rules:)`) are the three ways of writing it down,
    /// and each is defined per case in one place.
    public enum Value: Sendable {
        /// free, host, or a VM, which may write the frame or only read it (owner, tag).
        case ownership
        /// clean, or the VM that wrote the frame last (writer).
        case lastWriter
        /// no or yes (pinned, flush-pending, descheduled, walk-cache).
        case flag
        /// free, or assigned to a VM at a guest-physical page, validated or not (rmp).
        case reverseMapEntry
        /// none, or where the walk starts: a frame, or under the schemes whose
        /// guest tables name guest-physical pages, a guest-physical page (root).
        case root
        /// empty, or a frame, writable or read-only (a nested-table or p2m entry).
        case frame
        /// empty, or a frame with its permission (a TLB or direct entry).
        case frameEntry
        /// empty, or a guest-physical page with its permission (a guest's own entry).
        case guestEntry
        /// idle, or the rule in progress, its next step and its parameters.
        case progress
        /// One parameter of the rule in progress: a frame, VM or guest-physical page.
        case argument
    }

    public var value: Value {
        switch self {
        case .owner, .tag: .ownership
        case .writer: .lastWriter
        case .pinned, .flushPending, .descheduled, .walkCache: .flag
        case .rmp: .reverseMapEntry
        case .root: .root
        case .nested: .frame
        case .tlb, .directEntries, .referenceTLB: .frameEntry
        case .guestEntries: .guestEntry
        case .progress: .progress
        case .arguments: .argument
        }
    }
}

/// A frame, VM or guest-physical page inside a cell's value: one of the
/// configuration's literals, or (in a counterexample to induction, whose
/// sorts are unbounded) another element, named as Z3 names it.
public enum Element: Hashable, Sendable, CustomStringConvertible {
    case literal(ValueType, Int)
    case other(String)

    public var description: String {
        switch self {
        case .literal(.frame, let index): "f\(index)"
        case .literal(.vm, let index): "vm\(index)"
        case .literal(.gpage, let index): "g\(index)"
        case .literal(.vcpu, let index): "cpu\(index)"
        case .other(let name): name
        }
    }

    /// The literal's index, if it is one of the type's.
    public func index(_ type: ValueType) -> Int? {
        if case .literal(type, let index) = self { return index }
        return nil
    }
}

/// The value of one cell, whatever backend holds it: what packed codes and Z3
/// values both decode to, and what the printer prints. Which cases a cell
/// may hold is its component's `Component.Value`.
public enum CellValue: Hashable, Sendable {
    /// free, clean, no, none, empty or idle: what a cell of the all-zero state holds.
    case none
    /// Owned or tagged by the host.
    case host
    /// Pinned.
    case yes
    /// A VM (an owner, tag or writer), or a frame or guest-physical page (a
    /// root, a writable nested entry, a rule's argument).
    case element(Element)
    /// A VM that may only read the frame (an owner, tag), or a read-only
    /// nested entry's frame.
    case readOnly(Element)
    /// A page-table or TLB entry: its target and permission.
    case entry(Element, writable: Bool)
    /// A reverse-map entry assigned to a VM at a guest-physical page.
    case assigned(vm: Element, gpage: Element, validated: Bool)
    /// A rule in progress (index into the model's rules), its next step
    /// (0-based) and its arguments.
    case running(rule: Int, nextStep: Int, arguments: [Element])
    /// A progress code that names no step of an interleaved rule: only a
    /// counterexample to induction, which may start anywhere, holds one.
    case unknownProgress(UInt64)

    /// The value as printed states and ITF show it.
    public func text(as kind: Component.Value, rules: [Rule]) -> String {
        switch self {
        case .none:
            switch kind {
            case .ownership, .reverseMapEntry: return "free"
            case .lastWriter: return "clean"
            case .flag: return "no"
            case .root: return "none"
            case .frame, .frameEntry, .guestEntry: return "empty"
            case .progress: return "idle"
            case .argument: return "-"
            }
        case .host: return "host"
        case .yes: return "yes"
        case .element(let element): return element.description
        case .readOnly(let element): return "\(element) ro"
        case .entry(let target, let writable): return "\(target) \(writable ? "rw" : "ro")"
        case .assigned(let vm, let gpage, let validated): return "\(vm) \(gpage)" + (validated ? " validated" : "")
        case .running(let index, let nextStep, let arguments):
            let rule = rules[index]
            return "\(rule.name)(\(arguments.map(\.description).joined(separator: ", "))) at step \(nextStep + 1)/\(rule.steps.count)"
        case .unknownProgress(let code): return "progress code \(code), which names no step of an interleaved rule"
        }
    }
}
