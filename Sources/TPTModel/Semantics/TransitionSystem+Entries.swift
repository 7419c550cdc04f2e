/// Page-table entries as the guest actions see them: their encoding, what a pv
/// host accepts, and how a direct entry is derived from the guest's.
extension TransitionSystem {
    /// A page-table entry's code: 0 empty, 1 + 2 * target + writable.
    @inline(__always) static func entryCode(target: Int, writable: Bool) -> Int { 1 + 2 * target + (writable ? 1 : 0) }
    /// The target an entry names, or -1 when it is empty.
    @inline(__always) public static func entryTarget(_ code: Int) -> Int { code == 0 ? -1 : (code - 1) >> 1 }
    @inline(__always) public static func entryIsWritable(_ code: Int) -> Bool { code != 0 && (code - 1) & 1 == 1 }

    /// Whether a paravirtual host accepts an entry (a code naming a host frame)
    /// for a VM's table. Other schemes accept everything.
    @inline(__always)
    func hypercallAccepts(_ s: PackedState, vm: Int, entry code: Int) -> Bool {
        guard model.scheme.features.validatesGuestUpdates, code != 0 else { return true }
        return hypercallAccepts(s, vm: vm, frame: Self.entryTarget(code), writable: Self.entryIsWritable(code))
    }

    /// The party that keeps the direct entry (the shadow-paging host, a pv
    /// hypercall, a TPT guest mapping through the p2m it was given) copies the
    /// guest's entry for a page into it, translating the guest-physical page
    /// through the p2m (empty if unmapped). A pv host that refuses the entry
    /// leaves the old one. Runs on every trapped guest page-table write and on
    /// every fault (shadow paging's hidden fault, a cooperating guest's retry).
    func syncDirectEntry(_ s: inout PackedState, vm: Int, page: Int) {
        let direct = translatedGuestEntry(s, vm: vm, page: page)
        guard hypercallAccepts(s, vm: vm, entry: direct) else { return }
        s[layout.directEntry[pageIndex(vm, page)]] = direct
    }

    /// The guest's entry for a page composed with the p2m: an entry naming a
    /// host frame with the guest entry's permission, or 0 when either is empty.
    /// It is also what nested paging's two-dimensional walk reaches.
    @inline(__always)
    func translatedGuestEntry(_ s: PackedState, vm: Int, page: Int) -> Int {
        let guestCode = s[layout.guestEntry[pageIndex(vm, page)]]
        guard guestCode != 0 else { return 0 }
        let nestedCode = s[layout.nested[nestedIndex(vm, Self.entryTarget(guestCode))]]
        guard nestedCode != 0 else { return 0 }
        return Self.entryCode(target: nestedCode - 1, writable: Self.entryIsWritable(guestCode))
    }
}
