/// The vocabulary the primitive steps and guards are written in.
///
/// Each primitive's meaning is defined once, in `Step.apply(to:)` and
/// `Guard.evaluate(in:)`, over this protocol. The explicit checker runs that
/// definition on packed states with plain integers (`ConcreteAlgebra`); the Z3
/// encoder runs the same definition on terms, where a value is a term and a
/// condition a formula. A backend only says how its state stores the maps
/// (per-frame records, the nested table or p2m, the TLBs, the per-page entries)
/// and how it filters them.
public protocol SemanticsAlgebra {
    /// A frame, VM, guest-physical page or ownership value.
    associatedtype Value
    associatedtype Condition

    // MARK: Values and conditions

    /// An operand of a step or guard, as a value of its type.
    func value(of operand: Operand, _ type: ValueType) -> Value
    /// The ownership values: free, host, and owned by a VM, which may write
    /// the frame or (where the model grants read-only access) only read it.
    var free: Value { get }
    var host: Value { get }
    func owned(by vm: Value) -> Value
    func ownedReadOnly(by vm: Value) -> Value
    /// Whether the model grants read-only access anywhere (`Configuration.permissions`):
    /// where it does not, no cell holds a read-only value.
    var hasPermissions: Bool { get }
    /// Whether an ownership value names some VM, with either permission.
    func namesVM(_ ownership: Value) -> Condition
    func equal(_ a: Value, _ b: Value) -> Condition
    func not(_ condition: Condition) -> Condition
    func and(_ a: Condition, _ b: Condition) -> Condition
    func or(_ a: Condition, _ b: Condition) -> Condition
    var always: Condition { get }

    // MARK: Per-frame records

    func ownership(_ record: OwnershipRecord, of frame: Value) -> Value
    mutating func setOwnership(_ record: OwnershipRecord, of frame: Value, to value: Value)
    /// The frame's last writer: a VM, or nil for clean.
    mutating func setWriter(of frame: Value, to vm: Value?)
    func isPinned(_ frame: Value) -> Condition
    mutating func setPinned(_ frame: Value, _ pinned: Bool)

    // MARK: Roots and the nested table (or p2m)

    /// What a root names under the scheme: a frame or a guest-physical page.
    var rootTargetType: ValueType { get }
    /// Sets a vCPU's root (nil vCPU: every vCPU's of the VM); nil target for none.
    mutating func setRoot(of vm: Value, _ vcpu: Value?, to target: Value?)
    /// Whether the VM's entry for the page maps the frame, with either
    /// permission (nil: is empty).
    func nestedEntry(of vm: Value, _ gpage: Value, is frame: Value?) -> Condition
    mutating func setNestedEntry(of vm: Value, _ gpage: Value, to frame: Value?, writable: Bool)
    /// Whether the VM's entry for the page, where it maps a frame, lets the VM write it.
    func nestedMappingIsWritable(of vm: Value, _ gpage: Value) -> Condition
    /// Whether some nested entry of some VM maps the frame, with either permission.
    func someNestedEntryMaps(_ frame: Value) -> Condition

    // MARK: Filters

    /// Removes every TLB entry, of every vCPU, for which the condition holds of
    /// the entry's VM, vCPU and frame.
    mutating func dropTLBEntries(where condition: (_ vm: Value, _ vcpu: Value, _ frame: Value) -> Condition)
    /// Removes every paging-structure-cache entry, of every vCPU, for which
    /// the condition holds of the entry's VM, vCPU and the table frame it names.
    mutating func dropCachedTables(where condition: (_ vm: Value, _ vcpu: Value, _ frame: Value) -> Condition)
    /// Removes every direct entry (shadow, validated pv, a TPT guest's 1-D entry)
    /// for which the condition holds of the entry's VM and frame.
    mutating func dropDirectEntries(where condition: (_ vm: Value, _ frame: Value) -> Condition)
    /// Removes the VM's direct entries for every virtual page whose guest entry
    /// names the guest-physical page.
    mutating func dropDirectEntries(of vm: Value, whereGuestEntryNames gpage: Value)

    // MARK: SEV-SNP's reverse map (snp only)

    /// Whether the frame's reverse-map entry is assigned to the VM, at any
    /// guest-physical page (nil: whether it is free).
    func reverseMap(of frame: Value, isAssignedTo vm: Value?) -> Condition
    /// Whether the frame's entry is assigned to the VM at the guest-physical
    /// page, validated or not. (Validated is what the nested walk requires of
    /// every frame it reaches.)
    func reverseMap(of frame: Value, isAssignedTo vm: Value, at gpage: Value, validated: Bool) -> Condition
    /// Assigns the frame's entry to the VM at the page, not validated (nil: frees it).
    mutating func setReverseMap(of frame: Value, to assignment: (vm: Value, gpage: Value)?)
    /// Whether the scheme's frames have reverse-map entries, which the nested walk checks.
    var hasReverseMap: Bool { get }

    // MARK: Paging-structure caches (models whose walker caches upper levels: `Configuration.walkCache`)

    /// Whether each vCPU keeps a paging-structure cache.
    var cachesWalks: Bool { get }
    /// The table frames the vCPU's paging-structure cache names: where its
    /// walk may resume below the root, with no tag check (the cached entry
    /// carries the one made when it was cached).
    func cachedTables(of vm: Value, _ vcpu: Value) -> Targets
    mutating func cacheTable(_ frame: Value, of vm: Value, _ vcpu: Value)
    /// Empties the vCPU's paging-structure cache, where the condition holds.
    mutating func dropCachedTables(of vm: Value, _ vcpu: Value, where condition: Condition)

    // MARK: Flush requests (models whose rules send them: `Configuration.flushRequests`)

