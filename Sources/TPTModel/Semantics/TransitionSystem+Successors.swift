/// Every transition out of a state: guest actions (through TLB or walk), host rule
/// starts and continuations. The order is fixed, so exploration is deterministic.
extension TransitionSystem {
    /// Calls `body` with each transition's action, successor state and, when the
    /// transition breaks a checked property, the violation (a transition that
    /// breaks two properties is reported once for each). A property labels a
    /// transition and never removes one: the state space is the same whichever
    /// properties the model checks. Transitions that leave the state unchanged
    /// (faults, repeated reads) are reported only when they break a property.
    ///
    /// Returns false as soon as `body` does (the caller asked to stop).
    @discardableResult
    public func forEachSuccessor(of s: PackedState, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        let c = configuration
        let walksGuestTables = view == .safety && model.scheme.walksGuestTables
        for vm in 0..<c.vms {
            // Guest-written entries may name anything, so one walk serves every page.
            let walked = walksGuestTables ? walk(s, vm: vm) : WalkOutcome()
            for vcpu in 0..<c.vcpus {
                let base = tlbIndex(vm, vcpu)
                for page in 0..<pages {
                    if view == .equivalence {
                        guard equivalenceAccess(s, vm: vm, vcpu: vcpu, page: page, body) else { return false }
                        continue
                    }
                    var read = Action(kind: .read, vm: Int8(vm), vcpu: Int8(vcpu), subject: Int16(page))
                    if let hit = tlbHit(s, base: base, page: page) {
                        let (_, frame, writable) = tlbEntry(s[layout.tlb[hit]])
                        read.frame = Int16(frame)
                        guard access(s, from: s, read, writable: writable, route: .tlbHit, body) else { return false }
                        var invalidated = s
                        invalidated[layout.tlb[hit]] = 0
                        normalizeTLB(&invalidated, base: base)
                        read.kind = .invalidatePage
                        guard body(read, invalidated, nil) else { return false }
                        continue
                    }
                    if model.scheme.features.shadowsGuestTables {
                        // The hardware walks the shadow. An empty shadow entry is a
                        // hidden fault: the host syncs it from the guest's entry and
                        // the p2m, then the access goes on.
                        var synced = s
                        if synced[layout.directEntry[pageIndex(vm, page)]] == 0 {
                            syncDirectEntry(&synced, vm: vm, page: page)
                        }
                        let code = synced[layout.directEntry[pageIndex(vm, page)]]
                        if code != 0 {
                            read.frame = Int16(Self.entryTarget(code))
                            guard fill(s, from: synced, read, writable: Self.entryIsWritable(code), tlbBase: base, body) else { return false }
                        }
                        continue
                    }
                    let outcome = walksGuestTables ? walked : pvWalk(s, vm: vm, page: page)
                    // A page-table read that breaks a property labels a walk that
                    // changes nothing; the walk then goes on to its fills.
                    if let violation = outcome.isolation {
                        read.frame = Int16(violation.frame)
                        guard body(read, s, violation) else { return false }
                    }
                    if let violation = outcome.leak {
                        read.frame = Int16(violation.frame)
                        guard body(read, s, violation) else { return false }
                    }
                    for frame in SetBits(outcome.reached) {
                        read.frame = Int16(frame)
                        guard fill(s, from: s, read, writable: outcome.writable, tlbBase: base, body) else { return false }
                    }
                }
                if s[layout.tlb[base]] != 0 || (view == .equivalence && s[layout.referenceTLB[base]] != 0) {
                    var flushed = s
                    for index in base..<(base + c.tlb) {
                        flushed[layout.tlb[index]] = 0
                        if view == .equivalence { flushed[layout.referenceTLB[index]] = 0 }
                    }
                    guard body(Action(kind: .flush, vm: Int8(vm), vcpu: Int8(vcpu)), flushed, nil) else { return false }
                }
            }
            if view == .equivalence || model.scheme.features.shadowsGuestTables {
                guard guestEntryWrites(s, vm: vm, body) else { return false }
            } else if model.scheme.features.validatesGuestUpdates {
                guard hypercalls(s, vm: vm, body) else { return false }
            } else {
                let rootCode = s[layout.root[vm]]
                for target in 0..<targets where rootCode != 1 + target {
                    var loaded = s
                    loaded[layout.root[vm]] = 1 + target
                    guard body(Action(kind: .loadRoot, vm: Int8(vm), subject: Int16(target)), loaded, nil) else { return false }
                }
                if !layout.rmp.isEmpty { guard validations(s, vm: vm, body) else { return false } }
            }
        }
        return hostSuccessors(of: s, body)
    }

