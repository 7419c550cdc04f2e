/// Places every component of the state into bit fields of a `PackedState`, sized
/// for one configuration.
///
/// Encodings (0 always means "nothing", so the all-zero state is all-free):
/// - owner (host record) and tag (TPT hardware; absent under nested): 0 free,
///   1 host, 2 + v for VM v
/// - writer (who wrote the frame last): 0 clean, 1 + v. What a guest wrote is
///   not stored: it is whatever the guest chose (see `TransitionSystem+Walk.swift`)
/// - root: 0 none, 1 + target
/// - TLB entry: 0 empty, 1 + 2 * (page * frames + frame) + writable;
///   the entries of one vCPU are kept sorted, largest first, so a TLB is a set
/// - nested (or p2m) entry: 0 empty, 1 + frame
/// - shadow paging, per VM and virtual page: the guest table's entry (0 empty,
///   1 + guest-physical page) and the shadow entry (0 empty, 1 + frame)
/// - host thread: rule 0 idle or 1 + rule index, the next step, the parameters
public struct StateLayout: Sendable {
    public let owner: [Field]
    /// Hardware tags: tpt only, empty otherwise.
    public let tag: [Field]
    public let writer: [Field]
    public let root: [Field]
    /// Index: (vm * vcpus + vcpu) * tlb + entry.
    public let tlb: [Field]
    /// Index: vm * gpages + gpage (nested and shadow schemes).
    public let nested: [Field]
    /// Index: vm * pages + page (shadow scheme only).
    public let guestEntry: [Field]
    public let shadowEntry: [Field]
    public let threadRule: [Field]
    public let threadStep: [Field]
    /// Index: thread * maxRuleParameters + parameter.
    public let threadParameter: [Field]
    public let maxRuleParameters: Int
    /// Words that hold any field: the rest are always zero.
    public let words: Int
    /// Bits used, including the padding that keeps fields within one word.
    public let bits: Int

    public init(scheme: Scheme, configuration c: Configuration, maxRuleParameters: Int, rules: Int) {
        var builder = Builder()
        let targets = scheme == .tpt ? c.frames : c.gpages
        owner = (0..<c.frames).map { _ in builder.field(values: c.vms + 2) }
        tag = scheme == .tpt ? (0..<c.frames).map { _ in builder.field(values: c.vms + 2) } : []
        writer = (0..<c.frames).map { _ in builder.field(values: c.vms + 1) }
        root = scheme.walksGuestTables ? (0..<c.vms).map { _ in builder.field(values: 1 + targets) } : []
        tlb = (0..<(c.vms * c.vcpus * c.tlb)).map { _ in builder.field(values: 1 + 2 * c.virtualPages * c.frames) }
        nested = scheme.hasGuestPhysicalMap ? (0..<(c.vms * c.gpages)).map { _ in builder.field(values: 1 + c.frames) } : []
        let shadowed = scheme == .shadow ? c.vms * c.virtualPages : 0
        guestEntry = (0..<shadowed).map { _ in builder.field(values: 1 + c.gpages) }
        shadowEntry = (0..<shadowed).map { _ in builder.field(values: 1 + c.frames) }
        let parameterValues = max(c.frames, c.vms, scheme.hasGuestPhysicalMap ? c.gpages : 1)
        threadRule = (0..<c.hostThreads).map { _ in builder.field(values: 1 + rules) }
        threadStep = (0..<c.hostThreads).map { _ in builder.field(values: 16) }
        threadParameter = (0..<(c.hostThreads * maxRuleParameters)).map { _ in builder.field(values: parameterValues) }
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