    /// Asks every vCPU of the VM (the running ones only, when asked) to
    /// flush its TLB: each then has a request pending.
    mutating func requestFlush(of vm: Value, runningOnly: Bool)
    /// Whether the vCPU has a flush request it has not acknowledged.
    func flushPending(_ vm: Value, _ vcpu: Value) -> Condition
    /// Whether the vCPU runs: one that does not makes no access and
    /// acknowledges nothing until it runs again.
    func isRunning(_ vm: Value, _ vcpu: Value) -> Condition

    // MARK: Rules in progress (the scheduler: `startRule`, `continueRule`)

    /// Whether an interleaved rule in progress has the frame as a frame parameter.
    func ruleInFlight(naming frame: Value) -> Condition
    /// Where a rule in progress is kept: a host thread, or a proof's key frame.
    associatedtype Slot
    /// Whether no rule is in progress on the slot.
    func slotIsIdle(_ slot: Slot) -> Condition
    /// Whether the slot holds the rule, next at the step (0-based).
    func slotHolds(_ slot: Slot, rule: Int, nextStep: Int) -> Condition
    /// Records the rule in progress on the slot, next at the step, with the
    /// algebra's bindings as its parameters; nil: the slot is idle again.
    mutating func recordRule(on slot: Slot, rule: Int, nextStep: Int?)
    /// Whether a one-step interleaved rule, too, needs an idle slot: where
    /// slots are the configuration's host threads.
    var oneStepRulesTakeASlot: Bool { get }

    // MARK: The walk

    /// A set of page-table targets: frames under tpt, guest-physical pages under nested.
    associatedtype Targets
    var noTargets: Targets { get }
    var allTargets: Targets { get }
    func targets(_ target: Value) -> Targets
    func targets(if condition: Condition, _ then: Targets, else otherwise: Targets) -> Targets
    func union(_ a: Targets, _ b: Targets) -> Targets
    /// Whether the condition holds of some member of the set.
    func someTarget(in set: Targets, _ condition: (Value) -> Condition) -> Condition
    /// The vCPU's root: whether it has one, and the target (any, when it has none).
    func root(of vm: Value, _ vcpu: Value) -> (present: Condition, target: Value)
    /// Whether the condition holds of some vCPU of the VM.
    func someVCPU(of vm: Value, _ condition: (Value) -> Condition) -> Condition
    /// The VM's nested-table (or p2m) entry for the guest-physical page:
    /// whether it maps a frame, and which (any, when it maps none).
    func nestedMapping(of vm: Value, _ gpage: Value) -> (mapped: Condition, frame: Value)
    /// The frame's last writer, as an ownership value (`free`: clean).
    func writer(of frame: Value) -> Value
    /// Which tag checks the hardware walker makes.
    var walkerCheck: WalkerCheck { get }
    /// What a paravirtual host checks before it accepts a page-table update.
    var hypercallChecks: HypercallChecks { get }
}

extension Step {
    /// The meaning of the step: the one definition both backends run.
    @inline(__always)
    public func apply<A: SemanticsAlgebra>(to a: inout A) {
        switch self {
        case .setOwnership(let record, let frame, let value):
            a.setOwnership(record, of: a.value(of: frame, .frame), to: value.value(in: a))
        case .shootdown(let frame, let vm, let vcpu):
            let target = a.value(of: frame, .frame), only = a.vcpu(vm, vcpu)
            a.dropTLBEntries { [a] entryVM, entryVCPU, entryFrame in a.and(a.equal(entryFrame, target), a.isVCPU(entryVM, entryVCPU, only)) }
        case .flushTLB(let vm, let vcpu):
            let target = a.value(of: vm, .vm), only = a.vcpu(vm, vcpu)
            a.dropTLBEntries { [a] entryVM, entryVCPU, _ in a.and(a.equal(entryVM, target), a.isVCPU(entryVM, entryVCPU, only)) }
            a.dropCachedTables { [a] entryVM, entryVCPU, _ in a.and(a.equal(entryVM, target), a.isVCPU(entryVM, entryVCPU, only)) }
        case .shootdownTables(let frame):
            let target = a.value(of: frame, .frame)
            a.dropCachedTables { [a] _, _, table in a.equal(table, target) }
        case .scrub(let frame):
            a.setWriter(of: a.value(of: frame, .frame), to: nil)
        case .setWriter(let frame, let vm):
            a.setWriter(of: a.value(of: frame, .frame), to: a.value(of: vm, .vm))
        case .setRoot(let vm, let vcpu, let target):
            let type = a.rootTargetType
            a.setRoot(of: a.value(of: vm, .vm), vcpu.map { a.value(of: $0, .vcpu) }, to: target.map { a.value(of: $0, type) })
        case .nestedMap(let vm, let gpage, let frame, let writable):
            a.setNestedEntry(of: a.value(of: vm, .vm), a.value(of: gpage, .gpage), to: a.value(of: frame, .frame), writable: writable)
        case .nestedUnmap(let vm, let gpage):
            a.setNestedEntry(of: a.value(of: vm, .vm), a.value(of: gpage, .gpage), to: nil, writable: true)
        case .shadowZap(let vm, let gpage):
            a.dropDirectEntries(of: a.value(of: vm, .vm), whereGuestEntryNames: a.value(of: gpage, .gpage))
        case .pin(let frame):
            a.setPinned(a.value(of: frame, .frame), true)
        case .unpin(let frame):
            a.setPinned(a.value(of: frame, .frame), false)
        case .revoke(let frame):
            let target = a.value(of: frame, .frame)
            a.dropDirectEntries { [a] _, entryFrame in a.equal(entryFrame, target) }
        case .rmpAssign(let frame, let vm, let gpage):
            a.setReverseMap(of: a.value(of: frame, .frame), to: (a.value(of: vm, .vm), a.value(of: gpage, .gpage)))
        case .rmpClear(let frame):
            a.setReverseMap(of: a.value(of: frame, .frame), to: nil)
        case .requestFlush(let vm, let runningOnly):
            a.requestFlush(of: a.value(of: vm, .vm), runningOnly: runningOnly)
        case .awaitFlush:
            // Changes nothing: its meaning is when it may run (`readiness`).
            break
        }
    }