    /// The TLB slot of a vCPU (from `base`) that maps the page, if any; in the
    /// reference TLB when given `layout.referenceTLB`.
    @inline(__always)
    func tlbHit(_ s: PackedState, base: Int, page: Int, _ fields: [Field]? = nil) -> Int? {
        let fields = fields ?? layout.tlb
        for index in base..<(base + configuration.tlb) {
            let code = s[fields[index]]
            if code != 0 && tlbEntry(code).page == page { return index }
        }
        return nil
    }

    /// The guest writes any entry (empty, or any guest-physical page, read-only
    /// or writable) for any virtual page, and the direct entry is synced: by the
    /// shadow-paging host on the trap, by a pv hypercall, or by a TPT guest
    /// itself. Under `trap pte_writes sometimes` a shadow write may also go
    /// through untrapped. In the equivalence view a pv guest, cooperating, never
    /// asks for a writable mapping of a page-table frame. In the safety view the
    /// guest writes only writable entries: a read-only one allows a subset of
    /// what the writable one allows, so it cannot add a violation.
    private func guestEntryWrites(_ s: PackedState, vm: Int, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        for page in 0..<pages {
            let field = layout.guestEntry[pageIndex(vm, page)]
            // Every value, the one already there included: rewriting an entry
            // still traps, and the host re-syncs the shadow from it.
            for value in 0...(2 * configuration.gpages) {
                if view == .safety && value != 0 && !Self.entryIsWritable(value) { continue }
                if view == .equivalence && model.scheme.features.pinnedFrames && Self.entryIsWritable(value) {
                    let nestedCode = s[layout.nested[nestedIndex(vm, Self.entryTarget(value))]]
                    if nestedCode != 0 && s[layout.pinned[nestedCode - 1]] != 0 { continue }
                }
                var untrapped = s
                untrapped[field] = value
                if view == .equivalence { invalidatePage(&untrapped, vm: vm, page: page) }
                var trapped = untrapped
                syncDirectEntry(&trapped, vm: vm, page: page)
                var action = Action(kind: .writeEntry, vm: Int8(vm), subject: Int16(page), frame: Int16(value), trapped: true)
                if trapped != s {
                    guard body(action, trapped, nil) else { return false }
                }
                if model.scheme.features.shadowsGuestTables && model.pteWriteTraps == .sometimes && untrapped != trapped && untrapped != s {
                    action.trapped = false
                    guard body(action, untrapped, nil) else { return false }
                }
            }
        }
        return true
    }

    /// Paravirtual paging: the guest asks the host to set any entry (empty, or
    /// any frame, read-only or writable) for any virtual page; the host applies
    /// the ones its checks accept.
    private func hypercalls(_ s: PackedState, vm: Int, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        for page in 0..<pages {
            let field = layout.directEntry[pageIndex(vm, page)]
            for value in 0...(2 * configuration.frames) where value != s[field] && hypercallAccepts(s, vm: vm, entry: value) {
                var updated = s
                updated[field] = value
                let action = Action(kind: .hypercall, vm: Int8(vm), subject: Int16(page), frame: Int16(value))
                guard body(action, updated, nil) else { return false }
            }
        }
        return true
    }

    /// SEV-SNP: the guest validates any guest-physical page whose nested entry
    /// maps a frame assigned to it at that page and not yet validated.
    private func validations(_ s: PackedState, vm: Int, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        for gpage in 0..<configuration.gpages {
            let code = s[layout.nested[nestedIndex(vm, gpage)]]
            guard code != 0, s[layout.rmp[code - 1]] == reverseMapCode(vm: vm, gpage: gpage, validated: false) else { continue }
            var validated = s
            validated[layout.rmp[code - 1]] = reverseMapCode(vm: vm, gpage: gpage, validated: true)
            let action = Action(kind: .validate, vm: Int8(vm), subject: Int16(gpage), frame: Int16(code - 1))
            guard body(action, validated, nil) else { return false }
        }
        return true
    }

    /// A TLB miss that resolved to `read.frame`: fill the entry (a full TLB may
    /// evict any entry), then access. `state` may already differ from `original`
    /// (a shadow sync on a hidden fault).
    @inline(__always)
    private func fill(_ original: PackedState, from state: PackedState, _ read: Action, writable: Bool, tlbBase base: Int,
                      _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        let code = tlbCode(page: Int(read.subject), frame: Int(read.frame), writable: writable)
        let last = base + configuration.tlb - 1
        let victims = state[layout.tlb[last]] == 0 ? last...last : base...last
        for victim in victims {
            var filled = state
            filled[layout.tlb[victim]] = code
            normalizeTLB(&filled, base: base)
            guard access(original, from: filled, read, writable: writable, route: .walk, body) else { return false }
        }
        return true
    }

