import TPTModel
import TPTZ3

/// Cell values (`CellValue`) as Z3 terms: each kind of value
/// (`Component.Value`) has one sort, and a value one term. The symbolic
/// state's arrays, the bridge from packed states, and the reading of a
/// model's state back all go through these three functions.
extension Vocabulary {
    /// `none | some(...)` over what a root names: frames or guest-physical pages.
    public func rootOption(_ target: ValueType) -> Z3Datatype { target == .gpage ? optionalGPage : optionalFrame }

    /// The sort of a cell of the kind. An argument's sort is its parameter's
    /// type (`type`), and progress is a bit-vector code (`SymbolicState.progressCode`).
    public func sort(of kind: Component.Value, rootTarget: ValueType, type: ValueType = .frame) throws(Z3Error) -> Z3Sort {
        switch kind {
        case .ownership, .lastWriter: ownership.sort
        case .flag: try z3.boolSort()
        case .reverseMapEntry: reverseMapEntry.sort
        case .root: rootOption(rootTarget).sort
        case .frame: nestedEntry.sort
        case .frameEntry: frameEntry.sort
        case .guestEntry: guestEntry.sort
        case .progress: progress
        case .argument: sort(type)
        }
    }

    /// The datatype of an optional or entry cell's values (`none` first).
    public func datatype(of kind: Component.Value, rootTarget: ValueType) throws(Z3Error) -> Z3Datatype {
        switch kind {
        case .ownership, .lastWriter: return ownership
        case .reverseMapEntry: return reverseMapEntry
        case .root: return rootOption(rootTarget)
        case .frame: return nestedEntry
        case .frameEntry: return frameEntry
        case .guestEntry: return guestEntry
        case .flag, .progress, .argument: throw Z3Error(message: "a \(kind) cell is not a datatype")
        }
    }

    /// A cell's value as a term; the progress and argument cells are written
    /// by `SymbolicState.encode`, which knows the rule.
    public func term(_ value: CellValue, as kind: Component.Value, rootTarget: ValueType) throws(Z3Error) -> Z3Term {
        func element(_ element: Element, _ type: ValueType) throws(Z3Error) -> Z3Term {
            guard let index = element.index(type) else { throw Z3Error(message: "\(element) is not one of the configuration's") }
            return try literal(type, index)
        }
        switch (kind, value) {
        case (.ownership, .none), (.lastWriter, .none): return try ownership.constructors[0].make()
        case (.ownership, .host), (.lastWriter, .host): return try ownership.constructors[1].make()
        case (.ownership, .element(let vm)), (.lastWriter, .element(let vm)): return try ownership.constructors[2].make(element(vm, .vm))
        case (.ownership, .readOnly(let vm)) where permissions: return try ownership.constructors[3].make(element(vm, .vm))
        case (.flag, _): return try z3.bool(value == .yes)
        case (.reverseMapEntry, .none): return try reverseMapEntry.constructors[0].make()
        case (.reverseMapEntry, .assigned(let vm, let gpage, let validated)):
            return try reverseMapEntry.constructors[1].make(element(vm, .vm), element(gpage, .gpage), z3.bool(validated))
        case (.root, .none): return try rootOption(rootTarget).constructors[0].make()
        case (.root, .element(let target)): return try rootOption(rootTarget).constructors[1].make(element(target, rootTarget))
        case (.frame, .none): return try nestedEntry.constructors[0].make()
        case (.frame, .element(let frame)) where permissions: return try frameEntry.constructors[1].make(element(frame, .frame), z3.bool(true))
        case (.frame, .readOnly(let frame)) where permissions: return try frameEntry.constructors[1].make(element(frame, .frame), z3.bool(false))
        case (.frame, .element(let frame)): return try optionalFrame.constructors[1].make(element(frame, .frame))
        case (.frameEntry, .none): return try frameEntry.constructors[0].make()
        case (.frameEntry, .entry(let frame, let writable)): return try frameEntry.constructors[1].make(element(frame, .frame), z3.bool(writable))
        case (.guestEntry, .none): return try guestEntry.constructors[0].make()
        case (.guestEntry, .entry(let gpage, let writable)): return try guestEntry.constructors[1].make(element(gpage, .gpage), z3.bool(writable))
        case (.argument, .element(let value)):
            guard case .literal(let type, _) = value else { break }
            return try element(value, type)
        default: break
        }
        throw Z3Error(message: "\(value) is not a value of a \(kind) cell")
    }

