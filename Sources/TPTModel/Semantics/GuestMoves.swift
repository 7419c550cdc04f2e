/// An entry as the guest moves read and write it: a TLB entry, a guest's
/// page-table entry, a direct entry (shadow, validated pv). Present or empty,
/// naming a target (a frame, or a guest-physical page), read-only or
/// writable. An empty entry's target and permission are any.
public struct EntryValue<Value, Condition> {
    public var present: Condition
    public var target: Value
    public var writable: Condition

    @inline(__always)
    public init(present: Condition, target: Value, writable: Condition) {
        self.present = present
        self.target = target
        self.writable = writable
    }
}

/// What the hardware's walk over a VM's guest-written tables may do, for
/// one vCPU (or every vCPU, where the walker caches nothing).
public struct GuestWalk<Algebra: GuestAlgebra> {
    /// The frames it may end at, and those among them it may reach with a
    /// translation that lets the VM write (`walkGrantsWrite`).
    var reached: Algebra.Frames, writable: Algebra.Frames
    /// Whether some page-table read on the way breaks a property.
    var isolation: Algebra.Condition, leak: Algebra.Condition
    /// The tables it reads below the root, which its walker may cache
    /// (none, where the walker caches nothing).
    var tablesBelowRoot: Algebra.Targets
}

/// One guest move as the definition (`forEachGuestMove`) hands it to a
/// backend: what it is, for the backend's label, when it is enabled, and
/// what it breaks. The move's state after is handed with it.
public struct GuestMove<Value, Condition> {
    /// How an access reached its frame.
    public enum Route: Sendable, Equatable {
        /// Through an entry already in the vCPU's TLB.
        case tlbHit
        /// Through the hardware's translation and a fill.
        case walk
        /// The walk's page-table reads, whatever frame it ends at: a move that
        /// changes nothing, labelled with what the reads break.
        case pageTableReads
    }

    public var kind: Action.Kind
    /// Accesses (`read`, `write`) only.
    public var route: Route?
    public var vm: Value
    /// The vCPU, for a move of one vCPU.
    public var vcpu: Value?
    /// The virtual page, root target or guest-physical page, by kind.
    public var subject: Value?
    /// The frame an access reached, the frame PVALIDATE validates, or the
    /// table a walker caches.
    public var frame: Value?
    /// The entry a guest page-table write or hypercall asks for; the
    /// equivalence product's access: the model's outcome (empty: a fault).
    public var entry: EntryValue<Value, Condition>?
    /// The equivalence product's access: nested paging's outcome.
    public var reference: EntryValue<Value, Condition>? = nil
    /// Shadow paging: whether a guest page-table write trapped.
    public var trapped = true
    public var enabled: Condition
    /// What the move breaks (over the state before it).
    public var isolation: Condition
    public var leak: Condition
    /// Where the equivalence product's translations differ.
    public var divergence: Condition? = nil
    /// An eviction from one TLB alone: where TLBs have no capacity
    /// (`tlbsAreBounded`), in the equivalence product.
    public var evicts: TLBSide? = nil
}

/// A vCPU's TLB, or, in the equivalence product, nested paging's TLB beside it.
public enum TLBSide: Sendable {
    case model
    case reference
}

/// Where the guest moves go: the explicit checker's successors, the Z3
/// encoder's transitions. (A generic sink rather than a closure: the
/// explicit checker's is then inlined into the enumeration.)
public protocol GuestMoveSink {
    associatedtype Algebra: GuestAlgebra
    /// Takes one move and the state after it; false stops the enumeration.
    mutating func emit(_ move: GuestMove<Algebra.Value, Algebra.Condition>, _ after: Algebra) -> Bool
}

/// Where a guest move's choices range: a value type of the language (a
/// vCPU among them), a virtual page.
public enum GuestDomain: Sendable {
    case value(ValueType)
    case page
}

/// The vocabulary the guest's and the hardware's moves are written in, on
/// top of the host's (`SemanticsAlgebra`): TLBs and per-page entries, and the
/// nondeterministic choices a move makes. The explicit checker enumerates a
/// choice (every value, one transition each); the Z3 encoder makes it one
/// free constant, which the transitions it emits are parametrised by.
public protocol GuestAlgebra: SemanticsAlgebra {
    /// A set of frames: the frames a translation may reach.
    associatedtype Frames