    /// When the step may run: always, but for a wait, once what it waits
    /// for holds. The scheduler conjoins it (`startRule`, `continueRule`).
    @inline(__always)
    public func readiness<A: SemanticsAlgebra>(in a: A) -> A.Condition {
        guard case .awaitFlush(let vm) = self else { return a.always }
        return a.flushAcknowledged(by: a.value(of: vm, .vm))
    }
}

extension SemanticsAlgebra {
    /// A step's vCPU, its VM and its number: nil where the step names none.
    @inline(__always)
    func vcpu(_ vm: Operand?, _ vcpu: Operand?) -> (vm: Value, vcpu: Value)? {
        guard let vm, let vcpu else { return nil }
        return (value(of: vm, .vm), value(of: vcpu, .vcpu))
    }

    /// Whether a VM's vCPU is the one given (any is, where none is given).
    @inline(__always)
    func isVCPU(_ vm: Value, _ vcpu: Value, _ only: (vm: Value, vcpu: Value)?) -> Condition {
        guard let only else { return always }
        return and(equal(vm, only.vm), equal(vcpu, only.vcpu))
    }

    /// A condition of the vCPU given, or, where none is, of some vCPU of the VM.
    @inline(__always)
    func forVCPU(_ vcpu: Operand?, of vm: Value, _ condition: (Value, Value) -> Condition) -> Condition {
        if let vcpu { return condition(vm, value(of: vcpu, .vcpu)) }
        return someVCPU(of: vm) { condition(vm, $0) }
    }

    /// Whether every running vCPU of the VM has acknowledged its flush
    /// request: what `await_flush` waits for.
    func flushAcknowledged(by vm: Value) -> Condition {
        not(someVCPU(of: vm) { and(flushPending(vm, $0), isRunning(vm, $0)) })
    }

    /// Whether some vCPU of the VM runs.
    func someVCPURuns(_ vm: Value) -> Condition {
        someVCPU(of: vm) { isRunning(vm, $0) }
    }
}

extension TagValue {
    @inline(__always)
    func value<A: SemanticsAlgebra>(in a: A) -> A.Value {
        switch self {
        case .free: return a.free
        case .host: return a.host
        case .vm(let vm): return a.owned(by: a.value(of: vm, .vm))
        case .readOnly(let vm): return a.ownedReadOnly(by: a.value(of: vm, .vm))
        }
    }
}

extension Guard {
    /// The meaning of the guard: the one definition both backends evaluate.
    @inline(__always)
    public func evaluate<A: SemanticsAlgebra>(in a: A) -> A.Condition {
        switch self {
        case .always:
            return a.always
        case .not(let inner):
            return a.not(inner.evaluate(in: a))
        case .and(let left, let right):
            return a.and(left.evaluate(in: a), right.evaluate(in: a))
        case .or(let left, let right):
            return a.or(left.evaluate(in: a), right.evaluate(in: a))
        case .test(let test):
            return test.evaluate(in: a)
        }
    }
}

extension Guard.Test {
    /// The meaning of the test: the one definition both backends evaluate.
    @inline(__always)
    public func evaluate<A: SemanticsAlgebra>(in a: A) -> A.Condition {
        switch self {
        case .ownershipIs(let record, let frame, let value):
            return a.equal(a.ownership(record, of: a.value(of: frame, .frame)), value.value(in: a))
        case .ownershipIsVM(let record, let frame):
            return a.namesVM(a.ownership(record, of: a.value(of: frame, .frame)))
        case .nestedIs(let vm, let gpage, let frame, let readOnly):
            let v = a.value(of: vm, .vm), g = a.value(of: gpage, .gpage)
            let maps = a.nestedEntry(of: v, g, is: frame.map { a.value(of: $0, .frame) })
            return readOnly ? a.and(maps, a.not(a.nestedMappingIsWritable(of: v, g))) : maps
        case .mapped(let frame):
            return a.someNestedEntryMaps(a.value(of: frame, .frame))
        case .inFlight(let frame):
            return a.ruleInFlight(naming: a.value(of: frame, .frame))
        case .pinned(let frame):
            return a.isPinned(a.value(of: frame, .frame))
        case .reverseMapIs(let frame, let vm):
            return a.reverseMap(of: a.value(of: frame, .frame), isAssignedTo: vm.map { a.value(of: $0, .vm) })
        case .reverseMapAssigned(let frame):
            return a.not(a.reverseMap(of: a.value(of: frame, .frame), isAssignedTo: nil))
        case .same(let left, let right, let type):
            return a.equal(a.value(of: left, type), a.value(of: right, type))
        case .flushPending(let vm, let vcpu):
            return a.forVCPU(vcpu, of: a.value(of: vm, .vm)) { v, c in a.flushPending(v, c) }
        case .descheduled(let vm, let vcpu):
            return a.forVCPU(vcpu, of: a.value(of: vm, .vm)) { v, c in a.not(a.isRunning(v, c)) }
        case .rootIs(let vm, let vcpu, let target, let type):
            // Of one vCPU; of the VM: some vCPU's root is the target, or none has a root.
            let v = a.value(of: vm, .vm)
            func holds(_ c: A.Value) -> A.Condition {
                let root = a.root(of: v, c)
                guard let target else { return a.not(root.present) }
                return a.and(root.present, a.equal(root.target, a.value(of: target, type)))
            }
            if let vcpu { return holds(a.value(of: vcpu, .vcpu)) }
            return target == nil ? a.not(a.someVCPU(of: v) { a.not(holds($0)) }) : a.someVCPU(of: v, holds)
        }
    }
}

