import TPTModel
import TPTZ3

/// A guest transition that can break a property: the condition under which it
/// does (over the pre-state and the transition's parameters).
public struct SymbolicViolation {
    public var property: Property
    public var condition: Z3Term
}

/// What a guest may do in one step, over symbolic states, against any guest:
/// the same moves as the explicit checker's safety view
/// (`TransitionSystem+Successors.swift`), for every scheme.
///
/// The walk, its checks, the pv host's checks and the properties come from the
/// one definition in `Primitives.swift`. TLB storage is the unbounded map of
/// `SymbolicState`: a fill never evicts (evicting is `invlpg`), which covers
/// every TLB size.
public struct GuestTransitions {
    /// The parameters every transition shares: free constants an obligation
    /// reads existentially.
    public var vm: Z3Term, vcpu: Z3Term, page: Z3Term, frame: Z3Term, target: Z3Term
    public var transitions: [SymbolicTransition]
    /// Per transition (same order): what it may break.
    public var violations: [[SymbolicViolation]]
}

/// - Parameter prefix: names the parameters, so that copies do not share them.
public func guestTransitions(_ model: Model, _ v: Vocabulary, from pre: SymbolicState,
                             naming prefix: String = "") throws(Z3Error) -> GuestTransitions {
    let z3 = v.z3
    let entry = v.frameEntry.constructors
    let vm = try z3.constant(prefix + "guest.vm", v.vm), page = try z3.constant(prefix + "guest.page", v.page)
    let vcpu = try z3.constant(prefix + "guest.vcpu", v.vcpu)
    let frame = try z3.constant(prefix + "guest.frame", v.frame)
    let targetType: ValueType = model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
    let target = try z3.constant(prefix + "guest.target", v.sort(targetType))
    let algebra = try SymbolicAlgebra(v, model: model, state: pre)
    let cached = try readTLB(pre.tlb, vm, vcpu, page, in: v)
    let cachedFrame = try entry[1].fields[0](cached)
    var result = GuestTransitions(vm: vm, vcpu: vcpu, page: page, frame: frame, target: target, transitions: [], violations: [])

    func properties(_ conditions: [(Property, Z3Term)]) -> [SymbolicViolation] {
        conditions.filter { model.properties.contains($0.0) }.map { SymbolicViolation(property: $0.0, condition: $0.1) }
    }
    func accessViolations(_ frame: Z3Term) -> [SymbolicViolation] {
        properties([(.isolation, algebra.accessBreaksIsolation(vm: vm, frame: frame)), (.noDataLeak, algebra.accessLeaks(vm: vm, frame: frame))])
    }
    func written(_ state: SymbolicState, _ frame: Z3Term) throws(Z3Error) -> SymbolicState {
        var next = state
        next.writer = try z3.store(state.writer, frame, v.ownership.constructors[2].make(vm))
        return next
    }
    func add(_ name: String, _ parameters: [(name: String, term: Z3Term)], _ enabled: Z3Term, _ post: SymbolicState,
             _ violations: [SymbolicViolation] = [], fills: Bool = false) {
        result.transitions.append(SymbolicTransition(name: name, enabled: enabled, post: post, parameters: parameters,
                                                     fills: fills ? (vm, vcpu, page) : nil))
        result.violations.append(violations)
    }
    let onVCPU: [(name: String, term: Z3Term)] = model.configuration.vcpus == 1 ? [("vm", vm)] : [("vm", vm), ("vcpu", vcpu)]
    let onPage = onVCPU + [("page", page)]

    // An access through a cached entry: a read, and a write when it is writable.
    add("read (TLB hit)", onPage, try entry[1].test(cached), pre, accessViolations(cachedFrame))
    add("write (TLB hit)", onPage, try z3.and([entry[1].test(cached), entry[1].fields[1](cached)]), try written(pre, cachedFrame),
        accessViolations(cachedFrame))

    // A miss: the hardware's translation, then the fill and the access.
    let miss = try entry[0].test(cached)
    let translation = try translate(model, v, algebra, pre, vm: vm, page: page, frame: frame)
    if !translation.violations.isEmpty {
        // The walk's page-table reads may break a property whether or not it
        // ends at a frame: a transition that changes nothing, labelled with
        // what it breaks; the walk's fills stay enabled, as in the explicit
        // checker, which goes on to them.
        add("walk", onPage, miss, pre, properties(translation.violations))
    }
    var filled = translation.state
    filled.tlb = try writeTLB(pre.tlb, vm, vcpu, page, entry[1].make(frame, translation.writable), in: v)
    let reached = try z3.and([miss, translation.reaches])
    let fillParameters = onPage + [("frame", frame)]
    add("read (walk and fill)", fillParameters, reached, filled, accessViolations(frame), fills: true)
    add("write (walk and fill)", fillParameters, try z3.and([reached, translation.writable]), try written(filled, frame),
        accessViolations(frame), fills: true)

    // TLB maintenance.
    var invalidated = pre
    invalidated.tlb = try writeTLB(pre.tlb, vm, vcpu, page, entry[0].make(), in: v)
    add("invlpg", onPage, try entry[1].test(cached), invalidated)
    var flushed = pre
    flushed.tlb = try z3.store(pre.tlb, vm, z3.store(z3.select(pre.tlb, vm), vcpu, z3.constantArray(v.page, entry[0].make())))
    add("flush", onVCPU, try z3.bool(true), flushed)

    // Page-table updates: the root (a pv root is the host's to set), the
    // shadowed guest entry, the hypercall.
    switch model.scheme.features.translation {
    case .guestTables:
        var loaded = pre
        let option = model.scheme.guestTablesNameGuestPhysical ? v.optionalGPage : v.optionalFrame
        loaded.root = try z3.store(pre.root, vm, option.constructors[1].make(target))
        add("load root", [("vm", vm), ("root", target)], try z3.bool(true), loaded)
        if model.scheme.hasReverseMap {
            // PVALIDATE of a guest-physical page (`target`): the reverse-map entry
            // of the frame its nested entry maps, assigned to the VM at that page,
            // becomes validated (`TransitionSystem.validations`).
            let mapping = try z3.select(z3.select(pre.nested, vm), target)
            let some = v.optionalFrame.constructors[1], rmp = v.reverseMapEntry.constructors[1]
            let backing = try some.fields[0](mapping)
            var validated = pre
            validated.rmp = try z3.store(pre.rmp, backing, rmp.make(vm, target, z3.bool(true)))
            let enabled = try z3.and([some.test(mapping), z3.equal(z3.select(pre.rmp, backing), rmp.make(vm, target, z3.bool(false)))])
            add("pvalidate", [("vm", vm), ("gpage", target)], enabled, validated)
        }
    case .shadowTable:
        // Any entry, or none; a read-only one allows a subset of what the
        // writable one does, so it adds no violation (as in the explicit checker).
        let gpage = try z3.constant(prefix + "guest.entry", v.gpage)
        let options = [try v.guestEntry.constructors[0].make(), try v.guestEntry.constructors[1].make(gpage, z3.bool(true))]
        let choice = try z3.constant(prefix + "guest.empty", z3.boolSort())
        let value = try z3.ite(choice, options[0], options[1])
        var untrapped = pre
        untrapped.guestEntries = try z3.store(pre.guestEntries, vm, z3.store(z3.select(pre.guestEntries, vm), page, value))
        var trapped = untrapped
        trapped.directEntries = try z3.store(pre.directEntries, vm,
                                             z3.store(z3.select(pre.directEntries, vm), page, translatedGuestEntry(v, untrapped, vm: vm, page: page)))
        let parameters = onPage + [("empty", choice), ("gpage", gpage)]
        add("write entry (trapped)", parameters, try z3.bool(true), trapped)
        if model.pteWriteTraps == .sometimes { add("write entry (not trapped)", parameters, try z3.bool(true), untrapped) }
    case .validatedTable:
        let writable = try z3.constant(prefix + "guest.writable", z3.boolSort())
        let choice = try z3.constant(prefix + "guest.empty", z3.boolSort())
        let value = try z3.ite(choice, entry[0].make(), entry[1].make(target, writable))
        var updated = pre
        updated.directEntries = try z3.store(pre.directEntries, vm, z3.store(z3.select(pre.directEntries, vm), page, value))
        let accepted = try z3.or([choice, algebra.hypercallAccepts(vm: vm, frame: target, writable: writable)])
        add("hypercall", onPage + [("empty", choice), ("frame", target), ("writable", writable)], accepted, updated)
    }
    if let error = algebra.error { throw error }
    return result
}

