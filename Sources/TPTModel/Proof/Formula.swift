/// A proof file, resolved: which model it is about, what it proves, and the
/// inductive invariant as named clauses.
public struct ProofSpecification: Sendable {
    public var name: String
    public var file: String
    /// The model's name: `Models/NAME.tpt` next to the proof's folder.
    public var modelName: String
    public var modelLocation: SourceLocation
    /// The properties the proof claims (safety properties for now).
    public var properties: [Property]
    public var clauses: [Clause]
}

/// One named clause of an invariant.
public struct Clause: Sendable {
    public var name: String
    public var formula: Formula
    public var location: SourceLocation
}

/// The sorts a clause's terms range over.
public enum ProofSort: String, Sendable, Equatable {
    case frame, vm, gpage, page, ownership
}

/// A clause, resolved and typed: quantifiers over frames, VMs and pages, and
/// atoms over the state's maps. Every clause holds of a state for any number of
/// frames, VMs and pages.
public indirect enum Formula: Sendable {
    case constant(Bool)
    case not(Formula)
    case and(Formula, Formula)
    case or(Formula, Formula)
    case implies(Formula, Formula)
    case forall([(name: String, sort: ProofSort)], Formula)
    /// Two terms of the same sort are equal.
    case equal(Term, Term)
    /// An ownership value names some VM.
    case namesVM(Term)
    /// The VM's TLB entry for the page maps the frame (nil: there is none).
    case tlbMaps(vm: Term, page: Term, frame: Term?)
    /// The VM's nested-table (or p2m) entry for the page maps the frame (nil: empty).
    case nestedMaps(vm: Term, gpage: Term, frame: Term?)
    /// The frame is pinned as a page table.
    case pinned(Term)
    /// A rule is in progress keyed on the frame, with its next step (numbered
    /// from 1, as written in the rule) in the range; any step when nil.
    case running(frame: Term, rule: Int, nextSteps: ClosedRange<Int>?)
}

/// A value in a clause.
public indirect enum Term: Sendable {
    case variable(String, ProofSort)
    /// f0, vm1, g0, p0.
    case literal(ProofSort, Int)
    case free
    case host
    /// The ownership value of a VM.
    case owned(Term)
    case owner(Term)
    case tag(Term)
    case writer(Term)
    /// A parameter of the rule in progress keyed on the frame.
    case argument(rule: Int, parameter: Int, frame: Term)
}