    // MARK: Choices

    /// Calls `body` with each value of the domain, or once with a free one
    /// (named, so that the moves sharing a choice share its constant).
    /// Returns false as soon as `body` does.
    func forEach(_ domain: GuestDomain, named name: String, _ body: (Value) -> Bool) -> Bool
    /// Calls `body` with each entry naming a value of the type (the empty one
    /// included; writable ones only, when asked), or once with a free one.
    func forEachEntry(naming type: ValueType, writableOnly: Bool, _ body: (EntryValue<Value, Condition>) -> Bool) -> Bool
    /// Calls `body` with each frame of the set and the condition that it is a
    /// member (the explicit checker: members only, with `always`), or once
    /// with a free frame (named) and its membership.
    func forEachFrame(in set: Frames, named name: String, _ body: (Value, Condition) -> Bool) -> Bool
    /// Calls `body` with the condition, where it may hold (the explicit
    /// checker skips what cannot happen; the Z3 encoder conjoins it).
    func whenever(_ condition: Condition, _ body: (Condition) -> Bool) -> Bool
    /// The value `a` where the condition holds, `b` elsewhere.
    func select(_ condition: Condition, _ a: Value, _ b: Value) -> Value

    // MARK: Frame sets

    var allFrames: Frames { get }
    /// The frame, where the condition holds; none elsewhere.
    func frames(_ frame: Value, if condition: Condition) -> Frames
    func frames(if condition: Condition, _ then: Frames, else otherwise: Frames) -> Frames
    /// The frames that the targets of the set lead to, where `leadsTo` says
    /// they lead somewhere.
    func frames(from set: Targets, _ leadsTo: (Value) -> (Condition, Value)) -> Frames
    /// Whether the frame is a member of the set.
    func contains(_ set: Frames, _ frame: Value) -> Condition

    // MARK: What is checked

    /// Whether the model checks the property (a move's violation of one it
    /// does not check is `never`).
    func checks(_ property: Property) -> Bool
    /// What the scheme has.
    var features: SchemeFeatures { get }
    /// Shadow paging under `trap pte_writes sometimes`: the host may miss a
    /// guest page-table write.
    var pteWritesMayGoUntrapped: Bool { get }
    /// The levels of a walk over guest-written tables.
    var levels: Int { get }

    // MARK: TLBs

    /// The vCPU's entry for the page (naming a frame).
    func tlbEntry(of vm: Value, _ vcpu: Value, _ page: Value, in side: TLBSide) -> EntryValue<Value, Condition>
    /// Drops the entry for the page: of the vCPU, or (nil) of every vCPU of the VM.
    mutating func invalidateTLBEntry(of vm: Value, _ vcpu: Value?, _ page: Value, in side: TLBSide)
    /// Flushes the vCPU's TLB, where the condition holds.
    mutating func flushTLB(of vm: Value, _ vcpu: Value, in side: TLBSide, where condition: Condition)
    /// Flushes every vCPU's TLB of the VM, where the condition holds.
    mutating func flushTLBs(of vm: Value, in side: TLBSide, where condition: Condition)
    /// Calls `body` with each state after filling the vCPU's entry for the
    /// page, where the entry is present, and nested paging's beside it, where
    /// given and present: a full TLB of bounded capacity evicts any one entry
    /// first (nested paging's, the same slot).
    func forEachFill(of vm: Value, _ vcpu: Value, _ page: Value, with entry: EntryValue<Value, Condition>,
                     reference: EntryValue<Value, Condition>?, _ body: (Self) -> Bool) -> Bool
    /// Whether the TLBs have a capacity, and a fill into a full one evicts:
    /// otherwise, in the equivalence product, any entry may be evicted at
    /// any time (which covers every capacity).
    var tlbsAreBounded: Bool { get }

    // MARK: Per-page entries

