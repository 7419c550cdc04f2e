/// The guest's moves in the product with nested paging, defined once: the
/// explicit checker's equivalence view enumerates them (`forEachSuccessor`),
/// the Z3 encoder builds one symbolic
/// transition per move (`equivalenceSystem`).
///
/// The guest is cooperating: it writes concrete entries of its own table (in
/// guest-physical terms) and invalidates the page after each write. The
/// host's allocation decisions are shared: owners, tags, pins and the p2m are
/// one copy. The model's side keeps, per virtual page, the direct entry its
/// hardware uses (a shadow entry, a validated pv entry, a TPT guest's 1-D
/// entry, which the guest derives through the p2m) and its TLB; nested
/// paging's side keeps its TLB, and its walk is the guest's entry through
/// the p2m. Every access compares the two outcomes.
///
/// Each virtual page is translated on its own: its guest entry, its direct
/// entry and its TLB entry decide its outcome, host steps act on every page
/// alike, and another page's TLB fill evicts this page's entry just as
/// `invlpg` does. So a divergence on any page is a divergence of a system
/// tracking only that page, and the explicit checker tracks one page per VM
/// (`TransitionSystem(trackedPages:)`), which decides the property for every
/// page count.
extension GuestAlgebra {
    /// Hands `sink` each guest move of the product and the state after
    /// it. Returns false as soon as the sink does.
    @inline(__always)
    public func forEachEquivalenceMove<Sink: GuestMoveSink>(_ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        forEach(.value(.vm), named: "vm") { vm in
            guard forEach(.value(.vcpu), named: "vcpu", { vcpu in
                guard forEach(.page, named: "page", { page in comparedAccess(vm: vm, vcpu: vcpu, page: page, &sink) }) else { return false }
                var flushed = self
                flushed.flushTLB(of: vm, vcpu, in: .model)
                flushed.flushTLB(of: vm, vcpu, in: .reference)
                return sink.emit(GuestMove(kind: .flush, vm: vm, vcpu: vcpu, enabled: always, isolation: never, leak: never), flushed)
            }) else { return false }
            return cooperatingWrites(vm: vm, &sink)
        }
    }

    /// Whether the model's hardware takes a direct entry: present and, under
    /// tpt, naming a frame tagged for the VM (with either permission).
    @inline(__always)
    func works(_ entry: EntryValue<Value, Condition>, for vm: Value) -> Condition {
        guard features.hardwareTags else { return entry.present }
        return and(entry.present, grants(ownership(.tag, of: entry.target), to: vm, write: false))
    }

    /// Whether the translation a direct entry gives lets the VM write: the
    /// entry is writable and, under tpt, the tag grants write access.
    @inline(__always)
    func grantsWrite(_ entry: EntryValue<Value, Condition>, for vm: Value) -> Condition {
        guard features.hardwareTags && hasPermissions else { return entry.writable }
        return and(entry.writable, grants(ownership(.tag, of: entry.target), to: vm, write: true))
    }

