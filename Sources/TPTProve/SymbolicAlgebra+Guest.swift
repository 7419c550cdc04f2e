import TPTModel
import TPTZ3

/// `GuestAlgebra` on Z3 terms: a choice is one free constant (named, so the
/// moves that share a choice share it), a frame set is its membership
/// condition, and a TLB is the unbounded map of `SymbolicState`: a fill never
/// evicts (bounded model checking adds the eviction, `limit`).
extension SymbolicAlgebra: GuestAlgebra {
    /// A set of frames, as the condition that a frame is a member.
    public struct FrameSet {
        let contains: (Z3Term) -> Z3Term
    }

    private func constant(_ name: String, _ sort: Z3Sort) -> Z3Term {
        make { () throws(Z3Error) in try z3.constant(prefix + "guest." + name, sort) }
    }

    private func boolean(_ name: String) -> Z3Term {
        make { () throws(Z3Error) in try z3.constant(prefix + "guest." + name, z3.boolSort()) }
    }

    public func forEach(_ domain: GuestDomain, named name: String, _ body: (Z3Term) -> Bool) -> Bool {
        let sort = switch domain {
        case .value(let type): vocabulary.sort(type)
        case .page: vocabulary.page
        }
        return body(constant(name, sort))
    }

    public func forEachEntry(naming type: ValueType, writableOnly: Bool, _ body: (EntryValue<Z3Term, Z3Term>) -> Bool) -> Bool {
        let empty = boolean("empty")
        let writable = writableOnly ? always : boolean("writable")
        return body(EntryValue(present: not(empty), target: constant("entry", vocabulary.sort(type)), writable: writable))
    }

    public func forEachFrame(in set: FrameSet, named name: String, _ body: (Z3Term, Z3Term) -> Bool) -> Bool {
        let frame = constant(name, vocabulary.frame)
        return body(frame, set.contains(frame))
    }

    public func whenever(_ condition: Z3Term, _ body: (Z3Term) -> Bool) -> Bool { body(condition) }
    public func select(_ condition: Z3Term, _ a: Z3Term, _ b: Z3Term) -> Z3Term {
        if let known = z3.literalValue(of: condition) { return known ? a : b }
        return make { () throws(Z3Error) in try z3.ite(condition, a, b) }
    }

    public var allFrames: FrameSet { FrameSet { [always] _ in always } }
    public func frames(_ frame: Z3Term, if condition: Z3Term) -> FrameSet {
        FrameSet { [self] f in and(condition, equal(f, frame)) }
    }
    public func frames(if condition: Z3Term, _ then: FrameSet, else otherwise: FrameSet) -> FrameSet {
        FrameSet { [self] f in select(condition, then.contains(f), otherwise.contains(f)) }
    }
    public func contains(_ set: FrameSet, _ frame: Z3Term) -> Z3Term { set.contains(frame) }
    /// Membership of a stand-in frame, built once; a frame's is the stand-in replaced.
    public func frames(from set: Z3Term, _ leadsTo: (Z3Term) -> (Z3Term, Z3Term)) -> FrameSet {
        let standIn = constant("reached!", vocabulary.frame)
        let condition = someTarget(in: set) { t in
            let (leads, frame) = leadsTo(t)
            return and(leads, equal(frame, standIn))
        }
        return FrameSet { [self] f in make { () throws(Z3Error) in try z3.substitute(condition, [standIn], [f]) } }
    }

    public func checks(_ property: Property) -> Bool { model.properties.contains(property) }
    public var features: SchemeFeatures { scheme.features }
    public var pteWritesMayGoUntrapped: Bool { scheme.features.shadowsGuestTables && model.pteWriteTraps == .sometimes }
    public var levels: Int { model.configuration.levels }

    // MARK: TLBs

    private func frameEntry(_ term: Z3Term) -> EntryValue<Z3Term, Z3Term> {
        let some = vocabulary.frameEntry.constructors[1]
        return EntryValue(present: make { () throws(Z3Error) in try some.test(term) },
                          target: make { () throws(Z3Error) in try some.fields[0](term) },
                          writable: make { () throws(Z3Error) in try some.fields[1](term) })
    }

    private func frameEntry(_ entry: EntryValue<Z3Term, Z3Term>) -> Z3Term {
        let entries = vocabulary.frameEntry.constructors
        let some = make { () throws(Z3Error) in try entries[1].make(entry.target, entry.writable) }
        return select(entry.present, some, make { () throws(Z3Error) in try entries[0].make() })
    }

    private func tlbs(_ side: TLBSide) -> WritableKeyPath<SymbolicState, Z3Term> { side == .model ? \.tlb : \.referenceTLB }

    public func tlbEntry(of vm: Z3Term, _ vcpu: Z3Term, _ page: Z3Term, in side: TLBSide) -> EntryValue<Z3Term, Z3Term> {
        frameEntry(make { () throws(Z3Error) in try readTLB(state[keyPath: tlbs(side)], vm, vcpu, page, in: vocabulary) })
    }

    public mutating func invalidateTLBEntry(of vm: Z3Term, _ vcpu: Z3Term?, _ page: Z3Term, in side: TLBSide) {
        let path = tlbs(side), tlb = state[keyPath: path]
        state[keyPath: path] = make { () throws(Z3Error) in
            let none = try vocabulary.frameEntry.constructors[0].make()
            if let vcpu { return try writeTLB(tlb, vm, vcpu, page, none, in: vocabulary) }
            func invalidated(_ c: Z3Term) throws(Z3Error) -> Z3Term { try z3.store(z3.select(z3.select(tlb, vm), c), page, none) }
            if let vcpus = try vocabulary.everyVCPU() {
                // At the model's sizes, one store per vCPU: no quantifier.
                var row = try z3.select(tlb, vm)
                for c in vcpus { row = try z3.store(row, c, invalidated(c)) }
                return try z3.store(tlb, vm, row)
            }
            let c = try variable("c", vocabulary.vcpu)
            return try z3.store(tlb, vm, z3.lambda([c], invalidated(c)))
        }
    }