/// What the hardware does on a TLB miss for the VM's page, as conditions on
/// `frame`, the frame the access may reach.
private struct Translation {
    /// Whether the translation can end at `frame`.
    var reaches: Z3Term
    /// Whether that mapping is writable.
    var writable: Z3Term
    /// The state the fill starts from (a shadow host's hidden fault syncs the entry).
    var state: SymbolicState
    /// What the page-table reads may break, whatever the translation ends at.
    var violations: [(Property, Z3Term)]
}

private func translate(_ model: Model, _ v: Vocabulary, _ algebra: SymbolicAlgebra, _ pre: SymbolicState,
                       vm: Z3Term, page: Z3Term, frame: Z3Term) throws(Z3Error) -> Translation {
    let z3 = v.z3
    let entry = v.frameEntry.constructors
    switch model.scheme.features.translation {
    case .guestTables:
        // The walk over guest-written tables, level by level (under snp, with
        // the reverse-map check of `SemanticsAlgebra.hostFrame`).
        var targets = algebra.rootTargets(of: vm)
        var isolation: [Z3Term] = [], leak: [Z3Term] = []
        for _ in 0..<model.configuration.levels {
            let level = targets
            isolation.append(algebra.someTarget(in: level) { algebra.pageTableReadBreaksIsolation(vm: vm, at: $0) })
            leak.append(algebra.someTarget(in: level) { algebra.pageTableReadLeaks(vm: vm, at: $0) })
            targets = algebra.nextTargets(of: vm, after: level)
        }
        let leaf = targets
        let reaches = algebra.someTarget(in: leaf) { t in
            let (ends, reached) = algebra.walkEnds(vm: vm, at: t)
            return algebra.and(ends, algebra.equal(reached, frame))
        }
        return Translation(reaches: reaches, writable: try z3.bool(true), state: pre,
                           violations: [(.isolation, try z3.or(isolation)), (.noDataLeak, try z3.or(leak))])
    case .shadowTable:
        // The hardware walks the host's shadow; an empty entry is a hidden
        // fault, where the host syncs it from the guest's entry and the p2m.
        let direct = try z3.select(z3.select(pre.directEntries, vm), page)
        let synced = try z3.ite(entry[0].test(direct), translatedGuestEntry(v, pre, vm: vm, page: page), direct)
        var state = pre
        state.directEntries = try z3.store(pre.directEntries, vm, z3.store(z3.select(pre.directEntries, vm), page, synced))
        return Translation(reaches: try z3.and([entry[1].test(synced), z3.equal(entry[1].fields[0](synced), frame)]),
                           writable: try entry[1].fields[1](synced), state: state, violations: [])
    case .validatedTable:
        // The walker reads the root frame: the validated entry while no guest
        // has written it, anything once one has (`TransitionSystem.pvWalk`).
        let (present, root) = algebra.root(of: vm)
        let rootWritten = algebra.not(algebra.equal(algebra.writer(of: root), algebra.free))
        let direct = try z3.select(z3.select(pre.directEntries, vm), page)
        let viaEntry = try z3.and([entry[1].test(direct), z3.equal(entry[1].fields[0](direct), frame)])
        return Translation(reaches: try z3.and([present, z3.or([rootWritten, viaEntry])]),
                           writable: try z3.or([rootWritten, entry[1].fields[1](direct)]), state: pre,
                           violations: [(.isolation, algebra.and(present, algebra.accessBreaksIsolation(vm: vm, frame: root))),
                                        (.noDataLeak, algebra.and(present, algebra.accessLeaks(vm: vm, frame: root)))])
    }
}