/// The rule scheduler, defined once: what starting a
/// rule and running the next step of one in progress do. The explicit
/// checker runs it on packed states (`hostSuccessors`), the Z3 encoder on
/// terms (`hostTransitions`). A backend says only where a rule in progress is
/// kept, a slot (a host thread; a proof's key frame), and how it stores one.
///
/// A rule's steps are passed by index (`stepAt`), not as a `Rule`: the
/// explicit checker reads them from its flattened rule table, and copying a
/// `Rule` would touch reference counts on every start.
extension SemanticsAlgebra {
    /// Starts rule `rule` with the algebra's bindings as its parameters (its
    /// guard is the caller's to evaluate, with the same bindings). An atomic
    /// rule runs every step. An interleaved one runs its first step and, when
    /// it has more, is recorded in progress on `slot`, next at its second. An
    /// interleaved rule needs the slot idle; a one-step one, only where slots
    /// are host threads (`oneStepRulesTakeASlot`: a thread runs it, though it
    /// leaves at once).
    ///
    /// Returns the condition, besides the guard, under which the start is a
    /// transition.
    @inline(__always)
    public mutating func startRule(_ rule: Int, stepCount: Int, atomic: Bool, on slot: Slot,
                                   stepAt: (Int) -> Step) -> Condition {
        if atomic {
            var ready = always
            for index in 0..<stepCount {
                let step = stepAt(index)
                ready = and(ready, step.readiness(in: self))
                step.apply(to: &self)
            }
            return ready
        }
        let first = stepAt(0), ready = first.readiness(in: self)
        guard stepCount > 1 || oneStepRulesTakeASlot else {
            first.apply(to: &self)
            return ready
        }
        let idle = and(slotIsIdle(slot), ready)
        first.apply(to: &self)
        if stepCount > 1 { recordRule(on: slot, rule: rule, nextStep: 1) }
        return idle
    }

    /// Runs step `step` of rule `rule`, in progress on `slot` with the
    /// algebra's bindings as its recorded parameters: the slot then holds the
    /// rule at its next step, or, after the last, is idle again.
    ///
    /// Returns the condition that the slot holds the rule, next at that
    /// step, and that the step may run (`readiness`).
    @inline(__always)
    public mutating func continueRule(_ rule: Int, step: Int, stepCount: Int, on slot: Slot, _ next: Step) -> Condition {
        let running = and(slotHolds(slot, rule: rule, nextStep: step), next.readiness(in: self))
        next.apply(to: &self)
        recordRule(on: slot, rule: rule, nextStep: step + 1 < stepCount ? step + 1 : nil)
        return running
    }
}

/// The safety properties, on one access of a frame by a VM (a data access, or a
/// walk's page-table read), defined once.
extension SemanticsAlgebra {
    /// isolation: the frame is owned by another VM or by the host, or the
    /// access is a write and the VM may only read the frame. (A free frame
    /// is no one else's yet: reaching one through a stale entry is allowed.)
    @inline(__always)
    public func accessBreaksIsolation(vm: Value, frame: Value, write: Bool = false) -> Condition {
        let owner = ownership(.owner, of: frame)
        return not(or(grants(owner, to: vm, write: write), equal(owner, free)))
    }

    /// Whether an ownership value (an owner, a tag) lets the VM access the
    /// frame: it names the VM, and for a write, with write access.
    @inline(__always)
    public func grants(_ ownership: Value, to vm: Value, write: Bool) -> Condition {
        let writes = equal(ownership, owned(by: vm))
        guard hasPermissions && !write else { return writes }
        return or(writes, equal(ownership, ownedReadOnly(by: vm)))
    }

    /// no_data_leak: another VM wrote the frame last.
    @inline(__always)
    public func accessLeaks(vm: Value, frame: Value) -> Condition {
        let writer = writer(of: frame)
        return not(or(equal(writer, free), equal(writer, owned(by: vm))))
    }
}

/// The paravirtual host's acceptance test, defined once.
extension SemanticsAlgebra {
    /// Whether a pv host accepts an entry naming the frame, with the permission,
    /// in the VM's table: the frame is the caller's, with write access for
    /// a writable entry (`owner`), and a writable entry never names a
    /// page-table frame (`read_only_tables`).
    @inline(__always)
    public func hypercallAccepts(vm: Value, frame: Value, writable: Condition) -> Condition {
        var accepts = always
        if hypercallChecks.contains(.owner) {
            let owner = ownership(.owner, of: frame)
            let owns = hasPermissions ? or(grants(owner, to: vm, write: true), and(not(writable), grants(owner, to: vm, write: false)))
                                      : grants(owner, to: vm, write: true)
            accepts = and(accepts, owns)
        }
        if hypercallChecks.contains(.readOnlyTables) { accepts = and(accepts, not(and(writable, isPinned(frame)))) }
        return accepts
    }
}

extension SemanticsAlgebra {
    /// The host frame a walk target names: itself where guest tables name
    /// frames (tpt), its nested-table entry where they name guest-physical
    /// pages (`mapped` false: an EPT fault). The reverse-map check is not
    /// this one's: see `hostFrame`.
    @inline(__always)
    public func nestedTranslation(of vm: Value, _ target: Value) -> (mapped: Condition, frame: Value) {
        rootTargetType == .gpage ? nestedMapping(of: vm, target) : (always, target)
    }
}

