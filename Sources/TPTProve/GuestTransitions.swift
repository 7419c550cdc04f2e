import TPTModel
import TPTZ3

/// A guest transition that can break a property: the condition under which it
/// does (over the pre-state and the transition's parameters).
public struct SymbolicViolation {
    public var property: Property
    public var condition: Z3Term
}

/// What a guest may do in one step, over symbolic states, for the schemes whose
/// hardware walks guest-written tables (tpt, nested), against any guest.
///
/// The walk, its checks and the properties come from the one definition in
/// `Primitives.swift`. TLB storage is the unbounded map of `SymbolicState`:
/// a fill never evicts (evicting is `invlpg`), which covers every TLB size.
public struct GuestTransitions {
    /// The parameters every transition shares: free constants an obligation
    /// reads existentially.
    public var vm: Z3Term, page: Z3Term, frame: Z3Term, target: Z3Term
    public var transitions: [SymbolicTransition]
    /// Per transition (same order): what it may break.
    public var violations: [[SymbolicViolation]]
}

public func guestTransitions(_ model: Model, _ v: Vocabulary, from pre: SymbolicState) throws(Z3Error) -> GuestTransitions {
    guard model.scheme.walksGuestTables else {
        throw Z3Error(message: "guest transitions are encoded for tpt and nested so far, not \(model.scheme.rawValue)")
    }
    let z3 = v.z3
    let entry = v.frameEntry.constructors
    let vm = try z3.constant("guest.vm", v.vm), page = try z3.constant("guest.page", v.page)
    let frame = try z3.constant("guest.frame", v.frame)
    let targetType: ValueType = model.scheme.guestTablesNameGuestPhysical ? .gpage : .frame
    let target = try z3.constant("guest.target", v.sort(targetType))
    let algebra = try SymbolicAlgebra(v, model: model, state: pre)
    let cached = try z3.select(z3.select(pre.tlb, vm), page)
    let cachedFrame = try entry[1].fields[0](cached)
    var result = GuestTransitions(vm: vm, page: page, frame: frame, target: target, transitions: [], violations: [])

    func properties(_ conditions: [(Property, Z3Term)]) -> [SymbolicViolation] {
        conditions.filter { model.properties.contains($0.0) }.map { SymbolicViolation(property: $0.0, condition: $0.1) }
    }
    func written(_ state: SymbolicState, _ frame: Z3Term) throws(Z3Error) -> SymbolicState {
        var next = state
        next.writer = try z3.store(state.writer, frame, v.ownership.constructors[2].make(vm))
        return next
    }
    func add(_ name: String, _ enabled: Z3Term, _ post: SymbolicState, _ violations: [SymbolicViolation] = []) {
        let parameters: [(name: String, term: Z3Term)] = name == "flush" ? [("vm", vm)]
            : name == "load root" ? [("vm", vm), ("root", target)]
            : name.contains("walk and fill") ? [("vm", vm), ("page", page), ("frame", frame)] : [("vm", vm), ("page", page)]
        result.transitions.append(SymbolicTransition(name: name, enabled: enabled, post: post, parameters: parameters))
        result.violations.append(violations)
    }

    // An access through a cached entry: a read, and a write when it is writable.
    let hitViolations = properties([(.isolation, algebra.accessBreaksIsolation(vm: vm, frame: cachedFrame)),
                                    (.noDataLeak, algebra.accessLeaks(vm: vm, frame: cachedFrame))])
    add("read (TLB hit)", try entry[1].test(cached), pre, hitViolations)
    add("write (TLB hit)", try z3.and([entry[1].test(cached), entry[1].fields[1](cached)]), try written(pre, cachedFrame), hitViolations)

    // A miss: the walk, level by level, then the fill and the access.
    var targets = algebra.rootTargets(of: vm)
    var pageTableIsolation: [Z3Term] = [], pageTableLeak: [Z3Term] = []
    for _ in 0..<model.configuration.levels {
        let level = targets
        pageTableIsolation.append(algebra.someTarget(in: level) { algebra.pageTableReadBreaksIsolation(vm: vm, at: $0) })
        pageTableLeak.append(algebra.someTarget(in: level) { algebra.pageTableReadLeaks(vm: vm, at: $0) })
        targets = algebra.nextTargets(of: vm, after: level)
    }
    let leaf = targets
    let reaches = algebra.someTarget(in: leaf) { t in
        let (ends, reached) = algebra.walkEnds(vm: vm, at: t)
        return algebra.and(ends, algebra.equal(reached, frame))
    }
    let miss = try entry[0].test(cached)
    var filled = pre
    filled.tlb = try z3.store(pre.tlb, vm, z3.store(z3.select(pre.tlb, vm), page, entry[1].make(frame, z3.bool(true))))
    // The walk's page-table reads may break a property whether or not it ends at
    // a frame. (The explicit checker then stops; here the fills stay enabled,
    // which only adds behaviour.)
    add("walk", miss, pre, properties([(.isolation, try z3.or(pageTableIsolation)), (.noDataLeak, try z3.or(pageTableLeak))]))
    let fillViolations = properties([(.isolation, algebra.accessBreaksIsolation(vm: vm, frame: frame)),
                                     (.noDataLeak, algebra.accessLeaks(vm: vm, frame: frame))])
    add("read (walk and fill)", try z3.and([miss, reaches]), filled, fillViolations)
    add("write (walk and fill)", try z3.and([miss, reaches]), try written(filled, frame), fillViolations)

    // TLB maintenance and the root.
    var invalidated = pre
    invalidated.tlb = try z3.store(pre.tlb, vm, z3.store(z3.select(pre.tlb, vm), page, entry[0].make()))
    add("invlpg", try entry[1].test(cached), invalidated)
    var flushed = pre
    flushed.tlb = try z3.store(pre.tlb, vm, z3.constantArray(v.page, entry[0].make()))
    add("flush", try z3.bool(true), flushed)
    var loaded = pre
    let option = model.scheme.guestTablesNameGuestPhysical ? v.optionalGPage : v.optionalFrame
    loaded.root = try z3.store(pre.root, vm, option.constructors[1].make(target))
    add("load root", try z3.bool(true), loaded)

    if let error = algebra.error { throw error }
    return result
}
