import TPTModel
import TPTZ3

/// A state as Z3 arrays: the same maps a packed state holds, indexed by the
/// vocabulary's sorts instead of by position.
///
/// A TLB is a map from (VM, vCPU, virtual page) to an entry, with no capacity:
/// every behaviour of a bounded TLB of any size is a behaviour of this one
/// (evicting is dropping an entry), so what holds here holds for every TLB size,
/// and for every number of vCPUs.
///
/// An interleaved rule in progress is kept on a slot (`Vocabulary.slot`):
/// `progress` says which rule and which step is next, and `arguments` hold its
/// parameters. Unbounded, a slot is the rule's key frame (its first frame
/// parameter) and any number of rules may be in progress at once, which covers
/// every number of host threads for models whose rules guard on
/// `not in_flight(f)` (`proofCoverage` refuses the others). Bounded, the slots
/// are the configuration's host threads.
public struct SymbolicState {
    public var owner: Z3Term
    public var tag: Z3Term
    public var writer: Z3Term
    public var pinned: Z3Term
    /// Frame to SEV-SNP reverse-map entry (`Vocabulary.reverseMapEntry`); all unassigned outside snp.
    public var rmp: Z3Term
    public var root: Z3Term
    public var tlb: Z3Term
    public var nested: Z3Term
    public var guestEntries: Z3Term
    public var directEntries: Z3Term
    /// Nested paging's TLB, the reference a translation-equivalence proof
    /// compares the model's translations with; empty outside that product.
    public var referenceTLB: Z3Term
    /// Slot to progress code (`progressCode`).
    public var progress: Z3Term
    /// VM to vCPU to Bool: an unacknowledged flush request; all false where
    /// the model sends none.
    public var flushPending: Z3Term
    /// VM to vCPU to Bool: the vCPU is not running.
    public var descheduled: Z3Term
    /// VM to vCPU to frame to Bool: the vCPU's paging-structure cache names
    /// the frame as a page table; all false where the walker caches none.
    public var walkCache: Z3Term
    /// Slot to the value of parameter `i` of type `t`, at index
    /// `argumentIndex(i, t)`.
    public var arguments: [Z3Term]

    /// Every component but the rules' parameters, in a fixed order, with its
    /// description (`Component`: its indices, and which states keep it).
    private static var componentArrays: [(Component, WritableKeyPath<SymbolicState, Z3Term>)] {
        [(.owner, \.owner), (.tag, \.tag), (.writer, \.writer), (.pinned, \.pinned), (.rmp, \.rmp), (.root, \.root),
         (.tlb, \.tlb), (.nested, \.nested), (.guestEntries, \.guestEntries), (.directEntries, \.directEntries),
         (.referenceTLB, \.referenceTLB), (.progress, \.progress), (.flushPending, \.flushPending), (.descheduled, \.descheduled),
         (.walkCache, \.walkCache)]
    }

    /// A component's array; `.arguments` has one per parameter position and
    /// type (`arguments`), not one.
    public func array(of component: Component) throws(Z3Error) -> Z3Term {
        guard let path = Self.componentArrays.first(where: { $0.0 == component })?.1 else {
            throw Z3Error(message: "the rules' parameters are one array per position and type")
        }
        return self[keyPath: path]
    }

    /// Every component's array, in a fixed order, with its description; the
    /// parameters of rules in progress are one array per parameter position
    /// and type, all `.arguments`.
    public var components: [(component: Component, term: Z3Term)] {
        Self.componentArrays.map { ($0.0, self[keyPath: $0.1]) } + arguments.map { (.arguments, $0) }
    }

    /// Where a rule in progress stands: (rule + 1) * 16 + the next step; 0 is idle.
    public static func progressCode(rule: Int, nextStep: Int) -> UInt64 { UInt64((rule + 1) * 16 + nextStep) }

    public static func argumentIndex(_ slot: Int, _ type: ValueType) -> Int {
        slot * ValueType.allCases.count + ValueType.allCases.firstIndex(of: type)!
    }

