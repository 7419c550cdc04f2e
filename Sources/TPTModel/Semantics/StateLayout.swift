/// Places every component of the state into bit fields of a `PackedState`, sized
/// for one configuration and view: each cell of each component the scheme and
/// view keep (`Component.isKept`) takes one field, wide enough for its value's
/// codes (`CellCodes`). Two components are stored differently from their
/// cells: a vCPU's TLB is a set of `tlb` entries (each naming its page),
/// kept sorted, largest first, so equal sets are equal states; and a rule in
/// progress sits on a host thread (safety view only): its rule, its next
/// step, its parameters.
public struct StateLayout: Sendable {
    /// How each field's values are written.
    public let codes: CellCodes
    public let owner: [Field]
    /// Hardware tags: tpt only, empty otherwise.
    public let tag: [Field]
    public let writer: [Field]
    /// Pinned page-table frames: pv only.
    public let pinned: [Field]
    /// SEV-SNP reverse-map entries, one per frame: snp only.
    public let rmp: [Field]
    /// Index: vm * vcpus + vcpu.
    public let root: [Field]
    /// Index: (vm * vcpus + vcpu) * tlb + entry.
    public let tlb: [Field]
    /// The TLB of the nested-paging reference, indexed as `tlb` (equivalence view only).
    public let referenceTLB: [Field]
    /// Index: vm * gpages + gpage.
    public let nested: [Field]
    /// Index: vm * pages + page.
    public let guestEntry: [Field]
    public let directEntry: [Field]
    /// Index: vm * vcpus + vcpu (models that send flush requests only).
    public let flushPending: [Field]
    public let descheduled: [Field]
    /// Index: (vm * vcpus + vcpu) * frames + frame (models whose walker caches upper levels only).
    public let walkCache: [Field]
    public let threadRule: [Field]
    public let threadStep: [Field]
    /// Index: thread * maxRuleParameters + parameter.
    public let threadParameter: [Field]
    public let maxRuleParameters: Int
    /// Words that hold any field: the rest are always zero.
    public let words: Int
    /// Bits used, including the padding that keeps fields within one word.
    public let bits: Int

    public init(scheme: Scheme, configuration c: Configuration, view: TransitionSystem.View = .safety,
                pages: Int? = nil, maxRuleParameters: Int, rules: Int) {
        var builder = Builder()
        let pages = pages ?? c.virtualPages
        let features = scheme.features
        /// `count` fields of `values` values each, if the scheme and view keep the component.
        func fields(_ component: Component, _ count: Int, values: Int) -> [Field] {
            component.isKept(under: features, in: view, extras: c.extras) ? (0..<count).map { _ in builder.field(values: values) } : []
        }
        let codes = CellCodes(configuration: c, rootTarget: features.guestTablesName, rules: rules)
        self.codes = codes
        let shape = StateShape(configuration: c, pages: pages, slots: c.hostThreads)
        /// One field per cell of a component stored cell by cell.
        func cells(_ component: Component) -> [Field] {
            fields(component, shape.cells(of: component), values: codes.count(component.value))
        }
        let tlbEntries = c.vms * c.vcpus * c.tlb
        owner = cells(.owner)
        tag = cells(.tag)
        writer = cells(.writer)
        pinned = cells(.pinned)
        rmp = cells(.rmp)
        root = cells(.root)
        tlb = fields(.tlb, tlbEntries, values: codes.count(.frameEntry, pages: pages))
        referenceTLB = fields(.referenceTLB, tlbEntries, values: codes.count(.frameEntry, pages: pages))
        nested = cells(.nested)
        guestEntry = cells(.guestEntries)
        directEntry = cells(.directEntries)
        flushPending = cells(.flushPending)
        descheduled = cells(.descheduled)
        walkCache = cells(.walkCache)
        threadRule = fields(.progress, c.hostThreads, values: codes.count(.progress))
        threadStep = fields(.progress, c.hostThreads, values: CellCodes.stepCodes)
        threadParameter = fields(.arguments, c.hostThreads * maxRuleParameters, values: codes.count(.argument))
        self.maxRuleParameters = maxRuleParameters
        words = builder.word + (builder.shift > 0 ? 1 : 0)
        bits = builder.word * 64 + builder.shift
    }

    /// The fields of a component stored cell by cell, in the row-major order
    /// of its indices; nil for the TLBs and rules in progress, which are not.
    public func fields(of component: Component) -> [Field]? {
        switch component {
        case .owner: owner
        case .tag: tag
        case .writer: writer
        case .pinned: pinned
        case .rmp: rmp
        case .root: root
        case .nested: nested
        case .guestEntries: guestEntry
        case .directEntries: directEntry
        case .flushPending: flushPending
        case .descheduled: descheduled
        case .walkCache: walkCache
        case .tlb, .referenceTLB, .progress, .arguments: nil
        }
    }

    private struct Builder {
        var word = 0
        var shift = 0

        mutating func field(values: Int) -> Field {
            var width = 0
            while (1 << width) < values { width += 1 }
            width = max(width, 1)
            if shift + width > 64 {
                word += 1
                shift = 0
            }
            // Fields past the last word are still laid out so the size can be reported;
            // `Resolver` rejects configurations that do not fit.
            let field = Field(word: min(word, 3), shift: UInt64(shift), mask: (1 << UInt64(width)) - 1)
            shift += width
            return field
        }
    }
}
