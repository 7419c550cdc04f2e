/// The two per-frame ownership records.
///
/// `owner` is the host's allocation record: who the frame belongs to. It is the
/// ground truth the properties are stated in. `tag` is TPT's hardware tag, which
/// the page walker checks; the host's rules must keep it in step with `owner`.
/// Nested paging has no hardware tags, only owners.
public enum OwnershipRecord: String, Sendable, CaseIterable {
    case owner, tag
}

/// An ownership value, as written in a step or compared in a guard.
public enum TagValue: Sendable, Equatable {
    case free
    case host
    /// The VM, which may read and write the frame.
    case vm(Operand)
    /// The VM, which may only read the frame (`ro(v)`): a write by it
    /// through the walk faults where the tag says so, and breaks isolation
    /// where the owner does.
    case readOnly(Operand)

    /// Whether the value grants read access only.
    public var isReadOnly: Bool {
        if case .readOnly = self { return true }
        return false
    }
}

/// A primitive host step. Each has exactly one meaning, defined in
/// `Primitives.swift`; the explicit checker executes it and a symbolic
/// backend translates the same definition.
public enum Step: Sendable, Equatable {
    /// Set a frame's owner (host bookkeeping) or its hardware tag.
    case setOwnership(OwnershipRecord, frame: Operand, TagValue)
    /// Remove every TLB entry, of every vCPU, that maps the frame; with a
    /// VM and a vCPU, of that vCPU only (the invalidation sent to one CPU).
    case shootdown(frame: Operand, vm: Operand?, vcpu: Operand?)
    /// Remove every TLB entry of every vCPU of the VM, and every entry of
    /// their paging-structure caches; with a vCPU, of that vCPU only.
    case flushTLB(vm: Operand, vcpu: Operand?)
    /// Remove every paging-structure-cache entry, of every vCPU, that names
    /// the frame as a page table (what a host that frees a page-table frame
    /// must also invalidate; `shootdown` removes leaf entries only).
    case shootdownTables(frame: Operand)
    /// Clear the frame: afterwards it holds nothing any VM wrote (and, read as a
    /// page table, only empty entries).
    case scrub(frame: Operand)
    /// Record that a VM wrote the frame, e.g. its boot page tables in `init`: from
    /// then on the frame holds whatever that VM chose to write.
    case setWriter(frame: Operand, vm: Operand)
    /// Set a vCPU's root (CR3): a frame under tpt, a guest-physical page
    /// under nested. Without a vCPU, every vCPU's of the VM.
    case setRoot(vm: Operand, vcpu: Operand?, target: Operand?)
    /// Map a guest-physical page of a VM to a frame in its nested table,
    /// writable or (`ro(f)`) read-only.
    case nestedMap(vm: Operand, gpage: Operand, frame: Operand, writable: Bool = true)
    /// Remove a guest-physical page from a VM's nested table.
    case nestedUnmap(vm: Operand, gpage: Operand)
    /// Shadow paging: clear the VM's shadow entries for every virtual page its
    /// guest table maps to the guest-physical page (found through the guest table,
    /// as a real hypervisor's reverse map is).
    case shadowZap(vm: Operand, gpage: Operand)
    /// Paravirtual paging: mark the frame as a page table. From then on the host
    /// refuses writable mappings of it (when its hypercalls check that).
    case pin(frame: Operand)
    /// Paravirtual paging: the frame is no longer a page table.
    case unpin(frame: Operand)
    /// Remove every host-made entry that names the frame, in every VM: the
    /// validated pv table's, the shadow table's, and (in the equivalence product)
    /// the cooperating TPT guest's 1-D entries.
    case revoke(frame: Operand)
    /// SEV-SNP: assign the frame's reverse-map entry to the VM at the
    /// guest-physical page, not yet validated (RMPUPDATE). From then on the VM's
    /// nested walks may end at the frame for that page, once the guest validates it.
    case rmpAssign(frame: Operand, vm: Operand, gpage: Operand)
    /// SEV-SNP: make the frame's reverse-map entry free again (RMPUPDATE to the
    /// hypervisor's state): from then on every nested walk that reaches it faults.
    case rmpClear(frame: Operand)
    /// Ask the VM's vCPUs to flush their TLBs, as a flush IPI (Xen's
    /// `flush_tlb_mask`) or a request the vCPU reads before it enters the
    /// guest again (KVM's `KVM_REQ_TLB_FLUSH`) does: nothing is flushed yet.
    /// A running vCPU acknowledges in a guest-interleaved step of its own,
    /// flushing then; a descheduled one flushes when it runs again.
    /// `runningOnly`: the descheduled vCPUs are skipped, as lazy-TLB IPIs
    /// skip CPUs not running the address space; unless the host flushes them
    /// some other way, they run again with their old entries.
    case requestFlush(vm: Operand, runningOnly: Bool)
    /// Wait until every running vCPU of the VM has acknowledged its flush
    /// request (a descheduled one is not waited for: it flushes before it
    /// runs). The rule's next step comes only after.
    case awaitFlush(vm: Operand)

