/// One transition's label: who acted and with which parameters. Small and
/// allocation-free, so the explorer can produce one per successor.
public struct Action: Hashable, Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// A guest vCPU reads a virtual page (TLB hit, or walk and fill).
        case read
        /// A guest vCPU writes any value (data or page-table entries) into the
        /// frame a virtual page maps to, and so becomes its last writer.
        case write
        /// A guest vCPU invalidates its TLB entry for one virtual page.
        case invalidatePage
        /// A guest vCPU flushes its whole TLB.
        case flush
        /// A guest loads a new root (CR3): any value, the guest is untrusted.
        case loadRoot
        /// The guest writes its page-table entry for a virtual page (`frame` holds
        /// the new entry: 0 empty, 1 + 2 * guest-physical page + writable); shadow
        /// paging, and every scheme in the equivalence product.
        case writeEntry
        /// Paravirtual paging: the guest asks the host to set its entry for a
        /// virtual page (`frame` holds it: 0 empty, 1 + 2 * frame + writable).
        case hypercall
        /// Equivalence product: a guest vCPU accesses a virtual page under both
        /// schemes (`frame` and `reference` hold the two outcomes: 0 a fault,
        /// 1 + 2 * frame + writable).
        case translate
        /// The host starts a rule: checks the guard, runs the first step (or all
        /// steps, for an atomic rule).
        case startRule
        /// The host runs the next step of an interleaved rule in progress.
        case continueRule
        /// SEV-SNP: the guest validates a guest-physical page (PVALIDATE): the
        /// reverse-map entry of the frame its nested entry maps (`frame`), if
        /// assigned to the VM at that page, becomes validated.
        case validate
        /// A running vCPU acknowledges its pending flush request
        /// (`request_flush`), flushing its TLB.
        case acknowledgeFlush
        /// A running vCPU stops running: it accesses nothing and acknowledges
        /// nothing until it resumes.
        case deschedule
        /// A descheduled vCPU runs again, flushing first if a request is pending.
        case resume
        /// A vCPU's walker caches an upper-level entry it read (`frame`: the
        /// table it names) in its paging-structure cache.
        case cacheTable
    }

    public var kind: Kind
    /// The acting VM and vCPU (guest actions only).
    public var vm: Int8 = 0
    public var vcpu: Int8 = 0
    /// Virtual page, root target, rule index or host thread, by kind.
    public var subject: Int16 = 0
    /// The frame a read or write reached (the walk's choice, on a TLB miss).
    public var frame: Int16 = 0
    /// Shadow paging: whether a page-table write trapped to the host.
    public var trapped = false
    /// Equivalence product: the nested-paging reference's outcome of a translation.
    public var reference: Int16 = 0
    /// Parameters of a started rule.
    public var bindings = Bindings()

    public var isGuest: Bool { kind.isGuest }
}

/// Why a transition breaks a property: what the guest reached and how.
public struct Violation: Sendable, Equatable {
    public enum Route: Sendable, Equatable {
        /// The access used an entry already in the vCPU's TLB.
        case tlbHit
        /// The access walked the page table and reached the frame.
        case walk
        /// The walk read the frame as a page-table node at this level
        /// (`cached`: resuming there from its paging-structure cache, unchecked).
        case pageTableRead(level: Int, cached: Bool = false)
    }

    public var property: Property
    public var vm: Int
    public var frame: Int
    public var route: Route
    /// The frame's owner when it was reached (isolation), or its last writer (leak).
    public var observed: Int
}

extension Action.Kind {
    /// The kind as `--coverage` and the JSON report name it.
    public var name: String {
        switch self {
        case .read: return "read"
        case .write: return "write"
        case .invalidatePage: return "invlpg"
        case .flush: return "flush"
        case .loadRoot: return "load_root"
        case .writeEntry: return "write_entry"
        case .hypercall: return "hypercall"
        case .translate: return "translate"
        case .startRule: return "start_rule"
        case .continueRule: return "continue_rule"
        case .validate: return "pvalidate"
        case .acknowledgeFlush: return "ack_flush"
        case .deschedule: return "deschedule"
        case .resume: return "resume"
        case .cacheTable: return "cache_table"
        }
    }

    public var isGuest: Bool { self != .startRule && self != .continueRule }
}