/// The hardware walk over guest-written page tables (tpt and nested), defined
/// once. What a guest wrote is not stored, only who wrote it last: read as a
/// page table, a frame some VM wrote holds whatever entries that VM chose, so
/// the walk may go on to any target; a clean frame holds only empty entries.
/// The walk is a sequence of target sets, from the root's, one per level.
extension SemanticsAlgebra {
    /// The host frame a walk target names, and whether the hardware lets the
    /// walk use it: under snp the frame's reverse-map entry must be assigned to
    /// the VM at the guest-physical page the target is, and validated.
    @inline(__always)
    public func hostFrame(of vm: Value, _ target: Value) -> (mapped: Condition, frame: Value) {
        let (mapped, frame) = nestedTranslation(of: vm, target)
        guard hasReverseMap else { return (mapped, frame) }
        return (and(mapped, reverseMap(of: frame, isAssignedTo: vm, at: target, validated: true)), frame)
    }

    /// Whether the walker's tag check, where it makes one, passes: the tag
    /// names the VM, with either permission (a walk reads page tables, and
    /// a read-only leaf gives a read-only translation: `walkGrantsWrite`).
    @inline(__always)
    public func tagCheckPasses(vm: Value, frame: Value, isLeaf: Bool) -> Condition {
        switch walkerCheck {
        case .nothing: return always
        case .leafOnly where !isLeaf: return always
        case .everyLevel, .leafOnly: return grants(ownership(.tag, of: frame), to: vm, write: false)
        }
    }

    /// Whether the walk for the VM, at the target, reads a page-table node;
    /// `cached`: resuming at a table its paging-structure cache names, whose
    /// tag check was made when the entry was cached, not now.
    @inline(__always)
    public func readsPageTable(vm: Value, at target: Value, cached: Bool = false) -> (reads: Condition, frame: Value) {
        let (mapped, frame) = hostFrame(of: vm, target)
        return (cached ? mapped : and(mapped, tagCheckPasses(vm: vm, frame: frame, isLeaf: false)), frame)
    }

    /// Whether that read breaks isolation.
    @inline(__always)
    public func pageTableReadBreaksIsolation(vm: Value, at target: Value, cached: Bool = false) -> Condition {
        let (reads, frame) = readsPageTable(vm: vm, at: target, cached: cached)
        return and(reads, accessBreaksIsolation(vm: vm, frame: frame))
    }

    /// Whether that read leaks another VM's data.
    @inline(__always)
    public func pageTableReadLeaks(vm: Value, at target: Value, cached: Bool = false) -> Condition {
        let (reads, frame) = readsPageTable(vm: vm, at: target, cached: cached)
        return and(reads, accessLeaks(vm: vm, frame: frame))
    }

    /// Whether some page-table read of one level satisfies the condition (of
    /// its target, and whether it is a cached table's): of the targets the
    /// walk reached from the root, or of the cached tables it may resume at.
    @inline(__always)
    public func someRead(of reached: Targets, cached: Targets?, _ condition: (_ target: Value, _ cached: Bool) -> Condition) -> Condition {
        let fromRoot = someTarget(in: reached) { condition($0, false) }
        guard let cached else { return fromRoot }
        return or(fromRoot, someTarget(in: cached) { condition($0, true) })
    }

    /// The targets at the first level: the vCPU's root, if any.
    @inline(__always)
    public func rootTargets(of vm: Value, _ vcpu: Value) -> Targets {
        let (present, target) = root(of: vm, vcpu)
        return targets(if: present, targets(target), else: noTargets)
    }

    /// The targets one level down: any target, if some page-table node read at
    /// this level (`someRead`) was written by a guest; none otherwise.
    @inline(__always)
    public func nextTargets(of vm: Value, after set: Targets, cached: Targets?) -> Targets {
        let continues = someRead(of: set, cached: cached) { target, cached in
            let (reads, frame) = readsPageTable(vm: vm, at: target, cached: cached)
            return and(reads, not(equal(writer(of: frame), free)))
        }
        return targets(if: continues, allTargets, else: noTargets)
    }

    /// The walk level by level, from the root: calls `body` with each
    /// level's targets reached from the root and, below the root, the tables
    /// it may resume at (`cachedTables`, where the walker caches upper
    /// levels; a cached entry keeps no level, so a walk may resume at it at
    /// any level below the root, a superset of what hardware whose entries
    /// keep their level does). Returns the targets after the last level.
    @inline(__always)
    public func walkLevels(of vm: Value, _ vcpu: Value, cached tables: Targets?, levels: Int,
                           _ body: (_ level: Int, _ reached: Targets, _ cached: Targets?) -> Void) -> Targets {
        var reached = rootTargets(of: vm, vcpu)
        for level in 0..<levels {
            let cached = level == 0 ? nil : tables
            body(level, reached, cached)
            reached = nextTargets(of: vm, after: reached, cached: cached)
        }
        return reached
    }

    /// Whether a walk at the target after the last level ends at a frame (the
    /// leaf check passes), and which.
    @inline(__always)
    public func walkEnds(vm: Value, at target: Value) -> (ends: Condition, frame: Value) {
        let (mapped, frame) = hostFrame(of: vm, target)
        return (and(mapped, tagCheckPasses(vm: vm, frame: frame, isLeaf: true)), frame)
    }

    /// Whether the translation a walk ending at the target gives lets the VM
    /// write: its nested entry is writable (nested, snp), and where the
    /// walker checks the leaf's tag, the tag grants write access (tpt). The
    /// guest's own entries may say read-only too, but the guest chooses
    /// them, and a read-only translation allows less than a writable one.
    @inline(__always)
    public func walkGrantsWrite(vm: Value, at target: Value) -> Condition {
        let nested = rootTargetType == .gpage ? nestedMappingIsWritable(of: vm, target) : always
        guard walkerCheck != .nothing else { return nested }
        let (_, frame) = hostFrame(of: vm, target)
        return and(nested, grants(ownership(.tag, of: frame), to: vm, write: true))
    }
}

