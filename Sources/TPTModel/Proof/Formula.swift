/// A proof file, resolved: which model it is about, what it proves, and the
/// inductive invariant as named clauses.
public struct ProofSpecification: Sendable {
    public var name: String
    public var file: String
    /// The model's name: `Models/NAME.tpt` next to the proof's folder.
    public var modelName: String
    public var modelLocation: SourceLocation
    /// The properties the proof claims: safety properties, or translation
    /// equivalence alone (its transitions are the product with nested paging).
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
    case frame, vm, gpage, page, vcpu, ownership
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
    /// The VM's entry in one of its maps, at the indices (a vCPU and a page
    /// for a TLB, a vCPU for a root), names the target (nil: the entry is empty).
    case maps(EntryMap, vm: Term, indices: [Term], target: Term?)
    /// The VM's entry in the map (a TLB, direct or guest entry) is present and writable.
    case writable(EntryMap, vm: Term, indices: [Term])
    /// The frame is pinned as a page table.
    case pinned(Term)
    /// A per-vCPU flag of the flush-request protocol (`flushPending`,
    /// `descheduled`) holds of the VM's vCPU.
    case vcpuFlag(Component, vm: Term, vcpu: Term)
    /// The VM's vCPU's paging-structure cache names the frame as a table (`Component.walkCache`).
    case walkCached(vm: Term, vcpu: Term, frame: Term)
    /// A rule is in progress keyed on the frame, with its next step (numbered
    /// from 1, as written in the rule) in the range; any step when nil.
    case running(frame: Term, rule: Int, nextSteps: ClosedRange<Int>?)
}

/// The per-VM maps a clause can read, named as in proof files.
public enum EntryMap: String, Sendable, CaseIterable {
    /// Virtual page to frame, cached.
    case tlb
    /// Guest-physical page to frame: the nested table, or the p2m.
    case nested
    /// Virtual page to frame, as the hardware walks it: a shadow entry, a
    /// validated pv entry.
    case direct
    /// Virtual page to guest-physical page: a shadow-paging guest's own entry.
    case gpt
    /// The root the walk starts from: a frame, or a guest-physical page under nested.
    case root
    /// Virtual page to frame, cached by nested paging: the reference in a
    /// translation-equivalence proof (empty otherwise).
    case referenceTLB = "reference_tlb"

    /// The state's component the map reads.
    public var component: Component {
        switch self {
        case .tlb: .tlb
        case .nested: .nested
        case .direct: .directEntries
        case .gpt: .guestEntries
        case .root: .root
        case .referenceTLB: .referenceTLB
        }
    }

    /// The sorts the map is indexed by after the VM, and the sort it names,
    /// under a scheme: its component's (`Component.indices`, `Component.Value`).
    public func sorts(under scheme: Scheme) -> (indices: [ProofSort], target: ProofSort) {
        let indices = component.indices.dropFirst().map { index -> ProofSort in
            switch index {
            case .frame, .slot: .frame
            case .vm: .vm
            case .vcpu: .vcpu
            case .page: .page
            case .gpage: .gpage
            }
        }
        let target: ProofSort = switch component.value {
        case .guestEntry: .gpage
        case .root: scheme.features.guestTablesName == .gpage ? .gpage : .frame
        default: .frame
        }
        return (indices, target)
    }

    /// Whether entries carry a permission: TLB, direct and guest entries
    /// always, nested entries in a model with read-only ones.
    public func hasPermission(permissions: Bool) -> Bool {
        component.value == .frameEntry || component.value == .guestEntry || (permissions && component.value == .frame)
    }
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
    /// `ro(v)`: the VM, with read access only (models that grant it).
    case ownedReadOnly(Term)
    case owner(Term)
    case tag(Term)
    case writer(Term)
    /// SEV-SNP: the VM the frame's reverse-map entry is assigned to, as an
    /// ownership value (free when unassigned; the page and validation aside).
    case rmp(Term)
    /// A parameter of the rule in progress keyed on the frame.
    case argument(rule: Int, parameter: Int, frame: Term)
    /// What the VM's entry in one of its maps names, at the indices.
    /// Unspecified when the entry is empty: a clause says `!= empty` first.
    case target(EntryMap, vm: Term, indices: [Term])
}