    /// A guest access that reached `read.frame` (the TLB possibly just filled, in
    /// `state`): the read, and the write when the mapping is writable.
    ///
    /// The properties label transitions; they never remove one. An access that
    /// breaks a property is reported once per property it breaks, with the state
    /// it leads to (which the search goes on from, for the properties still
    /// open), and a read or write is an access whichever it is.
    @inline(__always)
    private func access(_ original: PackedState, from state: PackedState, _ read: Action, writable: Bool,
                        route: Violation.Route, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        let vm = Int(read.vm)
        let frame = Int(read.frame)
        let breaksIsolation = checksIsolation && accessBreaksIsolation(state, vm: vm, frame: frame)
        let leaks = checksLeak && accessLeaks(state, vm: vm, frame: frame)
        /// Reports one access: once per property it breaks, or once if it changed the state.
        func report(_ action: Action, _ next: PackedState) -> Bool {
            if breaksIsolation {
                let violation = Violation(property: .isolation, vm: vm, frame: frame, route: route, observed: owner(state, frame))
                guard body(action, next, violation) else { return false }
            }
            if leaks {
                let violation = Violation(property: .noDataLeak, vm: vm, frame: frame, route: route, observed: writer(state, frame))
                guard body(action, next, violation) else { return false }
            }
            if !breaksIsolation && !leaks && next != original { return body(action, next, nil) }
            return true
        }
        guard report(read, state) else { return false }
        guard writable else { return true }
        var written = state
        written[layout.writer[frame]] = 1 + vm
        var write = read
        write.kind = .write
        return report(write, written)
    }

    /// The host's transitions: the scheduler's one definition (`startRule`, `continueRule`)
    /// run on each rule's parameter choices whose guard holds, and on each
    /// host thread's rule in progress. A start takes the first idle thread
    /// (threads are kept sorted, so any idle one gives the same state).
    private func hostSuccessors(of s: PackedState, _ body: (Action, PackedState, Violation?) -> Bool) -> Bool {
        let threads = layout.threadRule.count
        var idleThread = -1
        for thread in 0..<threads where s[layout.threadRule[thread]] == 0 {
            idleThread = thread
            break
        }
        for rule in rules.isAtomic.indices {
            // The equivalence product runs every rule as one step: equivalence is
            // about translations between host operations, the windows inside
            // them are isolation's and no_data_leak's business.
            let isAtomic = view == .equivalence || rules.isAtomic[rule]
            if !isAtomic && idleThread < 0 { continue }
            var bindings = Bindings()
            repeat {
                if guardHolds(rule: rule, bindings, in: s), var next = startRule(rule, atomic: isAtomic, bindings, on: max(idleThread, 0), in: s) {
                    if view == .equivalence { flushReferenceTLBs(from: s, to: &next) }
                    if next != s {
                        let action = Action(kind: .startRule, subject: Int16(rule), bindings: bindings)
                        guard body(action, next, nil) else { return false }
                    }
                }
            } while advance(&bindings, rule: rule)
        }
        for thread in 0..<threads where s[layout.threadRule[thread]] != 0 {
            guard body(Action(kind: .continueRule, subject: Int16(thread)), continueRule(on: thread, in: s), nil) else { return false }
        }
        return true
    }

    /// Steps an odometer over a rule's parameter values; false once every choice was made.
    @inline(__always)
    private func advance(_ bindings: inout Bindings, rule: Int) -> Bool {
        let start = rules.domainStart[rule]
        for index in 0..<rules.domainCount[rule] {
            bindings[index] += 1
            if bindings[index] < rules.domains[start + index] { return true }
            bindings[index] = 0
        }
        return false
    }

    func threadBindings(_ s: PackedState, _ thread: Int) -> Bindings {
        var bindings = Bindings()
        for index in 0..<layout.maxRuleParameters {
            bindings[index] = s[layout.threadParameter[thread * layout.maxRuleParameters + index]]
        }
        return bindings
    }

    /// The fields of one host thread, most significant first: the sort key.
    private func threadFields(_ thread: Int) -> [Field] {
        [layout.threadRule[thread], layout.threadStep[thread]]
            + (0..<layout.maxRuleParameters).map { layout.threadParameter[thread * layout.maxRuleParameters + $0] }
    }

    /// Host threads are interchangeable: keep busy ones sorted, largest first, idle last.
    func normalizeThreads(_ s: inout PackedState) {
        let threads = layout.threadRule.count
        if threads < 2 { return }
        for i in 1..<threads {
            var j = i
            while j > 0 {
                let upper = threadFields(j - 1), lower = threadFields(j)
                guard upper.map({ s[$0] }).lexicographicallyPrecedes(lower.map({ s[$0] })) else { break }
                for (a, b) in zip(upper, lower) {
                    let value = s[a]
                    s[a] = s[b]
                    s[b] = value
                }
                j -= 1
            }
        }
    }
}