/// The explicit checker runs the one definition on packed states. (It lives in
/// this file so that, in builds without whole-module optimization, the compiler
/// still specializes it for `ConcreteAlgebra`.)
extension TransitionSystem {
    /// Applies one primitive step to a state.
    public func apply(_ step: Step, _ bindings: Bindings, to s: inout PackedState) {
        var algebra = ConcreteAlgebra(system: self, state: s, bindings: bindings)
        step.apply(to: &algebra)
        s = algebra.state
    }

    /// The scheduler's start of a rule whose guard holds, on the thread
    /// (any, for an atomic rule): the state after it, or nil when it cannot
    /// start there.
    /// In the equivalence product, nested paging's host then flushes
    /// (`flushReferenceTLBs`).
    @inline(__always) func startRule(_ rule: Int, atomic: Bool, _ bindings: Bindings, on thread: Int, in s: PackedState) -> PackedState? {
        let before = ConcreteAlgebra(system: self, state: s, bindings: bindings)
        var algebra = before
        let first = rules.stepStart[rule], count = rules.stepCount[rule]
        guard algebra.startRule(rule, stepCount: count, atomic: atomic, on: thread, stepAt: { rules.steps[first + $0] }) else { return nil }
        if view == .equivalence { algebra.flushReferenceTLBs(afterSteps: count, { rules.steps[first + $0] }, from: before) }
        return algebra.state
    }

    /// The scheduler's next step of the thread's rule in progress: the state
    /// after it, or nil while the step waits (`Step.readiness`).
    @inline(__always) func continueRule(on thread: Int, in s: PackedState) -> PackedState? {
        let rule = s[layout.threadRule[thread]] - 1, step = s[layout.threadStep[thread]]
        var algebra = ConcreteAlgebra(system: self, state: s, bindings: threadBindings(s, thread))
        guard algebra.continueRule(rule, step: step, stepCount: rules.stepCount[rule], on: thread, rules.steps[rules.stepStart[rule] + step]) else {
            return nil
        }
        return algebra.state
    }

    /// Whether a guard holds in a state for a choice of rule parameters.
    public func holds(_ condition: Guard, _ bindings: Bindings, in s: PackedState) -> Bool {
        condition.evaluate(in: ConcreteAlgebra(system: self, state: s, bindings: bindings))
    }

    /// Whether a test holds (the rule table evaluates `not`, `and` and `or`
    /// itself).
    @inline(__always)
    func testHolds(_ test: Guard.Test, _ bindings: Bindings, in s: PackedState) -> Bool {
        test.evaluate(in: ConcreteAlgebra(system: self, state: s, bindings: bindings))
    }
}

/// `SemanticsAlgebra` on a packed state: values are plain integers (frame,
/// VM and page numbers; ownership codes as in `StateLayout`), conditions are Bools.
struct ConcreteAlgebra: SemanticsAlgebra {
    /// Not retained: an algebra lives only inside a call on its system, and
    /// a retain is an atomic write to the one object every exploring thread
    /// shares (its cache line then moves between cores on every step).
    /// Read through `withSystem`, whose borrowed reference lets the
    /// system's arrays be read without retaining them either.
    private let unretainedSystem: Unmanaged<TransitionSystem>
    var state: PackedState
    let bindings: Bindings

    init(system: TransitionSystem, state: PackedState, bindings: Bindings) {
        unretainedSystem = Unmanaged.passUnretained(system)
        self.state = state
        self.bindings = bindings
    }

    @inline(__always) func withSystem<Result>(_ body: (TransitionSystem) -> Result) -> Result {
        unretainedSystem._withUnsafeGuaranteedRef(body)
    }

    /// `withSystem` for a body that changes the state (which `withSystem`,
    /// reading `self` throughout, cannot allow).
    @inline(__always) mutating func updateState(_ body: (TransitionSystem, inout PackedState) -> Void) {
        let unretainedSystem = unretainedSystem
        unretainedSystem._withUnsafeGuaranteedRef { body($0, &state) }
    }

    @inline(__always) func value(of operand: Operand, _ type: ValueType) -> Int { operand.value(bindings) }
    var free: Int { TransitionSystem.freeTag }
    var host: Int { TransitionSystem.hostTag }
    @inline(__always) func owned(by vm: Int) -> Int { TransitionSystem.tagCode(vm: vm) }
    @inline(__always) func ownedReadOnly(by vm: Int) -> Int { withSystem { $0.layout.codes.readOnlyOwnership(vm: vm) } }
    var hasPermissions: Bool { withSystem { $0.layout.codes.permissions } }
    @inline(__always) func namesVM(_ ownership: Int) -> Bool { ownership >= 2 }
    @inline(__always) func equal(_ a: Int, _ b: Int) -> Bool { a == b }
    @inline(__always) func not(_ condition: Bool) -> Bool { !condition }
    @inline(__always) func and(_ a: Bool, _ b: Bool) -> Bool { a && b }
    @inline(__always) func or(_ a: Bool, _ b: Bool) -> Bool { a || b }
    var always: Bool { true }

