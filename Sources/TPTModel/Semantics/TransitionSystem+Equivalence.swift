/// Translation equivalence to nested paging, as a product state space.
///
/// The guest is cooperating (it writes concrete entries, in guest-physical
/// terms) and the host's allocation decisions are shared: owners, tags, pins and
/// the p2m are one copy. The model's own side keeps, per virtual page, the
/// direct entry its hardware uses (shadow entry, validated pv entry, or the TPT
/// guest's 1-D entry, which the guest derives through the p2m) and its TLB. The
/// nested-paging reference needs only its own TLB: its walk is the guest entry
/// composed with the p2m, and its host flushes a VM's TLB whenever one of the
/// VM's p2m entries changes. Every access compares the two outcomes.
///
/// Each virtual page is translated on its own: its guest entry, its direct entry
/// and its TLB entry decide its outcome, host steps act on every page alike, and
/// another page's TLB fill evicts this page's entry just as `invlpg` does. So a
/// divergence on any page is a divergence of a system tracking only that page,
/// and tracking one page per VM decides the property for every page count.
extension TransitionSystem {
    /// A translation's outcome: 0 a fault, or 1 + 2 * frame + writable.
    typealias Outcome = Int

    /// Whether the model's hardware accepts a direct entry: present and, under
    /// tpt, naming a frame tagged for the VM.
    @inline(__always)
    private func directEntryWorks(_ s: PackedState, vm: Int, _ code: Int) -> Bool {
        guard code != 0 else { return false }
        return !model.scheme.features.hardwareTags || tag(s, Self.entryTarget(code)) == Self.tagCode(vm: vm)
    }

    /// One access of a virtual page under both schemes. On a TLB miss the model's
    /// side uses the direct entry; when that faults, whoever keeps it (the
    /// shadow host, the pv guest through a hypercall, the TPT guest) re-syncs it
    /// and the access retries once. A full TLB may evict any entry; the reference
    /// evicts the same slot.
    func equivalenceAccess(_ s: PackedState, vm: Int, vcpu: Int, page: Int,
                           _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        let base = tlbIndex(vm, vcpu)
        var synced = s
        var outcome: Outcome = 0
        let hit = tlbHit(s, base: base, page: page)
        if let hit {
            let (_, frame, writable) = tlbEntry(s[layout.tlb[hit]])
            outcome = Self.entryCode(target: frame, writable: writable)
        } else {
            let field = layout.directEntry[pageIndex(vm, page)]
            if !directEntryWorks(s, vm: vm, s[field]) { syncDirectEntry(&synced, vm: vm, page: page) }
            if directEntryWorks(synced, vm: vm, synced[field]) { outcome = synced[field] }
        }
        var reference: Outcome
        let referenceHit = tlbHit(s, base: base, page: page, layout.referenceTLB)
        if let referenceHit {
            let (_, frame, writable) = tlbEntry(s[layout.referenceTLB[referenceHit]])
            reference = Self.entryCode(target: frame, writable: writable)
        } else {
            // The nested-paging walk: the guest entry, then the p2m.
            reference = translatedGuestEntry(s, vm: vm, page: page)
        }

        let action = Action(kind: .translate, vm: Int8(vm), vcpu: Int8(vcpu), subject: Int16(page),
                            frame: Int16(outcome), reference: Int16(reference))
        if outcome != reference {
            let violation = Violation(property: .equivalence, vm: vm, frame: outcome == 0 ? -1 : Self.entryTarget(outcome),
                                      route: hit == nil ? .walk : .tlbHit, observed: reference)
            return body(action, synced, violation)
        }
        let fillsModel = hit == nil && outcome != 0
        let fillsReference = referenceHit == nil && reference != 0
        let last = base + configuration.tlb - 1
        let victims = (!fillsModel || synced[layout.tlb[last]] == 0) ? last...last : base...last
        for victim in victims {
            var next = synced
            if fillsModel {
                next[layout.tlb[victim]] = tlbCode(page: page, frame: Self.entryTarget(outcome), writable: Self.entryIsWritable(outcome))
                normalizeTLB(&next, base: base)
            }
            if fillsReference {
                let slot = next[layout.referenceTLB[last]] == 0 ? last : victim
                next[layout.referenceTLB[slot]] = tlbCode(page: page, frame: Self.entryTarget(reference), writable: Self.entryIsWritable(reference))
                normalizeTLB(&next, base: base, layout.referenceTLB)
            }
            if next != s {
                guard body(action, next, nil) else { return false }
            }
        }
        // invlpg: both TLBs drop the page.
        var invalidated = s
        invalidatePage(&invalidated, vm: vm, vcpus: vcpu...vcpu, page: page)
        if invalidated != s {
            guard body(Action(kind: .invalidatePage, vm: Int8(vm), vcpu: Int8(vcpu), subject: Int16(page)), invalidated, nil) else { return false }
        }
        return true
    }

    /// The reference's host: a VM whose p2m entry for some page held a frame and
    /// now holds something else loses every entry of its nested-paging TLB.
    func flushReferenceTLBs(from before: PackedState, to after: inout PackedState) {
        let c = configuration
        for vm in 0..<c.vms {
            var changed = false
            for gpage in 0..<c.gpages {
                let field = layout.nested[nestedIndex(vm, gpage)]
                if before[field] != 0 && after[field] != before[field] { changed = true }
            }
            guard changed else { continue }
            let base = tlbIndex(vm, 0)
            for index in base..<(base + c.vcpus * c.tlb) { after[layout.referenceTLB[index]] = 0 }
        }
    }

    /// Drops a page from both TLBs of the VM's vCPUs: `invlpg`, or what a
    /// cooperating guest does after it changes an entry (under nested paging a
    /// TLB may keep the old translation until then, and a guest that relies on
    /// either is not cooperating).
    func invalidatePage(_ s: inout PackedState, vm: Int, vcpus: ClosedRange<Int>? = nil, page: Int) {
        for vcpu in vcpus ?? 0...(configuration.vcpus - 1) {
            let base = tlbIndex(vm, vcpu)
            for fields in [layout.tlb, layout.referenceTLB] {
                for index in base..<(base + configuration.tlb) {
                    let code = s[fields[index]]
                    if code != 0 && tlbEntry(code).page == page { s[fields[index]] = 0 }
                }
                normalizeTLB(&s, base: base, fields)
            }
        }
    }
}