    /// The guest's own entry for the page (shadow paging: naming a guest-physical page).
    func guestEntry(of vm: Value, _ page: Value) -> EntryValue<Value, Condition>
    mutating func setGuestEntry(of vm: Value, _ page: Value, to entry: EntryValue<Value, Condition>)
    /// The entry the hardware uses for the page (a shadow or validated entry, naming a frame).
    func directEntry(of vm: Value, _ page: Value) -> EntryValue<Value, Condition>
    mutating func setDirectEntry(of vm: Value, _ page: Value, to entry: EntryValue<Value, Condition>)

    // MARK: SEV-SNP

    /// Marks the frame's reverse-map entry, assigned to the VM at the page, validated.
    mutating func validateReverseMap(of frame: Value, vm: Value, gpage: Value)

    // MARK: vCPUs that receive flush requests (`Configuration.flushRequests`)

    /// Whether the model's rules send flush requests, so that each vCPU
    /// keeps a pending request and whether it runs.
    var sendsFlushRequests: Bool { get }
    mutating func setRunning(_ vm: Value, _ vcpu: Value, _ running: Bool)
    mutating func clearFlushRequest(_ vm: Value, _ vcpu: Value)
}

/// A sink that passes moves on enabled only where a condition holds too:
/// the moves of a vCPU that must be running, of a VM one of whose vCPUs
/// must be.
struct GatedSink<Inner: GuestMoveSink>: GuestMoveSink {
    typealias Algebra = Inner.Algebra
    var inner: Inner
    let condition: Algebra.Condition

    @inline(__always)
    mutating func emit(_ move: GuestMove<Algebra.Value, Algebra.Condition>, _ after: Algebra) -> Bool {
        var gated = move
        gated.enabled = after.and(condition, move.enabled)
        return inner.emit(gated, after)
    }
}

extension GuestAlgebra {
    public var never: Condition { not(always) }

    @inline(__always)
    mutating func flushTLB(of vm: Value, _ vcpu: Value, in side: TLBSide) { flushTLB(of: vm, vcpu, in: side, where: always) }
    var translation: SchemeFeatures.Translation { features.translation }

    /// The entry `a` where the condition holds, `b` elsewhere.
    @inline(__always)
    func select(_ condition: Condition, _ a: EntryValue<Value, Condition>, _ b: EntryValue<Value, Condition>) -> EntryValue<Value, Condition> {
        EntryValue(present: or(and(condition, a.present), and(not(condition), b.present)), target: select(condition, a.target, b.target),
                   writable: or(and(condition, a.writable), and(not(condition), b.writable)))
    }

    /// What the keeper of the direct entry (the shadow host, the pv host on
    /// a hypercall, a TPT guest mapping through the p2m it was given) makes
    /// of the guest's entry for the page: the guest's entry through the p2m.
    /// A pv host that refuses it leaves the old entry.
    @inline(__always)
    func syncedDirectEntry(of vm: Value, _ page: Value) -> EntryValue<Value, Condition> {
        let translated = translatedGuestEntry(of: vm, page)
        guard features.validatesGuestUpdates else { return translated }
        let accepted = or(not(translated.present), hypercallAccepts(vm: vm, frame: translated.target, writable: translated.writable))
        return select(accepted, translated, directEntry(of: vm, page))
    }

    /// The guest's entry for the page composed with the p2m: naming the frame
    /// the p2m maps its guest-physical page to, with its permission; empty
    /// when either is. What a shadow host syncs into the shadow.
    @inline(__always)
    public func translatedGuestEntry(of vm: Value, _ page: Value) -> EntryValue<Value, Condition> {
        let guest = guestEntry(of: vm, page)
        let (mapped, frame) = nestedMapping(of: vm, guest.target)
        let writable = hasPermissions ? and(guest.writable, nestedMappingIsWritable(of: vm, guest.target)) : guest.writable
        return EntryValue(present: and(guest.present, mapped), target: frame, writable: writable)
    }

    /// Whether two entries are the same: both empty, or both present with
    /// the same target and permission.
    @inline(__always)
    func same(_ a: EntryValue<Value, Condition>, _ b: EntryValue<Value, Condition>) -> Condition {
        let samePermission = or(and(a.writable, b.writable), and(not(a.writable), not(b.writable)))
        return or(and(not(a.present), not(b.present)), and(and(a.present, b.present), and(equal(a.target, b.target), samePermission)))
    }

