/// Where a state's transitions go, one at a time (`forEachSuccessor`).
public protocol TransitionSink {
    /// Takes one transition: its action, the state after it, and what it
    /// breaks; false stops the enumeration.
    mutating func take(_ action: Action, _ next: PackedState, _ violation: Violation?) -> Bool

    /// Sees each guest move enumerated, enabled or not, before it becomes a
    /// transition or nothing (a move that changes nothing): `checks` says
    /// which property an enabled one was checked on. For `Coverage`.
    mutating func offer(_ kind: Action.Kind, enabled: Bool, checks: PropertyCheck?)
}

extension TransitionSink {
    /// Most sinks do not count coverage.
    @inline(__always) public mutating func offer(_ kind: Action.Kind, enabled: Bool, checks: PropertyCheck?) {}
}

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
        withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            return forEachSuccessor(of: s, into: &sink)
        }
    }

    /// `forEachSuccessor`, handing each transition to a sink. The explorer's
    /// form: a sink is called directly, where a closure would be wrapped in
    /// an object on every state.
    @inline(__always)
    public func forEachSuccessor<Sink: TransitionSink>(of s: PackedState, into sink: inout Sink) -> Bool {
        var moves = Successors(system: Unmanaged.passUnretained(self), state: s, sink: sink)
        let algebra = ConcreteAlgebra(system: self, state: s, bindings: Bindings())
        let guestMovesEnded = view == .equivalence ? algebra.forEachEquivalenceMove(&moves) : algebra.forEachGuestMove(&moves)
        sink = moves.sink
        return guestMovesEnded && hostSuccessors(of: s, &sink)
    }

    private struct ClosureSink: TransitionSink {
        let body: (Action, PackedState, Violation?) -> Bool
        @inline(__always) mutating func take(_ action: Action, _ next: PackedState, _ violation: Violation?) -> Bool {
            body(action, next, violation)
        }
    }

    /// The guest moves of a state, as its transitions (`report`).
    private struct Successors<Sink: TransitionSink>: GuestMoveSink {
        /// Not retained, as in `ConcreteAlgebra`.
        let system: Unmanaged<TransitionSystem>
        let state: PackedState
        var sink: Sink

        @inline(__always)
        mutating func emit(_ move: GuestMove<Int, Bool>, _ after: ConcreteAlgebra) -> Bool {
            let state = state
            return system._withUnsafeGuaranteedRef { $0.report(move, from: state, to: after.state, &sink) }
        }
    }

    /// A guest move of the one definition (`forEachGuestMove`), as transitions:
    /// once per property it breaks, or once if it changes the state.
    ///
    /// The properties label transitions; they never remove one. A move that
    /// breaks a property is reported with the state it leads to, which the
    /// search goes on from for the properties still open.
    @inline(__always)
    private func report<Sink: TransitionSink>(_ move: GuestMove<Int, Bool>, from s: PackedState, to next: PackedState,
                                              _ sink: inout Sink) -> Bool {
        sink.offer(move.kind, enabled: move.enabled, checks: !move.enabled ? nil
                   : move.route == .tlbHit || move.route == .walk ? .access
                   : move.kind == .translate && (move.entry?.present == true || move.reference?.present == true) ? .translation : nil)
        guard move.enabled else { return true }
        guard move.isolation || move.leak || move.divergence == true || next != s else { return true }
        var action = Action(kind: move.kind, vm: Int8(move.vm), vcpu: Int8(move.vcpu ?? 0), subject: Int16(move.subject ?? 0),
                            frame: Int16(move.frame ?? move.entry.map(ConcreteAlgebra.code) ?? 0), trapped: move.trapped,
                            reference: Int16(move.reference.map(ConcreteAlgebra.code) ?? 0))
        if move.divergence == true, let outcome = move.entry, let vcpu = move.vcpu, let page = move.subject {
            let hit = tlbHit(s, base: tlbIndex(move.vm, vcpu), page: page) != nil
            let violation = Violation(property: .equivalence, vm: move.vm, frame: outcome.present ? outcome.target : -1,
                                      route: hit ? .tlbHit : .walk, observed: Int(action.reference))
            return sink.take(action, next, violation)
        }
        func violation(_ property: Property, _ observed: (Int) -> Int) -> Violation {
            let route: Violation.Route, frame: Int
            switch move.route {
            case .tlbHit?: (route, frame) = (.tlbHit, move.frame!)
            case .pageTableReads?:
                let read = firstBreakingRead(s, vm: move.vm, vcpu: move.vcpu ?? 0, property)
                (route, frame) = (.pageTableRead(level: read.level, cached: read.cached), read.frame)
            default: (route, frame) = (.walk, move.frame!)
            }
            return Violation(property: property, vm: move.vm, frame: frame, route: route, observed: observed(frame))
        }
        if move.isolation {
            let broken = violation(.isolation) { owner(s, $0) }
            action.frame = Int16(broken.frame)
            guard sink.take(action, next, broken) else { return false }
        }
        if move.leak {
            let broken = violation(.noDataLeak) { writer(s, $0) }
            action.frame = Int16(broken.frame)
            guard sink.take(action, next, broken) else { return false }
        }
        if !move.isolation && !move.leak && next != s { return sink.take(action, next, nil) }
        return true
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

    /// The host's transitions: the scheduler's one definition (`startRule`, `continueRule`)
    /// run on each rule's parameter choices whose guard holds, and on each
    /// host thread's rule in progress. A start takes the first idle thread
    /// (threads are kept sorted, so any idle one gives the same state).
    @inline(__always)
    private func hostSuccessors<Sink: TransitionSink>(of s: PackedState, _ sink: inout Sink) -> Bool {
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
                if guardHolds(rule: rule, bindings, in: s), let next = startRule(rule, atomic: isAtomic, bindings, on: max(idleThread, 0), in: s) {
                    if next != s {
                        let action = Action(kind: .startRule, subject: Int16(rule), bindings: bindings)
                        guard sink.take(action, next, nil) else { return false }
                    }
                }
            } while advance(&bindings, rule: rule)
        }
        for thread in 0..<threads where s[layout.threadRule[thread]] != 0 {
            guard let next = continueRule(on: thread, in: s) else { continue }
            guard sink.take(Action(kind: .continueRule, subject: Int16(thread)), next, nil) else { return false }
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
