/// How guest memory is translated and who owns the page tables.
///
/// What each scheme has is written once, in `features`: the resolver, both
/// backends, the layout and the printers ask that record, never which scheme
/// a model has. A new scheme is a case here, its record, and the meaning of
/// whatever new component or step it brings.
public enum Scheme: String, Sendable, CaseIterable {
    /// Translation Pass-Through: guest tables map virtual pages straight to host
    /// frames; the walker checks each frame's ownership tag.
    case tpt
    /// Two-dimensional paging: guest tables map to guest-physical pages, the host's
    /// nested table maps those to host frames.
    case nested
    /// Shadow paging: the guest's table maps to guest-physical pages; the host
    /// keeps a shadow table (virtual page to host frame) that the hardware uses,
    /// re-synced on every trapped guest page-table write and on hidden faults.
    case shadow
    /// Paravirtual paging (Xen PV style): the guest's table maps virtual pages to
    /// host frames, but the guest changes it only through hypercalls that the host
    /// validates; page-table frames are pinned and never mapped writable.
    case pv
    /// AMD SEV-SNP: nested paging plus a reverse map (RMP) with one entry per
    /// host frame, free or assigned to a VM at a guest-physical page (validated
    /// by the guest or not). Every frame the nested walk reaches must be
    /// assigned to the running VM at the guest-physical page it translates, and
    /// validated, or the access faults. The host assigns and clears RMP entries.
    case snp

    /// What the scheme has: the one record of it.
    public var features: SchemeFeatures {
        switch self {
        case .tpt:
            SchemeFeatures(translation: .guestTables, guestTablesName: .frame, hardwareTags: true, directEntryName: "1d-pte")
        case .nested:
            SchemeFeatures(translation: .guestTables, guestTablesName: .gpage, walksNestedTable: true, comparesWithNested: false)
        case .shadow:
            SchemeFeatures(translation: .shadowTable, guestTablesName: .gpage, directEntryName: "shadow")
        case .pv:
            SchemeFeatures(translation: .validatedTable, guestTablesName: .frame, pinnedFrames: true, directEntryName: "pv-pte")
        case .snp:
            SchemeFeatures(translation: .guestTables, guestTablesName: .gpage, reverseMap: true, walksNestedTable: true,
                           comparesWithNested: false)
        }
    }

    // The questions asked most, read from the record.

    /// Whether the hardware walks page tables the guest writes directly, which
    /// the checker treats as holding any entries at all.
    public var walksGuestTables: Bool { features.translation == .guestTables }
    /// Whether the guest's own page-table entries and roots name guest-physical
    /// pages rather than host frames.
    public var guestTablesNameGuestPhysical: Bool { features.guestTablesName == .gpage }
    /// Whether the hardware walks the nested table; otherwise it is the host's p2m.
    public var walksNestedTable: Bool { features.walksNestedTable }
    /// Whether frames have SEV-SNP reverse-map entries.
    public var hasReverseMap: Bool { features.reverseMap }
    /// Whether `equivalent_to_nested` compares anything.
    public var comparesWithNested: Bool { features.comparesWithNested }
}

/// What a scheme has: which per-frame records, which per-page entries, how
/// the guest's translation reaches the hardware, and what its tables name.
public struct SchemeFeatures: Sendable, Equatable {
    /// How the guest's page tables reach the hardware, which decides the
    /// guest's moves: loading a root, writing its own entry, or a hypercall.
    public enum Translation: Sendable, Equatable {
        /// The hardware walks tables the guest writes (tpt, nested, snp), from
        /// any root the guest loads.
        case guestTables
        /// The hardware walks the host's shadow table, synced from the guest's
        /// own entries when a write traps and on hidden faults (shadow).
        case shadowTable
        /// The hardware walks entries the host validated, which the guest
        /// changes only through hypercalls (pv).
        case validatedTable
    }

    public var translation: Translation
    /// What the guest's entries and roots name: host frames or guest-physical pages.
    public var guestTablesName: ValueType
    /// Per-frame hardware ownership tags, which the walker checks (tpt).
    public var hardwareTags = false
    /// Per-frame pins of page-table frames, which the host's hypercalls check (pv).
    public var pinnedFrames = false
    /// Per-frame reverse-map entries, which the nested walk checks (snp).
    public var reverseMap = false
    /// Whether the hardware walks the nested table (nested, snp); under the
    /// others it is the host's p2m.
    public var walksNestedTable = false
    /// Whether `equivalent_to_nested` compares anything: the scheme's
    /// translation is not nested paging's.
    public var comparesWithNested = true
    /// What printed states call the per-page entries the hardware uses.
    public var directEntryName = "1d-pte"

    /// The guest's root, kept per VM: the hardware walk starts there (not under shadow paging).
    public var hasRoot: Bool { translation != .shadowTable }
    /// Whether the state keeps the guest's own per-page entries (shadow paging's guest table).
    public var keepsGuestEntries: Bool { translation == .shadowTable }
    /// Whether the state keeps per-page entries the hardware uses (the shadow, the validated table).
    public var keepsDirectEntries: Bool { translation != .guestTables }
    /// Whether some view keeps entries the host made, which `revoke` removes:
    /// the safety view's direct entries, or the equivalence product's (where
    /// a cooperating guest's entries are synced through the p2m).
    public var hasHostMadeEntries: Bool { keepsDirectEntries || comparesWithNested }
    /// Whether guest page-table writes trap to a host that syncs a shadow.
    public var shadowsGuestTables: Bool { translation == .shadowTable }
    /// Whether the guest updates its table only through hypercalls the host validates.
    public var validatesGuestUpdates: Bool { translation == .validatedTable }
    /// Whether only the host reads the nested table (the p2m of tpt and pv):
    /// changing it is bookkeeping. The shadow host builds the shadow from it.
    public var nestedTableIsBookkeeping: Bool { !walksNestedTable && translation != .shadowTable }
}