    /// What an access of the frame by the VM breaks, among the checked
    /// properties. (no_data_leak is about reads; a write is checked for it
    /// too, as the read it could as well have made.)
    @inline(__always)
    func accessViolations(vm: Value, frame: Value, write: Bool = false) -> (isolation: Condition, leak: Condition) {
        (checks(.isolation) ? accessBreaksIsolation(vm: vm, frame: frame, write: write) : never,
         checks(.noDataLeak) ? accessLeaks(vm: vm, frame: frame) : never)
    }
}

/// What a guest, and the hardware on its behalf, may do in one step, defined
/// once: the explicit checker enumerates it on packed states
/// (`forEachSuccessor`), the Z3 encoder builds one symbolic transition per
/// move (`guestTransitions`), and bounded model checking unrolls those.
///
/// The guest is untrusted: it accesses any page, invalidates and flushes its
/// TLB, and changes its translation in every way its scheme lets it (any
/// root, any entry, any hypercall). An access goes through the vCPU's TLB or,
/// on a miss, through the hardware's translation (the walk over guest-written
/// tables, the shadow with its hidden faults, the validated table) and a
/// fill. The moves that change nothing matter only where they break a
/// property; the explicit checker reports only those.
extension GuestAlgebra {
    /// Hands `sink` each guest move and the state after it. Returns false
    /// as soon as the sink does.
    @inline(__always)
    public func forEachGuestMove<Sink: GuestMoveSink>(_ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        forEach(.value(.vm), named: "vm") { vm in
            guard forEach(.value(.vcpu), named: "vcpu", { vcpu in
                // Guest-written entries may name anything, so one walk from
                // the vCPU's root serves every page.
                let walk = translation == .guestTables ? walkOverGuestTables(of: vm, vcpu, cached: cachesWalks ? cachedTables(of: vm, vcpu) : nil) : nil
                guard sendsFlushRequests else { return vcpuMoves(vm: vm, vcpu: vcpu, walk: walk, &sink) }
                // Only a running vCPU accesses memory or changes its TLB.
                guard whenever(isRunning(vm, vcpu), { runs in
                    var gated = GatedSink(inner: sink, condition: runs)
                    defer { sink = gated.inner }
                    return vcpuMoves(vm: vm, vcpu: vcpu, walk: walk, &gated)
                }) else { return false }
                return flushRequestMoves(vm: vm, vcpu: vcpu, &sink)
            }) else { return false }
            guard sendsFlushRequests else { return tableMoves(vm: vm, &sink) }
            // A guest changes its translation from a vCPU that runs.
            return whenever(someVCPURuns(vm)) { runs in
                var gated = GatedSink(inner: sink, condition: runs)
                defer { sink = gated.inner }
                return tableMoves(vm: vm, &gated)
            }
        }
    }

    /// One vCPU's accesses, invalidations and flush, its loads of a new
    /// root, and the entries its walker caches.
    @inline(__always)
    func vcpuMoves<Sink: GuestMoveSink>(vm: Value, vcpu: Value, walk: GuestWalk<Self>?,
                                        _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        guard forEach(.page, named: "page", { page in
            pageMoves(vm: vm, vcpu: vcpu, page: page, walk: walk, &sink)
        }) else { return false }
        // Any root, on this vCPU alone: a guest loads what it likes. (A pv
        // guest's root is the host's to set, as its rules say.)
        if translation == .guestTables {
            guard forEach(.value(rootTargetType), named: "target", { target in
                var loaded = self
                loaded.setRoot(of: vm, vcpu, to: target)
                return sink.emit(GuestMove(kind: .loadRoot, vm: vm, vcpu: vcpu, subject: target, enabled: always, isolation: never, leak: never), loaded)
            }) else { return false }
        }
        var flushed = self
        flushed.flushVCPU(vm, vcpu, where: always)
        guard sink.emit(GuestMove(kind: .flush, vm: vm, vcpu: vcpu, enabled: always, isolation: never, leak: never), flushed) else { return false }
        guard cachesWalks, let walk else { return true }
        // The walker caches an upper-level entry it read, naming a table
        // below the root whose tag check passed.
        return forEach(.value(.frame), named: "table") { table in
            let read = readsPageTable(vm: vm, at: table)
            var cached = self
            cached.cacheTable(read.frame, of: vm, vcpu)
            let enabled = and(someTarget(in: walk.tablesBelowRoot) { equal($0, table) }, read.reads)
            return sink.emit(GuestMove(kind: .cacheTable, vm: vm, vcpu: vcpu, frame: read.frame, enabled: enabled,
                                       isolation: never, leak: never), cached)
        }
    }

