/// Places every component of the state into bit fields of a `PackedState`, sized
/// for one configuration and view.
///
/// Encodings (0 always means "nothing", so the all-zero state is all-free):
/// - owner (host record) and tag (TPT hardware; tpt only): 0 free, 1 host, 2 + v
/// - writer (who wrote the frame last): 0 clean, 1 + v. What a guest wrote is
///   not stored: it is whatever the guest chose (see `TransitionSystem+Walk.swift`)
/// - pinned (pv only): 1 while the frame is a page table
/// - reverse-map entry (snp only): 0 free, 1 + 2 * (vm * gpages + gpage) + validated
/// - root: 0 none, 1 + target (tpt, nested, pv; not in the equivalence view)
/// - TLB entry: 0 empty, 1 + 2 * (page * frames + frame) + writable;
///   the entries of one vCPU are kept sorted, largest first, so a TLB is a set
/// - nested entry (the nested table, or the host's p2m under the other schemes):
///   0 empty, 1 + frame
/// - per VM and virtual page, where the view has them: the guest's entry
///   (0 empty, 1 + 2 * guest-physical page + writable) and the direct entry the
///   hardware uses (0 empty, 1 + 2 * frame + writable)
/// - equivalence view only: the reference nested-paging TLB, encoded as the TLB
/// - host thread (safety view only): rule 0 idle or 1 + rule index, the next
///   step, the parameters
public struct StateLayout: Sendable {
    public let owner: [Field]
    /// Hardware tags: tpt only, empty otherwise.
    public let tag: [Field]
    public let writer: [Field]
    /// Pinned page-table frames: pv only.
    public let pinned: [Field]
    /// SEV-SNP reverse-map entries, one per frame: snp only.
    public let rmp: [Field]
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
            component.isKept(under: features, in: view) ? (0..<count).map { _ in builder.field(values: values) } : []
        }
        let targets = scheme.guestTablesNameGuestPhysical ? c.gpages : c.frames
        let tlbEntries = c.vms * c.vcpus * c.tlb
        owner = fields(.owner, c.frames, values: c.vms + 2)
        tag = fields(.tag, c.frames, values: c.vms + 2)
        writer = fields(.writer, c.frames, values: c.vms + 1)
        pinned = fields(.pinned, c.frames, values: 2)
        rmp = fields(.rmp, c.frames, values: 1 + 2 * c.vms * c.gpages)
        root = fields(.root, c.vms, values: 1 + targets)
        tlb = fields(.tlb, tlbEntries, values: 1 + 2 * pages * c.frames)
        referenceTLB = fields(.referenceTLB, tlbEntries, values: 1 + 2 * pages * c.frames)
        nested = fields(.nested, c.vms * c.gpages, values: 1 + c.frames)
        guestEntry = fields(.guestEntries, c.vms * pages, values: 1 + 2 * c.gpages)
        directEntry = fields(.directEntries, c.vms * pages, values: 1 + 2 * c.frames)
        threadRule = fields(.progress, c.hostThreads, values: 1 + rules)
        threadStep = fields(.progress, c.hostThreads, values: 16)
        threadParameter = fields(.arguments, c.hostThreads * maxRuleParameters, values: max(c.frames, c.vms, c.gpages))
        self.maxRuleParameters = maxRuleParameters
        words = builder.word + (builder.shift > 0 ? 1 : 0)
        bits = builder.word * 64 + builder.shift
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
