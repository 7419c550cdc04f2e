/// The state's components, described once: what each is indexed by, what
/// kind of value a cell holds (`value`, in `Component+Value.swift`), under
/// which schemes and views a state keeps it, and what printed states call
/// it. The packed layout (`StateLayout`), the symbolic state
/// (`SymbolicState.make`), bounded model checking's cells (`CellState`), the
/// proof language's maps (`EntryMap`) and the printer (`StateValues`) read
/// this description. A component the model's scheme and view do not keep is
/// absent from packed states and never changes in a symbolic one: the
/// resolver refuses the steps that would change it. (A printed component of
/// one state, name and value, is a `StateComponent`.)
public enum Component: String, CaseIterable, Sendable {
    /// Per frame: the host's record of who owns it.
    case owner
    /// Per frame: TPT's hardware tag.
    case tag
    /// Per frame: the VM that wrote it last.
    case writer
    /// Per frame: a pinned page table (pv).
    case pinned
    /// Per frame: the SEV-SNP reverse-map entry.
    case rmp
    /// Per VM and vCPU: where the vCPU's hardware walk starts (its CR3).
    /// Each vCPU loads its own, so two vCPUs of a VM may run on different
    /// page tables.
    case root
    /// Per VM, vCPU and virtual page: the cached translation.
    case tlb
    /// Per VM and guest-physical page: the nested table, or the host's p2m.
    case nested
    /// Per VM and virtual page: the guest's own entry (shadow paging's guest table).
    case guestEntries
    /// Per VM and virtual page: the entry the hardware uses (the shadow, the validated table).
    case directEntries
    /// The nested-paging reference's TLB (the equivalence product).
    case referenceTLB
    /// Per slot (a host thread, or a proof's key frame): the rule in progress and its next step.
    case progress
    /// Per slot: the parameters of the rule in progress.
    case arguments
    /// Per VM and vCPU: a flush request the vCPU has not acknowledged
    /// (models whose rules send them: `Configuration.flushRequests`).
    case flushPending
    /// Per VM and vCPU: the vCPU is not running (it makes no access and
    /// acknowledges nothing until it runs again). Kept with `flushPending`.
    case descheduled
    /// Per VM, vCPU and frame: the vCPU's paging-structure cache holds an
    /// upper-level entry naming the frame as a page table, with the tag
    /// check made when it was cached (models whose walker caches upper
    /// levels: `Configuration.walkCache`).
    case walkCache

    /// What a component is indexed by, outermost first.
    public enum Index: Sendable, CaseIterable {
        case frame, vm, vcpu, page, gpage, slot
    }

    public var indices: [Index] {
        switch self {
        case .owner, .tag, .writer, .pinned, .rmp: [.frame]
        case .root: [.vm, .vcpu]
        case .tlb, .referenceTLB: [.vm, .vcpu, .page]
        case .nested: [.vm, .gpage]
        case .guestEntries, .directEntries: [.vm, .page]
        case .progress, .arguments: [.slot]
        case .flushPending, .descheduled: [.vm, .vcpu]
        case .walkCache: [.vm, .vcpu, .frame]
        }
    }

    /// What printed states call the component, before its indices
    /// (`owner f0`, `p2m vm0 g1`): the one name every printed state and ITF use.
    public func label(under features: SchemeFeatures) -> String {
        switch self {
        case .owner, .tag, .writer, .pinned, .rmp, .root, .tlb: rawValue
        case .nested: features.walksNestedTable ? "nested" : "p2m"
        case .guestEntries: "gpt"
        case .directEntries: features.directEntryName
        case .referenceTLB: "nested-tlb"
        case .progress, .arguments: "host"
        case .flushPending: "flush-pending"
        case .descheduled: "descheduled"
        case .walkCache: "walk-cache"
        }
    }

    /// Whether a state of the scheme, in the view, keeps the component;
    /// `extras`: what the model uses of the components kept only for it.
    public func isKept(under features: SchemeFeatures, in view: TransitionSystem.View, extras: StateExtras) -> Bool {
        let equivalence = view == .equivalence
        switch self {
        case .owner, .writer, .tlb, .nested: return true
        case .tag: return features.hardwareTags
        case .pinned: return features.pinnedFrames
        case .rmp: return features.reverseMap
        // The product compares one page's translation: no multi-level walk, no root.
        case .root: return !equivalence && features.hasRoot
        case .guestEntries: return equivalence || features.keepsGuestEntries
        case .directEntries: return equivalence || features.keepsDirectEntries
        case .referenceTLB: return equivalence
        // The product runs every rule as one step.
        case .progress, .arguments: return !equivalence
        // The product runs rules whole, so it cannot wait for a guest's
        // acknowledgement: the resolver refuses equivalence with them.
        // The product has no multi-level walk: the resolver refuses
        // equivalence with a walk cache too.
        case .flushPending, .descheduled, .walkCache: return !equivalence && extras.isSuperset(of: requiredExtras)
        }
    }

    /// What a model must use for states to keep the component (`Configuration.extras`).
    public var requiredExtras: StateExtras {
        switch self {
        case .flushPending, .descheduled: .flushRequests
        case .walkCache: .walkCache
        default: []
        }
    }
}