    /// A vCPU's full flush: its TLB and its paging-structure cache, as a CR3
    /// write without PCIDs (or INVPCID's all-context flush) clears both.
    @inline(__always)
    mutating func flushVCPU(_ vm: Value, _ vcpu: Value, where condition: Condition) {
        flushTLB(of: vm, vcpu, in: .model, where: condition)
        dropCachedTables(of: vm, vcpu, where: condition)
    }

    /// One vCPU's part in the flush-request protocol (`request_flush`): a
    /// running vCPU acknowledges a pending request, flushing its TLB then,
    /// or is descheduled; a descheduled one resumes, flushing first if a
    /// request is pending (what a lazy-TLB vCPU, or KVM's check of its
    /// requests before it enters the guest, does).
    @inline(__always)
    func flushRequestMoves<Sink: GuestMoveSink>(vm: Value, vcpu: Value, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        let runs = isRunning(vm, vcpu), pending = flushPending(vm, vcpu)
        var acknowledged = self
        acknowledged.flushVCPU(vm, vcpu, where: always)
        acknowledged.clearFlushRequest(vm, vcpu)
        guard sink.emit(GuestMove(kind: .acknowledgeFlush, vm: vm, vcpu: vcpu, enabled: and(runs, pending), isolation: never, leak: never),
                        acknowledged) else { return false }
        var descheduled = self
        descheduled.setRunning(vm, vcpu, false)
        guard sink.emit(GuestMove(kind: .deschedule, vm: vm, vcpu: vcpu, enabled: runs, isolation: never, leak: never), descheduled) else {
            return false
        }
        var resumed = self
        resumed.flushVCPU(vm, vcpu, where: pending)
        resumed.clearFlushRequest(vm, vcpu)
        resumed.setRunning(vm, vcpu, true)
        return sink.emit(GuestMove(kind: .resume, vm: vm, vcpu: vcpu, enabled: not(runs), isolation: never, leak: never), resumed)
    }

    /// The walk over the VM's guest-written tables (`walkLevels` in
    /// `Primitives.swift`), resuming also at the cached tables, where given.
    @inline(__always)
    func walkOverGuestTables(of vm: Value, _ vcpu: Value, cached: Targets?) -> GuestWalk<Self> {
        var isolation = never, leak = never, tables = noTargets
        let last = walkLevels(of: vm, vcpu, cached: cached, levels: levels) { level, reached, cached in
            if checks(.isolation) {
                isolation = or(isolation, someRead(of: reached, cached: cached) { pageTableReadBreaksIsolation(vm: vm, at: $0, cached: $1) })
            }
            if checks(.noDataLeak) {
                leak = or(leak, someRead(of: reached, cached: cached) { pageTableReadLeaks(vm: vm, at: $0, cached: $1) })
            }
            if level > 0 && cached != nil { tables = union(tables, reached) }
        }
        let reached = frames(from: last) { walkEnds(vm: vm, at: $0) }
        let writable = !hasPermissions ? reached : frames(from: last) { target in
            let (ends, frame) = walkEnds(vm: vm, at: target)
            return (and(ends, walkGrantsWrite(vm: vm, at: target)), frame)
        }
        return GuestWalk(reached: reached, writable: writable, isolation: isolation, leak: leak, tablesBelowRoot: tables)
    }