    /// Unconstrained arrays named `NAME.owner`, `NAME.tlb`, and so on, each
    /// indexed as its component says (`Component.indices`) and holding its
    /// value's sort (`Vocabulary.sort(of:rootTarget:)`).
    public static func fresh(_ v: Vocabulary, name: String, scheme: Scheme) throws(Z3Error) -> SymbolicState {
        try make(v, scheme: scheme,
                 component: { component, sort throws(Z3Error) in try v.z3.constant("\(name).\(component.rawValue)", sort) },
                 argument: { position, type, sort throws(Z3Error) in try v.z3.constant("\(name).argument\(position).\(type.rawValue)", sort) })
    }

    /// A state whose arrays the functions make, given each one's component
    /// (or parameter position and type) and sort.
    static func make(_ v: Vocabulary, scheme: Scheme, component array: (Component, Z3Sort) throws(Z3Error) -> Z3Term,
                     argument: (_ position: Int, ValueType, Z3Sort) throws(Z3Error) -> Z3Term) throws(Z3Error) -> SymbolicState {
        let z3 = v.z3, rootTarget = scheme.features.guestTablesName
        func sort(_ indices: [Component.Index], _ range: Z3Sort) throws(Z3Error) -> Z3Sort {
            var sort = range
            for index in indices.reversed() { sort = try z3.arraySort(v.sort(of: index), sort) }
            return sort
        }
        func component(_ component: Component) throws(Z3Error) -> Z3Term {
            try array(component, sort(component.indices, v.sort(of: component.value, rootTarget: rootTarget)))
        }
        var arguments: [Z3Term] = []
        for position in 0..<Rule.maxParameters {
            for type in ValueType.allCases {
                arguments.append(try argument(position, type, sort(Component.arguments.indices, v.sort(of: .argument, rootTarget: rootTarget, type: type))))
            }
        }
        return SymbolicState(
            owner: try component(.owner), tag: try component(.tag), writer: try component(.writer), pinned: try component(.pinned),
            rmp: try component(.rmp), root: try component(.root), tlb: try component(.tlb), nested: try component(.nested),
            guestEntries: try component(.guestEntries), directEntries: try component(.directEntries),
            referenceTLB: try component(.referenceTLB), progress: try component(.progress),
            flushPending: try component(.flushPending), descheduled: try component(.descheduled),
            walkCache: try component(.walkCache), arguments: arguments)
    }

    /// The same state with each component replaced, in `components` order;
    /// `name` tells the arrays apart (`owner`, ..., `argument 3`).
    public func mapComponents(_ transform: (_ name: String, _ term: Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> SymbolicState {
        var result = self
        for (component, path) in Self.componentArrays { result[keyPath: path] = try transform(component.rawValue, self[keyPath: path]) }
        for index in arguments.indices { result.arguments[index] = try transform("argument \(index)", arguments[index]) }
        return result
    }

    /// The formula that two states are equal, component by component.
    public func equals(_ other: SymbolicState, in z3: Z3Context) throws(Z3Error) -> Z3Term {
        var parts: [Z3Term] = []
        for (mine, theirs) in zip(components, other.components) {
            parts.append(try z3.equal(mine.term, theirs.term))
        }
        return try z3.and(parts)
    }
}

extension SymbolicState {
    /// What every state holds by construction, though the sorts allow more:
    /// a last writer is never read-only (it shares the ownership sort, whose
    /// read-only case only owners and tags take). No step stores such a
    /// value and the initial state holds none, so a proof may assume it of
    /// the state before each transition, as it assumes the invariant.
    public func wellFormed(_ v: Vocabulary) throws(Z3Error) -> [Z3Term] {
        guard v.permissions else { return [] }
        let z3 = v.z3, f = try z3.constant("wellFormed.f", v.frame)
        let readOnly = try v.ownership.constructors[3].test(z3.select(writer, f))
        return [try z3.forall([f], z3.not(readOnly))]
    }
}