    /// Host bookkeeping changes the host's own records, which no hardware and no
    /// guest reads: the owner record, and the p2m under tpt and pv (nested
    /// paging's hardware walks it; shadow paging's host builds the shadow from
    /// it). `necessity` neither drops nor moves it.
    public func isBookkeeping(under scheme: Scheme) -> Bool {
        switch self {
        case .setOwnership(.owner, _, _): return true
        case .nestedMap, .nestedUnmap: return scheme.features.nestedTableIsBookkeeping
        default: return false
        }
    }

    /// Whether the step grants read access only (`ro(...)`), which
    /// ownership and nested cells can hold only where the model says so
    /// (`Configuration.permissions`).
    public var usesPermissions: Bool {
        switch self {
        case .setOwnership(_, _, let value): return value.isReadOnly
        case .nestedMap(_, _, _, let writable): return !writable
        default: return false
        }
    }

    /// Whether the step is part of the flush-request protocol, whose state
    /// (each vCPU's pending request, and whether it runs) a model keeps only
    /// when it uses it (`Configuration.flushRequests`).
    public var usesFlushRequests: Bool {
        switch self {
        case .requestFlush, .awaitFlush: return true
        default: return false
        }
    }
}

/// A condition over the state and a rule's parameters: tests combined by
/// `not`, `and` and `or`.
public enum Guard: Sendable, Equatable {
    case always
    indirect case not(Guard)
    indirect case and(Guard, Guard)
    indirect case or(Guard, Guard)
    case test(Test)

    /// Whether some test asks for read access only (`ro(...)`).
    public var usesPermissions: Bool {
        switch self {
        case .always: return false
        case .not(let inner): return inner.usesPermissions
        case .and(let a, let b), .or(let a, let b): return a.usesPermissions || b.usesPermissions
        case .test(.ownershipIs(_, _, let value)): return value.isReadOnly
        case .test(.nestedIs(_, _, _, let readOnly)): return readOnly
        case .test: return false
        }
    }

    /// A condition that combines no others. Plain data, unlike `Guard`, whose
    /// copies cost reference counting: the explicit checker evaluates tests
    /// once per choice of a rule's parameters in every state.
    public enum Test: Sendable, Equatable {
        /// The frame's owner (or tag) equals the value.
        case ownershipIs(OwnershipRecord, frame: Operand, TagValue)
        /// The frame's owner (or tag) is some VM.
        case ownershipIsVM(OwnershipRecord, frame: Operand)
        /// The VM's nested entry for the page maps the frame, with either
        /// permission or (`readOnly`, `ro(f)`) read-only (nil: is empty).
        case nestedIs(vm: Operand, gpage: Operand, frame: Operand?, readOnly: Bool = false)
        /// Some nested entry of some VM maps the frame.
        case mapped(frame: Operand)
        /// An interleaved rule that has not finished names the frame as a parameter.
        case inFlight(frame: Operand)
        /// The frame is pinned as a page table (paravirtual paging).
        case pinned(frame: Operand)
        /// SEV-SNP: the frame's reverse-map entry is assigned to the VM, at any
        /// guest-physical page (nil: the entry is free).
        case reverseMapIs(frame: Operand, vm: Operand?)
        /// SEV-SNP: the frame's reverse-map entry is assigned to some VM.
        case reverseMapAssigned(frame: Operand)
        /// Two values of one type are the same: a parameter and another, or
        /// a constant (`v != w`, `f == f0`).
        case same(Operand, Operand, ValueType)
        /// The vCPU's root names the target, a frame or a guest-physical
        /// page by scheme (`type`); nil: the vCPU has no root. Without a
        /// vCPU, of the VM: some vCPU's root names the target; nil: no vCPU
        /// has a root.
        case rootIs(vm: Operand, vcpu: Operand?, target: Operand?, ValueType)
        /// The vCPU has a flush request it has not acknowledged (without a
        /// vCPU: some vCPU of the VM has). A host knows this as the request
        /// bit it set and the vCPU clears (KVM's `KVM_REQ_TLB_FLUSH`).
        case flushPending(vm: Operand, vcpu: Operand?)
        /// The vCPU is not running (without a vCPU: some vCPU of the VM is
        /// not). A host knows this as its record of where a vCPU runs (KVM's
        /// `vcpu->mode`, Xen's `is_running`).
        case descheduled(vm: Operand, vcpu: Operand?)
    }

    /// Whether some test reads the flush-request protocol's state, which
    /// states keep only in models that use it (`Configuration.flushRequests`).
    public var usesFlushRequests: Bool {
        switch self {
        case .always: return false
        case .not(let inner): return inner.usesFlushRequests
        case .and(let a, let b), .or(let a, let b): return a.usesFlushRequests || b.usesFlushRequests
        case .test(.flushPending), .test(.descheduled): return true
        case .test: return false
        }
    }
}