    /// One vCPU's moves on one virtual page: an access through the TLB (and
    /// invlpg), or, on a miss, through the hardware's translation and a fill.
    @inline(__always)
    func pageMoves<Sink: GuestMoveSink>(vm: Value, vcpu: Value, page: Value, walk: GuestWalk<Self>?,
                   _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        let cached = tlbEntry(of: vm, vcpu, page, in: .model)
        guard whenever(cached.present, { hit in
            let (isolation, leak) = accessViolations(vm: vm, frame: cached.target)
            let read = GuestMove(kind: .read, route: .tlbHit, vm: vm, vcpu: vcpu, subject: page, frame: cached.target,
                                 enabled: hit, isolation: isolation, leak: leak)
            guard sink.emit(read, self) else { return false }
            var write = read, written = self
            write.kind = .write
            write.enabled = and(hit, cached.writable)
            if hasPermissions { write.isolation = accessViolations(vm: vm, frame: cached.target, write: true).isolation }
            written.setWriter(of: cached.target, to: vm)
            guard sink.emit(write, written) else { return false }
            var invalidated = self
            invalidated.invalidateTLBEntry(of: vm, vcpu, page, in: .model)
            // INVLPG also empties the paging-structure caches (Intel SDM vol. 3, 4.10.4.1).
            invalidated.dropCachedTables(of: vm, vcpu, where: always)
            return sink.emit(GuestMove(kind: .invalidatePage, vm: vm, vcpu: vcpu, subject: page, enabled: hit,
                                  isolation: never, leak: never), invalidated)
        }) else { return false }
        return whenever(not(cached.present)) { miss in
            switch translation {
            case .guestTables:
                let walk = walk!
                let reads = GuestMove(kind: .read, route: .pageTableReads, vm: vm, vcpu: vcpu, subject: page,
                                      enabled: miss, isolation: walk.isolation, leak: walk.leak)
                guard sink.emit(reads, self) else { return false }
                return fills(vm: vm, vcpu: vcpu, page: page, frames: walk.reached,
                             writable: { hasPermissions ? contains(walk.writable, $0) : always }, enabled: miss, &sink)
            case .shadowTable:
                // The hardware walks the shadow. An empty shadow entry is a
                // hidden fault: the host syncs it from the guest's entry and
                // the p2m, then the access goes on.
                let direct = directEntry(of: vm, page)
                var synced = self
                synced.setDirectEntry(of: vm, page, to: select(direct.present, direct, syncedDirectEntry(of: vm, page)))
                let entry = synced.directEntry(of: vm, page)
                return synced.fills(vm: vm, vcpu: vcpu, page: page, frames: frames(entry.target, if: entry.present),
                                    writable: { _ in entry.writable }, enabled: miss, &sink)
            case .validatedTable:
                // Paravirtual paging: the walker reads the VM's root frame. While
                // no guest has written it since the host validated it, it holds
                // the validated entry for the page; once a guest has written it
                // (only possible through a writable mapping of a page-table
                // frame, which the host must refuse), it holds anything.
                let (present, root) = root(of: vm, vcpu)
                return whenever(and(miss, present)) { walks in
                    let (isolation, leak) = accessViolations(vm: vm, frame: root)
                    let reads = GuestMove(kind: .read, route: .pageTableReads, vm: vm, vcpu: vcpu, subject: page,
                                          enabled: walks, isolation: isolation, leak: leak)
                    guard sink.emit(reads, self) else { return false }
                    let rootWritten = not(equal(writer(of: root), free))
                    let direct = directEntry(of: vm, page)
                    let reached = frames(if: rootWritten, allFrames, else: frames(direct.target, if: direct.present))
                    let writable = or(rootWritten, direct.writable)
                    return fills(vm: vm, vcpu: vcpu, page: page, frames: reached, writable: { _ in writable },
                                 enabled: walks, &sink)
                }
            }
        }
    }

