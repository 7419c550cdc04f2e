import TPTModel
import TPTZ3

/// A transition system over symbolic states, and per transition what it may
/// break: the one a proof's obligations are stated over.
public struct SymbolicSystem {
    public var transitions: [SymbolicTransition]
    /// Per transition (same order).
    public var violations: [[SymbolicViolation]]
}

/// The safety view: the host's rules, step by step, and the guest's moves.
public func safetySystem(_ model: Model, _ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> SymbolicSystem {
    let host = try hostTransitions(model, v, from: pre)
    let guest = try guestTransitions(model, v, from: pre)
    return SymbolicSystem(transitions: host + guest.transitions, violations: host.map { _ in [] } + guest.violations)
}

/// Translation equivalence to nested paging, as one symbolic transition system:
/// the product the explicit checker explores (`TransitionSystem+Equivalence.swift`),
/// for any number of VMs, frames and pages.
///
/// A state holds both sides. Shared: the host's records, pins and the p2m, and
/// the guest's own entries (guest-physical), which a cooperating guest writes
/// and then invalidates. The model's side: its direct entries (a shadow entry, a
/// validated pv entry, a TPT guest's 1-D entry) and its TLB. Nested paging's
/// side: its TLB (`referenceTLB`); its walk is the guest entry composed with the
/// p2m. Every host rule runs as one transition (the windows inside a rule are the
/// safety proofs' business), and nested paging's host flushes a VM's TLB when one
/// of its p2m entries that held a frame changes. An access translates on both
/// sides; a difference breaks equivalent_to_nested.
///
/// The TLBs have no capacity. A full TLB's eviction drops one entry, from
/// either TLB on its own, which covers every way the explicit checker's shared
/// slots evict.
public func equivalenceSystem(_ model: Model, _ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> SymbolicSystem {
    let z3 = v.z3
    let entry = v.frameEntry.constructors
    let none = try entry[0].make()
    func read(_ map: Z3Term, _ vm: Z3Term, _ index: Z3Term) throws(Z3Error) -> Z3Term { try z3.select(z3.select(map, vm), index) }
    func write(_ map: Z3Term, _ vm: Z3Term, _ index: Z3Term, _ value: Z3Term) throws(Z3Error) -> Z3Term {
        try z3.store(map, vm, z3.store(z3.select(map, vm), index, value))
    }
    var system = SymbolicSystem(transitions: [], violations: [])

    // The host: each rule at once; then nested paging's flush.
    for (rule, var transition) in zip(model.rules, try hostTransitions(model, v, from: pre, everyRuleAtomic: true)) {
        let algebra = try SymbolicAlgebra(v, model: model, state: pre, bindings: transition.parameters.map(\.term))
        var flushes: [(vm: Z3Term, changed: Z3Term)] = []
        for step in rule.steps {
            let touched: (vm: Operand, gpage: Operand)? = switch step {
            case .nestedMap(let vm, let gpage, _), .nestedUnmap(let vm, let gpage): (vm, gpage)
            default: nil
            }
            guard let touched else { continue }
            let vm = algebra.value(of: touched.vm, .vm), gpage = algebra.value(of: touched.gpage, .gpage)
            let before = try read(pre.nested, vm, gpage), after = try read(transition.post.nested, vm, gpage)
            flushes.append((vm, try z3.and([v.optionalFrame.constructors[1].test(before), z3.not(z3.equal(before, after))])))
        }
        if let error = algebra.error { throw error }
        if !flushes.isEmpty {
            let w = try z3.constant("flushed.vm", v.vm)
            let flushed = try z3.or(flushes.map { flush throws(Z3Error) in try z3.and([z3.equal(w, flush.vm), flush.changed]) })
            let emptyTLBs = try z3.constantArray(v.vcpu, z3.constantArray(v.page, none))
            transition.post.referenceTLB = try z3.lambda([w], z3.ite(flushed, emptyTLBs, z3.select(pre.referenceTLB, w)))
        }
        system.transitions.append(transition)
        system.violations.append([])
    }

    let vm = try z3.constant("guest.vm", v.vm), page = try z3.constant("guest.page", v.page)
    let vcpu = try z3.constant("guest.vcpu", v.vcpu)
    let onVCPU: [(name: String, term: Z3Term)] = model.configuration.vcpus == 1 ? [("vm", vm)] : [("vm", vm), ("vcpu", vcpu)]
    let onPage = onVCPU + [("page", page)]
    let algebra = try SymbolicAlgebra(v, model: model, state: pre)
    func add(_ name: String, _ parameters: [(name: String, term: Z3Term)], _ enabled: Z3Term, _ post: SymbolicState,
             _ violations: [SymbolicViolation] = []) {
        system.transitions.append(SymbolicTransition(name: name, enabled: enabled, post: post, parameters: parameters))
        system.violations.append(violations)
    }
    /// Whether a pv host accepts the entry (any host accepts an empty one; the
    /// other schemes' keepers accept everything).
    func accepted(_ candidate: Z3Term) throws(Z3Error) -> Z3Term {
        guard model.scheme.features.pinnedFrames else { return try z3.bool(true) }
        return try z3.or([entry[0].test(candidate),
                          algebra.hypercallAccepts(vm: vm, frame: entry[1].fields[0](candidate), writable: entry[1].fields[1](candidate))])
    }
    /// Whether the model's hardware takes a direct entry: present and, under
    /// tpt, naming a frame tagged for the VM.
    func works(_ direct: Z3Term) throws(Z3Error) -> Z3Term {
        guard model.scheme.features.hardwareTags else { return try entry[1].test(direct) }
        return try z3.and([entry[1].test(direct), z3.equal(z3.select(pre.tag, entry[1].fields[0](direct)), v.ownership.constructors[2].make(vm))])
    }

    // An access: the model's TLB, else its direct entry, re-synced by its keeper
    // when it does not work; nested paging's TLB, else its walk.
    let cached = try readTLB(pre.tlb, vm, vcpu, page, in: v), direct = try read(pre.directEntries, vm, page)
    let translated = try translatedGuestEntry(v, pre, vm: vm, page: page)
    let synced = try z3.ite(works(direct), direct, z3.ite(accepted(translated), translated, direct))
    let outcome = try z3.ite(entry[1].test(cached), cached, z3.ite(works(synced), synced, none))
    let referenceCached = try readTLB(pre.referenceTLB, vm, vcpu, page, in: v)
    let reference = try z3.ite(entry[1].test(referenceCached), referenceCached, translated)
    var accessed = pre
    accessed.directEntries = try write(pre.directEntries, vm, page, z3.ite(entry[1].test(cached), direct, synced))
    accessed.tlb = try writeTLB(pre.tlb, vm, vcpu, page, outcome, in: v)
    accessed.referenceTLB = try writeTLB(pre.referenceTLB, vm, vcpu, page, reference, in: v)
    add("access", onPage, try z3.bool(true), accessed,
        [SymbolicViolation(property: .equivalence, condition: try z3.not(z3.equal(outcome, reference)))])

    // TLB maintenance: invlpg and flush on both sides, evictions on either.
    var invalidated = pre
    invalidated.tlb = try writeTLB(pre.tlb, vm, vcpu, page, none, in: v)
    invalidated.referenceTLB = try writeTLB(pre.referenceTLB, vm, vcpu, page, none, in: v)
    add("invlpg", onPage, try z3.bool(true), invalidated)
    var evicted = pre
    evicted.tlb = invalidated.tlb
    add("evict (TLB)", onPage, try z3.bool(true), evicted)
    evicted = pre
    evicted.referenceTLB = invalidated.referenceTLB
    add("evict (nested paging's TLB)", onPage, try z3.bool(true), evicted)
    var flushed = pre
    func flushedTLB(_ tlb: Z3Term) throws(Z3Error) -> Z3Term {
        try z3.store(tlb, vm, z3.store(z3.select(tlb, vm), vcpu, z3.constantArray(v.page, none)))
    }
    flushed.tlb = try flushedTLB(pre.tlb)
    flushed.referenceTLB = try flushedTLB(pre.referenceTLB)
    add("flush", onVCPU, try z3.bool(true), flushed)

    // The guest writes any entry of its own table and invalidates the page on
    // each of its vCPUs; the direct entry's keeper syncs it (under `trap
    // pte_writes sometimes`, a shadow host may miss the write). A cooperating
    // pv guest never asks for a writable mapping of a page-table frame.
    let gpage = try z3.constant("guest.entry", v.gpage), writable = try z3.constant("guest.writable", z3.boolSort())
    let empty = try z3.constant("guest.empty", z3.boolSort())
    let guest = v.guestEntry.constructors
    func invalidatedEverywhere(_ tlb: Z3Term) throws(Z3Error) -> Z3Term {
        func invalidated(_ c: Z3Term) throws(Z3Error) -> Z3Term { try z3.store(z3.select(z3.select(tlb, vm), c), page, none) }
        if let vcpus = try v.everyVCPU() {
            // At the model's sizes, one store per vCPU: no quantifier.
            var row = try z3.select(tlb, vm)
            for c in vcpus { row = try z3.store(row, c, invalidated(c)) }
            return try z3.store(tlb, vm, row)
        }
        let c = try z3.constant("invalidated.vcpu", v.vcpu)
        return try z3.store(tlb, vm, z3.lambda([c], invalidated(c)))
    }
    var untrapped = pre
    untrapped.tlb = try invalidatedEverywhere(pre.tlb)
    untrapped.referenceTLB = try invalidatedEverywhere(pre.referenceTLB)
    untrapped.guestEntries = try write(pre.guestEntries, vm, page, z3.ite(empty, guest[0].make(), guest[1].make(gpage, writable)))
    let written = try translatedGuestEntry(v, untrapped, vm: vm, page: page)
    var trapped = untrapped
    trapped.directEntries = try write(pre.directEntries, vm, page, z3.ite(accepted(written), written, direct))
    var cooperating = try z3.bool(true)
    if model.scheme.features.pinnedFrames {
        let backing = try read(pre.nested, vm, gpage)
        cooperating = try z3.or([empty, z3.not(writable), z3.not(v.optionalFrame.constructors[1].test(backing)),
                                 z3.not(z3.select(pre.pinned, v.optionalFrame.constructors[1].fields[0](backing)))])
    }
    let parameters = onPage + [("empty", empty), ("gpage", gpage), ("writable", writable)]
    let trapsSometimes = model.scheme.features.shadowsGuestTables && model.pteWriteTraps == .sometimes
    add(trapsSometimes ? "write entry (trapped)" : "write entry", parameters, cooperating, trapped)
    if trapsSometimes { add("write entry (not trapped)", parameters, cooperating, untrapped) }
    if let error = algebra.error { throw error }
    return system
}