    /// One access of a virtual page under both schemes, and invlpg. On a TLB
    /// miss the model's side uses the direct entry; when that does not work,
    /// its keeper re-syncs it and the access retries once. Where the outcomes
    /// differ the access breaks equivalent_to_nested (and fills nothing);
    /// where they agree, each side fills its TLB on a miss.
    @inline(__always)
    func comparedAccess<Sink: GuestMoveSink>(vm: Value, vcpu: Value, page: Value, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        let cached = tlbEntry(of: vm, vcpu, page, in: .model)
        let direct = directEntry(of: vm, page)
        let synced = select(works(direct, for: vm), direct, syncedDirectEntry(of: vm, page))
        let walked = EntryValue(present: works(synced, for: vm), target: synced.target, writable: grantsWrite(synced, for: vm))
        let outcome = select(cached.present, cached, walked)
        let referenceCached = tlbEntry(of: vm, vcpu, page, in: .reference)
        let reference = select(referenceCached.present, referenceCached, translatedGuestEntry(of: vm, page))
        var accessed = self
        accessed.setDirectEntry(of: vm, page, to: select(cached.present, direct, synced))
        let diverges = not(same(outcome, reference))
        var access = GuestMove(kind: .translate, vm: vm, vcpu: vcpu, subject: page, entry: outcome, reference: reference,
                               enabled: diverges, isolation: never, leak: never, divergence: diverges)
        guard sink.emit(access, accessed) else { return false }
        guard whenever(not(diverges), { agree in
            access.enabled = agree
            access.divergence = nil
            let fill = EntryValue(present: and(not(cached.present), walked.present), target: walked.target, writable: walked.writable)
            let referenceFill = EntryValue(present: and(not(referenceCached.present), reference.present),
                                           target: reference.target, writable: reference.writable)
            return accessed.forEachFill(of: vm, vcpu, page, with: fill, reference: referenceFill) { sink.emit(access, $0) }
        }) else { return false }
        var invalidated = self
        invalidated.invalidateTLBEntry(of: vm, vcpu, page, in: .model)
        invalidated.invalidateTLBEntry(of: vm, vcpu, page, in: .reference)
        let invlpg = GuestMove(kind: .invalidatePage, vm: vm, vcpu: vcpu, subject: page, enabled: always, isolation: never, leak: never)
        guard sink.emit(invlpg, invalidated) else { return false }
        guard !tlbsAreBounded else { return true }
        // Without a capacity, an eviction is a move of its own, from either
        // TLB alone: that covers every way a bounded TLB's fill evicts.
        for side in [TLBSide.model, .reference] {
            var evicted = self
            evicted.invalidateTLBEntry(of: vm, vcpu, page, in: side)
            var eviction = invlpg
            eviction.evicts = side
            guard sink.emit(eviction, evicted) else { return false }
        }
        return true
    }

    /// The cooperating guest writes any entry (empty, or any guest-physical
    /// page, read-only or writable) for any virtual page and invalidates the
    /// page on each of its vCPUs; the direct entry's keeper syncs it (under
    /// `trap pte_writes sometimes`, a shadow host may miss the write). A pv
    /// guest never asks for a writable mapping of a page-table frame.
    @inline(__always)
    func cooperatingWrites<Sink: GuestMoveSink>(vm: Value, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        forEach(.page, named: "page") { page in
            forEachEntry(naming: .gpage, writableOnly: false) { entry in
                var cooperates = always
                if features.pinnedFrames {
                    let (mapped, frame) = nestedMapping(of: vm, entry.target)
                    cooperates = not(and(and(entry.present, entry.writable), and(mapped, isPinned(frame))))
                }
                var untrapped = self
                untrapped.setGuestEntry(of: vm, page, to: entry)
                untrapped.invalidateTLBEntry(of: vm, nil, page, in: .model)
                untrapped.invalidateTLBEntry(of: vm, nil, page, in: .reference)
                return pageTableWrite(vm: vm, page: page, entry: entry, untrapped: untrapped, enabled: cooperates, &sink)
            }
        }
    }
}

/// Nested paging's host in the product, defined once: the explicit checker
/// runs it after each rule (`hostSuccessors`), the Z3 encoder on each rule's
/// transition (`equivalenceSystem`).
extension GuestAlgebra {
    /// After a rule's steps (`before`: the state the rule started in), a VM
    /// whose p2m entry for some page held a frame and now holds something
    /// else (another frame, nothing, or the frame with another permission)
    /// loses every entry of its nested-paging TLB. Only the rule's
    /// nested-table steps change an entry.
    @inline(__always)
    public mutating func flushReferenceTLBs(afterSteps count: Int, _ stepAt: (Int) -> Step, from before: Self) {
        for index in 0..<count {
            let touched: (vm: Operand, gpage: Operand)
            switch stepAt(index) {
            case .nestedMap(let vm, let gpage, _, _), .nestedUnmap(let vm, let gpage): touched = (vm, gpage)
            default: continue
            }
            let vm = value(of: touched.vm, .vm), gpage = value(of: touched.gpage, .gpage)
            let (held, frame) = before.nestedMapping(of: vm, gpage)
            let (maps, now) = nestedMapping(of: vm, gpage)
            var kept = and(maps, equal(now, frame))
            if hasPermissions {
                let was = before.nestedMappingIsWritable(of: vm, gpage), stays = nestedMappingIsWritable(of: vm, gpage)
                kept = and(kept, or(and(was, stays), and(not(was), not(stays))))
            }
            flushTLBs(of: vm, in: .reference, where: and(held, not(kept)))
        }
    }
}