    /// A TLB miss that may reach any frame of the set: fill the entry, then
    /// access (a read, and a write when the mapping to the frame is
    /// writable). A frame reached both read-only and writable is filled
    /// writable only: the read-only entry allows less.
    @inline(__always)
    func fills<Sink: GuestMoveSink>(vm: Value, vcpu: Value, page: Value, frames: Frames, writable writableTo: (Value) -> Condition,
                                    enabled: Condition, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        forEachFrame(in: frames, named: "frame") { frame, reaches in
            let (isolation, leak) = accessViolations(vm: vm, frame: frame)
            let read = GuestMove(kind: .read, route: .walk, vm: vm, vcpu: vcpu, subject: page, frame: frame,
                                 enabled: and(enabled, reaches), isolation: isolation, leak: leak)
            let writable = writableTo(frame)
            var write = read
            write.kind = .write
            write.enabled = and(read.enabled, writable)
            if hasPermissions { write.isolation = accessViolations(vm: vm, frame: frame, write: true).isolation }
            let entry = EntryValue(present: always, target: frame, writable: writable)
            return forEachFill(of: vm, vcpu, page, with: entry, reference: nil) { filled in
                guard sink.emit(read, filled) else { return false }
                var written = filled
                written.setWriter(of: frame, to: vm)
                return sink.emit(write, written)
            }
        }
    }

    /// A guest's write of its entry for the page, given the state with the
    /// entry written (`untrapped`): trapped, the direct entry's keeper syncs
    /// it; where the shadow host may miss the trap, also untrapped, where
    /// the sync would change the direct entry.
    @inline(__always)
    func pageTableWrite<Sink: GuestMoveSink>(vm: Value, page: Value, entry: EntryValue<Value, Condition>, untrapped: Self,
                                             enabled: Condition, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        let synced = untrapped.syncedDirectEntry(of: vm, page)
        var trapped = untrapped
        trapped.setDirectEntry(of: vm, page, to: synced)
        var write = GuestMove(kind: .writeEntry, vm: vm, subject: page, entry: entry, enabled: enabled, isolation: never, leak: never)
        guard sink.emit(write, trapped) else { return false }
        guard pteWritesMayGoUntrapped else { return true }
        write.trapped = false
        write.enabled = and(enabled, not(same(directEntry(of: vm, page), synced)))
        return sink.emit(write, untrapped)
    }

    /// The VM's changes to its translation: a new root (and under snp,
    /// PVALIDATE), a page-table write the shadow host may trap, a hypercall.
    @inline(__always)
    func tableMoves<Sink: GuestMoveSink>(vm: Value, _ sink: inout Sink) -> Bool where Sink.Algebra == Self {
        switch translation {
        case .guestTables:
            guard hasReverseMap else { return true }
            // PVALIDATE: the reverse-map entry of the frame a guest-physical
            // page's nested entry maps, assigned to the VM at that page,
            // becomes validated.
            return forEach(.value(.gpage), named: "target") { gpage in
                let (mapped, frame) = nestedTranslation(of: vm, gpage)
                var validated = self
                validated.validateReverseMap(of: frame, vm: vm, gpage: gpage)
                let enabled = and(mapped, reverseMap(of: frame, isAssignedTo: vm, at: gpage, validated: false))
                return sink.emit(GuestMove(kind: .validate, vm: vm, subject: gpage, frame: frame, enabled: enabled,
                                      isolation: never, leak: never), validated)
            }
        case .shadowTable:
            // Any entry, or none, for any page; the shadow host syncs it on
            // the trap. A read-only entry allows a subset of what the writable
            // one does, so it cannot add a violation.
            return forEach(.page, named: "page") { page in
                forEachEntry(naming: .gpage, writableOnly: true) { entry in
                    var untrapped = self
                    untrapped.setGuestEntry(of: vm, page, to: entry)
                    return pageTableWrite(vm: vm, page: page, entry: entry, untrapped: untrapped, enabled: always, &sink)
                }
            }
        case .validatedTable:
            // The guest asks the host to set any entry (empty, or any frame,
            // read-only or writable) for any page; the host applies the ones
            // its checks accept.
            return forEach(.page, named: "page") { page in
                forEachEntry(naming: .frame, writableOnly: false) { entry in
                    var updated = self
                    updated.setDirectEntry(of: vm, page, to: entry)
                    let accepted = or(not(entry.present), hypercallAccepts(vm: vm, frame: entry.target, writable: entry.writable))
                    return sink.emit(GuestMove(kind: .hypercall, vm: vm, subject: page, entry: entry, enabled: accepted,
                                          isolation: never, leak: never), updated)
                }
            }
        }
    }
}
