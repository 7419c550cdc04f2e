import TPTModel
import TPTZ3

/// A guest transition that can break a property: the condition under which it
/// does (over the pre-state and the transition's parameters).
public struct SymbolicViolation {
    public var property: Property
    public var condition: Z3Term
}

/// What a guest may do in one step, over symbolic states, against any guest:
/// one transition per move of the one definition (`forEachGuestMove`,
/// `GuestMoves.swift`), which the explicit checker enumerates on packed
/// states, with its choices as free constants. TLB storage is the unbounded
/// map of `SymbolicState`: a fill never evicts (evicting is `invlpg`), which
/// covers every TLB size.
public struct GuestTransitions {
    /// The choices the moves share: free constants an obligation reads
    /// existentially.
    public var vm: Z3Term, vcpu: Z3Term, page: Z3Term, frame: Z3Term, target: Z3Term
    public var transitions: [SymbolicTransition]
    /// Per transition (same order): what it may break.
    public var violations: [[SymbolicViolation]]
}

/// - Parameter prefix: names the choices, so that copies do not share them.
public func guestTransitions(_ model: Model, _ v: Vocabulary, from pre: SymbolicState,
                             naming prefix: String = "") throws(Z3Error) -> GuestTransitions {
    let z3 = v.z3
    let algebra = try SymbolicAlgebra(v, model: model, state: pre, naming: prefix)
    func choice(_ name: String, _ sort: Z3Sort) throws(Z3Error) -> Z3Term { try z3.constant(prefix + "guest." + name, sort) }
    var result = GuestTransitions(vm: try choice("vm", v.vm), vcpu: try choice("vcpu", v.vcpu), page: try choice("page", v.page),
                                  frame: try choice("frame", v.frame), target: try choice("target", v.sort(algebra.rootTargetType)),
                                  transitions: [], violations: [])
    var sink = TransitionsOfMoves(algebra)
    _ = algebra.forEachGuestMove(&sink)
    if let error = algebra.error { throw error }
    (result.transitions, result.violations) = (sink.transitions, sink.violations)
    return result
}

/// One symbolic transition per guest move, with what each may break among
/// the model's properties.
struct TransitionsOfMoves: GuestMoveSink {
    let algebra: SymbolicAlgebra
    let checked: [Property]
    var transitions: [SymbolicTransition] = []
    var violations: [[SymbolicViolation]] = []

    init(_ algebra: SymbolicAlgebra) {
        self.algebra = algebra
        checked = [Property.isolation, .noDataLeak].filter(algebra.model.properties.contains)
    }

    mutating func emit(_ move: GuestMove<Z3Term, Z3Term>, _ after: SymbolicAlgebra) -> Bool {
        // A walk whose reads break nothing checked changes nothing.
        if move.route == .pageTableReads && checked.isEmpty { return true }
        let fills = move.route == .walk ? (move.vm, move.vcpu!, move.subject!) : nil
        transitions.append(SymbolicTransition(name: name(of: move, untrappedWrites: algebra.pteWritesMayGoUntrapped), enabled: move.enabled,
                                              post: after.state,
                                              parameters: parameters(of: move, vcpus: algebra.model.configuration.vcpus, algebra),
                                              fills: fills))
        var broken: [SymbolicViolation] = []
        if move.route != nil {
            broken = checked.map { SymbolicViolation(property: $0, condition: $0 == .isolation ? move.isolation : move.leak) }
        }
        if let divergence = move.divergence { broken.append(SymbolicViolation(property: .equivalence, condition: divergence)) }
        violations.append(broken)
        return true
    }
}

/// A guest move's transition name, as proofs print it.
private func name(of move: GuestMove<Z3Term, Z3Term>, untrappedWrites: Bool) -> String {
    if let side = move.evicts { return side == .model ? "evict (TLB)" : "evict (nested paging's TLB)" }
    return switch (move.kind, move.route) {
    case (.read, .tlbHit?): "read (TLB hit)"
    case (.write, .tlbHit?): "write (TLB hit)"
    case (_, .pageTableReads?): "walk"
    case (.read, _): "read (walk and fill)"
    case (.write, _): "write (walk and fill)"
    case (.invalidatePage, _): "invlpg"
    case (.flush, _): "flush"
    case (.loadRoot, _): "load root"
    case (.validate, _): "pvalidate"
    case (.writeEntry, _) where !untrappedWrites: "write entry"
    case (.writeEntry, _): move.trapped ? "write entry (trapped)" : "write entry (not trapped)"
    case (.translate, _): move.divergence == nil ? "access" : "access (diverges)"
    case (.hypercall, _): "hypercall"
    case (.acknowledgeFlush, _): "acknowledge flush"
    case (.deschedule, _): "deschedule"
    case (.resume, _): "resume"
    case (.cacheTable, _): "cache table"
    default: "\(move.kind)"
    }
}

/// A guest move's choices, named, for reading a counterexample.
private func parameters(of move: GuestMove<Z3Term, Z3Term>, vcpus: Int, _ a: SymbolicAlgebra) -> [(name: String, term: Z3Term)] {
    var parameters: [(name: String, term: Z3Term)] = [("vm", move.vm)]
    if let vcpu = move.vcpu, vcpus > 1 { parameters.append(("vcpu", vcpu)) }
    if let subject = move.subject {
        parameters.append((move.kind == .loadRoot ? "root" : move.kind == .validate ? "gpage" : "page", subject))
    }
    if move.route == .walk, let frame = move.frame { parameters.append(("frame", frame)) }
    if move.kind == .cacheTable, let frame = move.frame { parameters.append(("table", frame)) }
    if let entry = move.entry, move.kind != .translate {
        parameters.append(("empty", a.not(entry.present)))
        parameters.append((move.kind == .hypercall ? "frame" : "gpage", entry.target))
        if a.z3.literalValue(of: entry.writable) == nil { parameters.append(("writable", entry.writable)) }
    }
    return parameters
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
