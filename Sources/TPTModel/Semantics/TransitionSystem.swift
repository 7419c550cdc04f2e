/// The meaning of a model: its initial state and every transition, as pure
/// functions over `PackedState`.
///
/// The explicit checker's semantics. Primitive steps, guards, the walk, the
/// rule scheduler and the properties (`Primitives.swift`), and the guest's
/// moves (`GuestMoves.swift`, `EquivalenceMoves.swift`) are defined once and
/// shared with the Z3 encoding, which runs them on terms; this runs them on
/// packed states (`ConcreteAlgebra`). Bounded counterexamples replay on this
/// semantics before they are printed, and the differential tests compare the
/// backends on random models (`Documentation/Internals/Semantics.md`).
public final class TransitionSystem: Sendable {
    /// Which question a state space answers.
    public enum View: Sendable {
        /// The model as written, against an untrusted guest that writes anything:
        /// isolation and no_data_leak.
        case safety
        /// The product of the model with nested paging, for a cooperating guest
        /// (`EquivalenceMoves.swift`): equivalent_to_nested.
        case equivalence
    }

    public let model: Model
    /// What the model's scheme has (`Scheme.features`), kept: the successor
    /// function asks it on every state.
    public let features: SchemeFeatures
    public let view: View
    public let layout: StateLayout
    let configuration: Configuration
    /// Values a guest page-table entry or root can point at: frames (tpt, pv) or
    /// guest-physical pages (nested, shadow, snp).
    let targets: Int
    /// Virtual pages per VM: the configuration's, or in the equivalence view the
    /// tracked pages.
    public let pages: Int
    let checksIsolation: Bool
    let checksLeak: Bool
    let rules: RuleTable

    /// - Parameter trackedPages: in the equivalence view, how many virtual pages
    ///   per VM to track. One suffices (see `EquivalenceMoves.swift`);
    ///   tests track more to confirm it.
    public init(model: Model, view: View = .safety, trackedPages: Int = 1) {
        self.model = model
        features = model.scheme.features
        self.view = view
        configuration = model.configuration
        let c = model.configuration
        // A model changed after resolving, as `necessity` changes one, may
        // keep state it no longer needs, never lack state it uses.
        precondition(c.flushRequests || !model.usesFlushRequests, "a model's configuration records whether its rules send flush requests")
        precondition(c.permissions || !model.usesPermissions, "a model's configuration records whether it grants read-only access")
        targets = model.scheme.guestTablesNameGuestPhysical ? c.gpages : c.frames
        pages = view == .safety ? c.virtualPages : min(trackedPages, c.virtualPages)
        layout = StateLayout(scheme: model.scheme, configuration: c, view: view, pages: pages,
                             maxRuleParameters: max(1, model.rules.map(\.parameters.count).max() ?? 1),
                             rules: model.rules.count)
        checksIsolation = view == .safety && model.properties.contains(.isolation)
        checksLeak = view == .safety && model.properties.contains(.noDataLeak)
        rules = RuleTable(model.rules, configuration: c)
    }

    /// The properties this view decides, in the order the model checks them.
    public var properties: [Property] {
        model.properties.filter { view == .equivalence ? !$0.isSafety : $0.isSafety }
    }

    /// All frames free and clean, no roots, empty TLBs, then the model's `init` steps.
    public func initialState() -> PackedState {
        var state = PackedState()
        for step in model.initialSteps {
            apply(step, Bindings(), to: &state)
        }
        return state
    }

    // MARK: Component access

    @inline(__always) func owner(_ s: PackedState, _ frame: Int) -> Int { s[layout.owner[frame]] }
    @inline(__always) func tag(_ s: PackedState, _ frame: Int) -> Int { s[layout.tag[frame]] }
    /// A frame's owner or tag field. (A field, not the record's array of them:
    /// an array returned is retained, an atomic write on every call.)
    @inline(__always) func recordField(_ record: OwnershipRecord, _ frame: Int) -> Field {
        record == .owner ? layout.owner[frame] : layout.tag[frame]
    }
    @inline(__always) func writer(_ s: PackedState, _ frame: Int) -> Int { s[layout.writer[frame]] }
    @inline(__always) public func tlbIndex(_ vm: Int, _ vcpu: Int) -> Int {
        (vm * configuration.vcpus + vcpu) * configuration.tlb
    }
    @inline(__always) public func nestedIndex(_ vm: Int, _ gpage: Int) -> Int { vm * configuration.gpages + gpage }
    @inline(__always) public func pageIndex(_ vm: Int, _ page: Int) -> Int { vm * pages + page }

    // The codes' formulas (`CellCodes`), as the successor function reads them.
    @inline(__always) static func tagCode(vm: Int) -> Int { CellCodes.ownership(vm: vm) }
    static let freeTag = CellCodes.free
    static let hostTag = CellCodes.host
    @inline(__always) static func entryCode(target: Int, writable: Bool) -> Int { CellCodes.entryCode(target: target, writable: writable) }
    @inline(__always) public static func entryTarget(_ code: Int) -> Int { CellCodes.entryTarget(code) }
    @inline(__always) public static func entryIsWritable(_ code: Int) -> Bool { CellCodes.entryIsWritable(code) }
    @inline(__always) func tlbCode(page: Int, frame: Int, writable: Bool) -> Int { layout.codes.tlbCode(page: page, frame: frame, writable: writable) }
    @inline(__always) public func tlbEntry(_ code: Int) -> (page: Int, frame: Int, writable: Bool) { layout.codes.tlbEntry(code) }
    @inline(__always) public func reverseMapCode(vm: Int, gpage: Int, validated: Bool) -> Int {
        layout.codes.reverseMapCode(vm: vm, gpage: gpage, validated: validated)
    }
    @inline(__always) public func reverseMapEntry(_ code: Int) -> (vm: Int, gpage: Int, validated: Bool) { layout.codes.reverseMapEntry(code) }

    /// Keeps one vCPU's TLB entries (or, given `layout.referenceTLB`, its
    /// reference TLB's) sorted, largest first, so equal sets are equal states.
    @inline(__always) func normalizeTLB(_ s: inout PackedState, base: Int, _ fields: [Field]? = nil) {
        let fields = fields ?? layout.tlb
        let count = configuration.tlb
        if count < 2 { return }
        // Insertion sort over at most four entries.
        for i in 1..<count {
            var j = i
            while j > 0 {
                let above = s[fields[base + j - 1]]
                let here = s[fields[base + j]]
                if above >= here { break }
                s[fields[base + j - 1]] = here
                s[fields[base + j]] = above
                j -= 1
            }
        }
    }
}