    @inline(__always) func ownership(_ record: OwnershipRecord, of frame: Int) -> Int {
        state[withSystem { $0.recordField(record, frame) }]
    }
    @inline(__always) mutating func setOwnership(_ record: OwnershipRecord, of frame: Int, to value: Int) {
        state[withSystem { $0.recordField(record, frame) }] = value
    }
    @inline(__always) mutating func setWriter(of frame: Int, to vm: Int?) {
        state[withSystem { $0.layout.writer[frame] }] = vm.map { 1 + $0 } ?? 0
    }
    @inline(__always) func isPinned(_ frame: Int) -> Bool { state[withSystem { $0.layout.pinned[frame] }] != 0 }
    @inline(__always) mutating func setPinned(_ frame: Int, _ pinned: Bool) {
        state[withSystem { $0.layout.pinned[frame] }] = pinned ? 1 : 0
    }

    var rootTargetType: ValueType { withSystem { $0.features.guestTablesName } }
    mutating func setRoot(of vm: Int, _ vcpu: Int?, to target: Int?) {
        updateState { system, state in
            // The equivalence view has no multi-level walk, so no root.
            guard !system.layout.root.isEmpty else { return }
            let vcpus = system.configuration.vcpus
            for cpu in vcpu.map({ $0..<($0 + 1) }) ?? 0..<vcpus { state[system.layout.root[vm * vcpus + cpu]] = target.map { 1 + $0 } ?? 0 }
        }
    }
    @inline(__always) func nestedEntry(of vm: Int, _ gpage: Int, is frame: Int?) -> Bool {
        withSystem { system in
            let code = state[system.layout.nested[system.nestedIndex(vm, gpage)]]
            guard let frame else { return code == 0 }
            return code != 0 && system.layout.codes.nestedEntry(code).frame == frame
        }
    }
    @inline(__always) mutating func setNestedEntry(of vm: Int, _ gpage: Int, to frame: Int?, writable: Bool) {
        updateState { system, state in
            state[system.layout.nested[system.nestedIndex(vm, gpage)]] = frame.map { system.layout.codes.nestedCode(frame: $0, writable: writable) } ?? 0
        }
    }
    @inline(__always) func nestedMappingIsWritable(of vm: Int, _ gpage: Int) -> Bool {
        withSystem { system in
            let code = state[system.layout.nested[system.nestedIndex(vm, gpage)]]
            return code == 0 || system.layout.codes.nestedEntry(code).writable
        }
    }
    func someNestedEntryMaps(_ frame: Int) -> Bool {
        withSystem { system in system.layout.nested.contains { state[$0] != 0 && system.layout.codes.nestedEntry(state[$0]).frame == frame } }
    }

    mutating func dropTLBEntries(where condition: (_ vm: Int, _ vcpu: Int, _ frame: Int) -> Bool) {
        updateState { system, state in
            let c = system.model.configuration
            for cpu in 0..<(c.vms * c.vcpus) {
                let base = cpu * c.tlb
                var changed = false
                for index in base..<(base + c.tlb) {
                    let code = state[system.layout.tlb[index]]
                    if code != 0 && condition(cpu / c.vcpus, cpu % c.vcpus, system.tlbEntry(code).frame) {
                        state[system.layout.tlb[index]] = 0
                        changed = true
                    }
                }
                if changed { system.normalizeTLB(&state, base: base) }
            }
        }
    }

    mutating func dropCachedTables(where condition: (_ vm: Int, _ vcpu: Int, _ frame: Int) -> Bool) {
        updateState { system, state in
            let fields = system.layout.walkCache, c = system.model.configuration
            guard !fields.isEmpty else { return }
            for index in fields.indices where state[fields[index]] != 0 && condition(index / (c.vcpus * c.frames), index / c.frames % c.vcpus, index % c.frames) {
                state[fields[index]] = 0
            }
        }
    }

    var cachesWalks: Bool { withSystem { !$0.layout.walkCache.isEmpty } }
    @inline(__always) func cachedTables(of vm: Int, _ vcpu: Int) -> UInt32 {
        withSystem { system in
            let fields = system.layout.walkCache, frames = system.configuration.frames
            guard !fields.isEmpty else { return 0 }
            let base = (vm * system.configuration.vcpus + vcpu) * frames
            var set: UInt32 = 0
            for frame in 0..<frames where state[fields[base + frame]] != 0 { set |= 1 << UInt32(frame) }
            return set
        }
    }
    @inline(__always) mutating func cacheTable(_ frame: Int, of vm: Int, _ vcpu: Int) {
        updateState { system, state in
            state[system.layout.walkCache[(vm * system.configuration.vcpus + vcpu) * system.configuration.frames + frame]] = 1
        }
    }
    @inline(__always) mutating func dropCachedTables(of vm: Int, _ vcpu: Int, where condition: Bool) {
        guard condition else { return }
        updateState { system, state in
            let fields = system.layout.walkCache, frames = system.configuration.frames
            guard !fields.isEmpty else { return }
            let base = (vm * system.configuration.vcpus + vcpu) * frames
            for index in base..<(base + frames) { state[fields[index]] = 0 }
        }
    }

    mutating func dropDirectEntries(where condition: (_ vm: Int, _ frame: Int) -> Bool) {
        updateState { system, state in
            // Under tpt and nested the safety view has no direct entries.
            guard !system.layout.directEntry.isEmpty else { return }
            for vm in 0..<system.model.configuration.vms {
                for page in 0..<system.pages {
                    let field = system.layout.directEntry[system.pageIndex(vm, page)]
                    let code = state[field]
                    if code != 0 && condition(vm, TransitionSystem.entryTarget(code)) { state[field] = 0 }
                }
            }
        }
    }

    mutating func dropDirectEntries(of vm: Int, whereGuestEntryNames gpage: Int) {
        updateState { system, state in
            guard !system.layout.guestEntry.isEmpty else { return }
            for page in 0..<system.pages
            where TransitionSystem.entryTarget(state[system.layout.guestEntry[system.pageIndex(vm, page)]]) == gpage {
                state[system.layout.directEntry[system.pageIndex(vm, page)]] = 0
            }
        }
    }