/// The guest's entry for the page composed with the p2m: a frame entry with the
/// guest entry's permission, or none when either is empty
/// (`TransitionSystem.translatedGuestEntry`).
func translatedGuestEntry(_ v: Vocabulary, _ state: SymbolicState, vm: Z3Term, page: Z3Term) throws(Z3Error) -> Z3Term {
    let z3 = v.z3
    let guest = v.guestEntry.constructors[1], option = v.optionalFrame.constructors[1]
    let guestEntry = try z3.select(z3.select(state.guestEntries, vm), page)
    let backing = try z3.select(z3.select(state.nested, vm), guest.fields[0](guestEntry))
    return try z3.ite(z3.and([guest.test(guestEntry), option.test(backing)]),
                      v.frameEntry.constructors[1].make(option.fields[0](backing), guest.fields[1](guestEntry)),
                      v.frameEntry.constructors[0].make())
}

/// A vCPU's TLB entry for a page.
func readTLB(_ tlb: Z3Term, _ vm: Z3Term, _ vcpu: Z3Term, _ page: Z3Term, in v: Vocabulary) throws(Z3Error) -> Z3Term {
    try v.z3.select(v.z3.select(v.z3.select(tlb, vm), vcpu), page)
}

/// The TLBs with one vCPU's entry for a page replaced.
func writeTLB(_ tlb: Z3Term, _ vm: Z3Term, _ vcpu: Z3Term, _ page: Z3Term, _ value: Z3Term, in v: Vocabulary) throws(Z3Error) -> Z3Term {
    let z3 = v.z3
    let row = try z3.select(tlb, vm)
    return try z3.store(tlb, vm, z3.store(row, vcpu, z3.store(z3.select(row, vcpu), page, value)))
}