    public mutating func flushTLB(of vm: Z3Term, _ vcpu: Z3Term, in side: TLBSide, where condition: Z3Term) {
        let path = tlbs(side), tlb = state[keyPath: path]
        state[keyPath: path] = make { () throws(Z3Error) in
            let empty = try z3.constantArray(vocabulary.page, vocabulary.frameEntry.constructors[0].make())
            let row = try z3.select(tlb, vm)
            return try z3.store(tlb, vm, z3.store(row, vcpu, select(condition, empty, z3.select(row, vcpu))))
        }
    }

    public mutating func flushTLBs(of vm: Z3Term, in side: TLBSide, where condition: Z3Term) {
        let path = tlbs(side), tlb = state[keyPath: path]
        state[keyPath: path] = make { () throws(Z3Error) in
            let empty = try z3.constantArray(vocabulary.vcpu, z3.constantArray(vocabulary.page, vocabulary.frameEntry.constructors[0].make()))
            return try z3.store(tlb, vm, select(condition, empty, z3.select(tlb, vm)))
        }
    }

    /// A fill writes the entry where it is present; there is no capacity.
    public func forEachFill(of vm: Z3Term, _ vcpu: Z3Term, _ page: Z3Term, with entry: EntryValue<Z3Term, Z3Term>,
                            reference: EntryValue<Z3Term, Z3Term>?, _ body: (SymbolicAlgebra) -> Bool) -> Bool {
        var filled = self
        for (side, entry) in [(TLBSide.model, entry), (.reference, reference)] {
            guard let entry else { continue }
            let path = tlbs(side), tlb = state[keyPath: path]
            let value = frameEntry(EntryValue(present: always, target: entry.target, writable: entry.writable))
            let kept = make { () throws(Z3Error) in try readTLB(tlb, vm, vcpu, page, in: vocabulary) }
            filled.state[keyPath: path] = make { () throws(Z3Error) in
                try writeTLB(tlb, vm, vcpu, page, select(entry.present, value, kept), in: vocabulary)
            }
        }
        return body(filled)
    }

    public var tlbsAreBounded: Bool { false }

    // MARK: Per-page entries

    private func perPage(_ map: Z3Term, _ vm: Z3Term, _ page: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.select(z3.select(map, vm), page) }
    }

    private func storingPerPage(_ map: Z3Term, _ vm: Z3Term, _ page: Z3Term, _ value: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.store(map, vm, z3.store(z3.select(map, vm), page, value)) }
    }

    public func guestEntry(of vm: Z3Term, _ page: Z3Term) -> EntryValue<Z3Term, Z3Term> {
        let some = vocabulary.guestEntry.constructors[1], term = perPage(state.guestEntries, vm, page)
        return EntryValue(present: make { () throws(Z3Error) in try some.test(term) },
                          target: make { () throws(Z3Error) in try some.fields[0](term) },
                          writable: make { () throws(Z3Error) in try some.fields[1](term) })
    }

    public mutating func setGuestEntry(of vm: Z3Term, _ page: Z3Term, to entry: EntryValue<Z3Term, Z3Term>) {
        let entries = vocabulary.guestEntry.constructors
        let some = make { () throws(Z3Error) in try entries[1].make(entry.target, entry.writable) }
        let value = select(entry.present, some, make { () throws(Z3Error) in try entries[0].make() })
        state.guestEntries = storingPerPage(state.guestEntries, vm, page, value)
    }

    public func directEntry(of vm: Z3Term, _ page: Z3Term) -> EntryValue<Z3Term, Z3Term> {
        frameEntry(perPage(state.directEntries, vm, page))
    }

    public mutating func setDirectEntry(of vm: Z3Term, _ page: Z3Term, to entry: EntryValue<Z3Term, Z3Term>) {
        state.directEntries = storingPerPage(state.directEntries, vm, page, frameEntry(entry))
    }

    public mutating func validateReverseMap(of frame: Z3Term, vm: Z3Term, gpage: Z3Term) {
        state.rmp = make { () throws(Z3Error) in
            try z3.store(state.rmp, frame, vocabulary.reverseMapEntry.constructors[1].make(vm, gpage, z3.bool(true)))
        }
    }
}

/// The flush-request protocol's per-vCPU flags, as VM-by-vCPU arrays of Booleans.
extension SymbolicAlgebra {
    public var sendsFlushRequests: Bool { model.configuration.flushRequests }

    public func isRunning(_ vm: Z3Term, _ vcpu: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.not(z3.select(z3.select(state.descheduled, vm), vcpu)) }
    }

    public mutating func setRunning(_ vm: Z3Term, _ vcpu: Z3Term, _ running: Bool) {
        state.descheduled = make { () throws(Z3Error) in
            try z3.store(state.descheduled, vm, z3.store(z3.select(state.descheduled, vm), vcpu, z3.bool(!running)))
        }
    }

    public func flushPending(_ vm: Z3Term, _ vcpu: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.select(z3.select(state.flushPending, vm), vcpu) }
    }

    public mutating func clearFlushRequest(_ vm: Z3Term, _ vcpu: Z3Term) {
        state.flushPending = make { () throws(Z3Error) in
            try z3.store(state.flushPending, vm, z3.store(z3.select(state.flushPending, vm), vcpu, z3.bool(false)))
        }
    }
}