    // The walk: target sets are bit sets.
    var noTargets: UInt32 { 0 }
    @inline(__always) func union(_ a: UInt32, _ b: UInt32) -> UInt32 { a | b }
    var allTargets: UInt32 { (1 << UInt32(withSystem { $0.targets })) - 1 }
    @inline(__always) func targets(_ target: Int) -> UInt32 { 1 << UInt32(target) }
    @inline(__always) func targets(if condition: Bool, _ then: UInt32, else otherwise: UInt32) -> UInt32 { condition ? then : otherwise }
    @inline(__always) func someTarget(in set: UInt32, _ condition: (Int) -> Bool) -> Bool {
        for target in SetBits(set) where condition(target) { return true }
        return false
    }
    // Conditions are evaluated eagerly here, so a value that its condition
    // rules out must still name a real frame or target: 0 stands in.
    @inline(__always) func root(of vm: Int, _ vcpu: Int) -> (present: Bool, target: Int) {
        let code = state[withSystem { $0.layout.root[vm * $0.configuration.vcpus + vcpu] }]
        return (code != 0, max(code - 1, 0))
    }
    @inline(__always) func someVCPU(of vm: Int, _ condition: (Int) -> Bool) -> Bool {
        for vcpu in 0..<withSystem({ $0.configuration.vcpus }) where condition(vcpu) { return true }
        return false
    }
    @inline(__always) func nestedMapping(of vm: Int, _ gpage: Int) -> (mapped: Bool, frame: Int) {
        withSystem { system in
            let code = state[system.layout.nested[system.nestedIndex(vm, gpage)]]
            return code == 0 ? (false, 0) : (true, system.layout.codes.nestedEntry(code).frame)
        }
    }
    /// Writers are stored 0 clean, 1 + v; as ownership values, clean is free.
    @inline(__always) func writer(of frame: Int) -> Int {
        let code = state[withSystem { $0.layout.writer[frame] }]
        return code == 0 ? TransitionSystem.freeTag : TransitionSystem.tagCode(vm: code - 1)
    }
    var walkerCheck: WalkerCheck { withSystem { $0.model.walkerCheck } }
    var hypercallChecks: HypercallChecks { withSystem { $0.model.hypercallChecks } }

    // The reverse map: 0 free, 1 + 2 * (vm * gpages + gpage) + validated.
    @inline(__always) func reverseMap(of frame: Int, isAssignedTo vm: Int?) -> Bool {
        withSystem { system in
            let code = state[system.layout.rmp[frame]]
            guard let vm else { return code == 0 }
            return code != 0 && system.reverseMapEntry(code).vm == vm
        }
    }
    @inline(__always) func reverseMap(of frame: Int, isAssignedTo vm: Int, at gpage: Int, validated: Bool) -> Bool {
        withSystem { state[$0.layout.rmp[frame]] == $0.reverseMapCode(vm: vm, gpage: gpage, validated: validated) }
    }
    @inline(__always) mutating func setReverseMap(of frame: Int, to assignment: (vm: Int, gpage: Int)?) {
        updateState { system, state in
            state[system.layout.rmp[frame]] = assignment.map { system.reverseMapCode(vm: $0.vm, gpage: $0.gpage, validated: false) } ?? 0
        }
    }
    var hasReverseMap: Bool { withSystem { !$0.layout.rmp.isEmpty } }

    // Flush requests: one flag per vCPU, index vm * vcpus + vcpu.
    mutating func requestFlush(of vm: Int, runningOnly: Bool) {
        updateState { system, state in
            let vcpus = system.configuration.vcpus, layout = system.layout
            for cpu in (vm * vcpus)..<((vm + 1) * vcpus) where !runningOnly || state[layout.descheduled[cpu]] == 0 {
                state[layout.flushPending[cpu]] = 1
            }
        }
    }
    // Slots are host threads.
    @inline(__always) func slotIsIdle(_ thread: Int) -> Bool { state[withSystem { $0.layout.threadRule[thread] }] == 0 }
    @inline(__always) func slotHolds(_ thread: Int, rule: Int, nextStep: Int) -> Bool {
        withSystem { state[$0.layout.threadRule[thread]] == 1 + rule && state[$0.layout.threadStep[thread]] == nextStep }
    }
    /// Keeps the threads sorted afterwards (`normalizeThreads`): equal sets of rules in progress are equal states.
    @inline(__always) mutating func recordRule(on thread: Int, rule: Int, nextStep: Int?) {
        let bindings = bindings
        updateState { system, state in
            let layout = system.layout, parameters = layout.maxRuleParameters
            state[layout.threadRule[thread]] = nextStep == nil ? 0 : 1 + rule
            state[layout.threadStep[thread]] = nextStep ?? 0
            let recorded = nextStep == nil ? 0 : system.rules.domainCount[rule]
            for index in 0..<parameters {
                state[layout.threadParameter[thread * parameters + index]] = index < recorded ? bindings[index] : 0
            }
            system.normalizeThreads(&state)
        }
    }
    var oneStepRulesTakeASlot: Bool { true }

    func ruleInFlight(naming frame: Int) -> Bool {
        withSystem { system in
            let parameters = system.layout.maxRuleParameters
            for thread in 0..<system.layout.threadRule.count {
                let rule = state[system.layout.threadRule[thread]]
                if rule == 0 { continue }
                var mask = system.rules.frameParameters[rule - 1]
                while mask != 0 {
                    let index = mask.trailingZeroBitCount
                    mask &= mask - 1
                    if state[system.layout.threadParameter[thread * parameters + index]] == frame { return true }
                }
            }
            return false
        }
    }
}