    /// The cell value a model gives a term of the kind's sort, with its
    /// frames, VMs and guest-physical pages named by `element` (the
    /// configuration's literal the value equals, or what Z3 calls it).
    /// Progress cells are read by `SymbolicState.values`.
    public func cellValue(of value: Z3Term, as kind: Component.Value, rootTarget: ValueType, type: ValueType = .frame,
                          element: (Z3Term, ValueType) throws(Z3Error) -> Element) throws(Z3Error) -> CellValue {
        func isTrue(_ term: Z3Term) throws(Z3Error) -> Bool { try z3.application(term).name == "true" }
        switch kind {
        case .progress:
            let code = try z3.unsignedValue(ofNumeral: value)
            return code == 0 ? .none : .unknownProgress(code)
        case .argument:
            return .element(try element(value, type))
        case .flag:
            return try isTrue(value) ? .yes : .none
        case .ownership, .lastWriter:
            let (name, arguments) = try z3.application(value)
            if name == "readOnly" { return .readOnly(try element(arguments[0], .vm)) }
            return name == "free" ? .none : name == "host" ? .host : .element(try element(arguments[0], .vm))
        case .reverseMapEntry:
            let arguments = try z3.application(value).arguments
            guard arguments.count == 3 else { return .none }
            return .assigned(vm: try element(arguments[0], .vm), gpage: try element(arguments[1], .gpage), validated: try isTrue(arguments[2]))
        case .root, .frame, .frameEntry, .guestEntry:
            let arguments = try z3.application(value).arguments
            guard let target = arguments.first else { return .none }
            let named = try element(target, kind == .guestEntry ? .gpage : kind == .root ? rootTarget : .frame)
            guard arguments.count == 2 else { return .element(named) }
            // A nested entry with its permission (models with read-only ones).
            if kind == .frame { return try isTrue(arguments[1]) ? .element(named) : .readOnly(named) }
            return .entry(named, writable: try isTrue(arguments[1]))
        }
    }
}

extension Vocabulary {
    /// The sort a component's index ranges over.
    public func sort(of index: Component.Index) -> Z3Sort {
        switch index {
        case .frame: frame
        case .vm: vm
        case .vcpu: vcpu
        case .page: page
        case .gpage: gpage
        case .slot: slot
        }
    }

    /// The first `count` literals of an index's sort (`f0`, `cpu1`,
    /// `thread0`), bounded or not.
    public func literals(of index: Component.Index, count: Int) throws(Z3Error) -> [Z3Term] {
        try (0..<count).map { i throws(Z3Error) -> Z3Term in
            switch index {
            case .frame: try literal(.frame, i)
            case .vm: try literal(.vm, i)
            case .gpage: try literal(.gpage, i)
            case .page: try pageLiteral(i)
            case .vcpu: try vcpuLiteral(i)
            case .slot: slotsAreKeyFrames ? try literal(.frame, i) : try hostThreadLiteral(i)
            }
        }
    }

    /// The shape of a state over this vocabulary: the configuration's
    /// literals, every virtual page, and the slots rules in progress sit on.
    public var shape: StateShape {
        let c = configuration
        return StateShape(configuration: c, pages: c.virtualPages, slots: slotsAreKeyFrames ? c.frames : c.hostThreads,
                          keyFrames: slotsAreKeyFrames)
    }
}

/// Names for the values a model gives: the configuration's literal a value
/// equals (`f2`, `vm0`, `p1`, `cpu0`), or, for an element no literal names
/// (unbounded sorts), what Z3 calls it.
struct ElementNames {
    /// Per value as Z3 prints it: its literal's name, and for a frame, VM,
    /// guest-physical page or vCPU, the element itself.
    private var names: [String: (name: String, element: Element?)] = [:]

    init(_ v: Vocabulary, evaluate: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) {
        let c = v.configuration
        let indices: [(Component.Index, Int, ValueType?)] = [(.frame, c.frames, .frame), (.vm, c.vms, .vm), (.gpage, c.gpages, .gpage),
                                                             (.page, c.virtualPages, nil), (.vcpu, c.vcpus, .vcpu)]
        for (index, count, type) in indices {
            for (position, literal) in try v.literals(of: index, count: count).enumerated() {
                let value = try evaluate(literal).description
                if names[value] == nil { names[value] = (literal.description, type.map { .literal($0, position) }) }
            }
        }
    }

    /// A value's name: its literal's, or Z3's.
    func name(_ value: Z3Term) -> String {
        let text = value.description
        return names[text]?.name ?? text
    }

    /// A frame, VM or guest-physical page: the literal it equals, or Z3's element.
    func element(_ value: Z3Term, _ type: ValueType) -> Element {
        let text = value.description
        if let element = names[text]?.element, element.index(type) != nil { return element }
        return .other(text)
    }
}
