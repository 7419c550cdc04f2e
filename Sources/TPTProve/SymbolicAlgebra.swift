import TPTModel
import TPTZ3

/// `SemanticsAlgebra` on Z3 terms: running `Step.apply(to:)` here builds the
/// step's post-state as array terms, and `Guard.evaluate(in:)` builds the guard
/// as a formula. Nothing about a primitive's meaning is written here, only how
/// the maps are stored and filtered.
///
/// The protocol's operations cannot throw, so a Z3 error (an encoder bug, such
/// as a sort mismatch) is kept in `error` and the term is replaced by a
/// placeholder; callers check `error` before using the result.
///
/// A value: a copy is a state of its own (a move's state after), sharing
/// only the record of errors and the counter that names bound variables.
public struct SymbolicAlgebra: SemanticsAlgebra {
    public let vocabulary: Vocabulary
    public let model: Model
    public var scheme: Scheme { model.scheme }
    public var state: SymbolicState
    /// A term per rule parameter.
    public let bindings: [Z3Term]
    /// Prefixes the names of a guest move's choices (`forEach`), so that
    /// copies of the guest transitions do not share them.
    public let prefix: String
    /// The first Z3 error met, if any.
    public var error: Z3Error? { shared.error }
    private let placeholder: Z3Term
    var z3: Z3Context { vocabulary.z3 }
    private let shared = Shared()

    /// What every copy shares.
    private final class Shared {
        var error: Z3Error?
        var fresh = 0
    }

    public init(_ vocabulary: Vocabulary, model: Model, state: SymbolicState, bindings: [Z3Term] = [],
                naming prefix: String = "") throws(Z3Error) {
        self.vocabulary = vocabulary
        self.model = model
        self.state = state
        self.bindings = bindings
        self.prefix = prefix
        placeholder = try vocabulary.z3.bool(false)
    }

    func make(_ build: () throws(Z3Error) -> Z3Term) -> Z3Term {
        do {
            return try build()
        } catch {
            if shared.error == nil { shared.error = error }
            return placeholder
        }
    }

    /// A new bound variable of the sort, for a lambda or quantifier.
    func variable(_ name: String, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        shared.fresh += 1
        return try z3.constant("\(name)!\(shared.fresh)", sort)
    }

    /// Whether some value satisfies the body: over a bounded vocabulary, a
    /// disjunction over the values (`values`, quantifier-free, which is what
    /// bounded model checking needs to be fast); unbounded, an existential.
    func exists(_ name: String, _ sort: Z3Sort, _ values: [Z3Term]?,
                        _ body: (Z3Term) throws(Z3Error) -> Z3Term) throws(Z3Error) -> Z3Term {
        if let values { return try z3.or(values.map { value throws(Z3Error) in try body(value) }) }
        let x = try variable(name, sort)
        return try z3.not(z3.forall([x], z3.not(body(x))))
    }

    // MARK: Values and conditions

    public func value(of operand: Operand, _ type: ValueType) -> Z3Term {
        make { () throws(Z3Error) in
            switch operand {
            case .parameter(let index):
                guard index < bindings.count else { throw Z3Error(message: "no term for rule parameter \(index)") }
                return bindings[index]
            case .constant(let value):
                return try vocabulary.literal(type, value)
            }
        }
    }

    public var free: Z3Term { make { () throws(Z3Error) in try vocabulary.ownership.constructors[0].make() } }
    public var host: Z3Term { make { () throws(Z3Error) in try vocabulary.ownership.constructors[1].make() } }
    public func owned(by vm: Z3Term) -> Z3Term { make { () throws(Z3Error) in try vocabulary.ownership.constructors[2].make(vm) } }
    public func ownedReadOnly(by vm: Z3Term) -> Z3Term { make { () throws(Z3Error) in try vocabulary.ownership.constructors[3].make(vm) } }
    public var hasPermissions: Bool { vocabulary.permissions }
    public func namesVM(_ ownership: Z3Term) -> Z3Term {
        let constructors = vocabulary.ownership.constructors
        return make { () throws(Z3Error) in
            guard hasPermissions else { return try constructors[2].test(ownership) }
            return try z3.or([constructors[2].test(ownership), constructors[3].test(ownership)])
        }
    }
    public func equal(_ a: Z3Term, _ b: Z3Term) -> Z3Term { make { () throws(Z3Error) in try z3.equal(a, b) } }
    // The connectives fold literal operands (the shared definitions combine
    // `always` and `never` freely), so that the terms stay as small as
    // hand-written ones.
    public func not(_ condition: Z3Term) -> Z3Term {
        if let known = z3.literalValue(of: condition) { return make { () throws(Z3Error) in try z3.bool(!known) } }
        return make { () throws(Z3Error) in try z3.not(condition) }
    }
    public func and(_ a: Z3Term, _ b: Z3Term) -> Z3Term { connective(a, b, unit: true) { () throws(Z3Error) in try z3.and([a, b]) } }
    public func or(_ a: Z3Term, _ b: Z3Term) -> Z3Term { connective(a, b, unit: false) { () throws(Z3Error) in try z3.or([a, b]) } }

    /// `and` (whose unit is true) or `or` (false) of two operands: a literal
    /// unit drops out, the other literal decides.
    private func connective(_ a: Z3Term, _ b: Z3Term, unit: Bool, _ build: () throws(Z3Error) -> Z3Term) -> Z3Term {
        switch (z3.literalValue(of: a), z3.literalValue(of: b)) {
        case (let known?, _): return known == unit ? b : a
        case (_, let known?): return known == unit ? a : b
        default: return make(build)
        }
    }
    public var always: Z3Term { make { () throws(Z3Error) in try z3.bool(true) } }

    // MARK: Per-frame records

    private func records(_ record: OwnershipRecord) -> Z3Term { record == .owner ? state.owner : state.tag }

    public func ownership(_ record: OwnershipRecord, of frame: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.select(records(record), frame) }
    }

    public mutating func setOwnership(_ record: OwnershipRecord, of frame: Z3Term, to value: Z3Term) {
        let updated = make { () throws(Z3Error) in try z3.store(records(record), frame, value) }
        if record == .owner { state.owner = updated } else { state.tag = updated }
    }

    public mutating func setWriter(of frame: Z3Term, to vm: Z3Term?) {
        let value = vm.map { owned(by: $0) } ?? free
        state.writer = make { () throws(Z3Error) in try z3.store(state.writer, frame, value) }
    }

    public func isPinned(_ frame: Z3Term) -> Z3Term { make { () throws(Z3Error) in try z3.select(state.pinned, frame) } }

    public mutating func setPinned(_ frame: Z3Term, _ pinned: Bool) {
        state.pinned = make { () throws(Z3Error) in try z3.store(state.pinned, frame, z3.bool(pinned)) }
    }

    // MARK: Roots and the nested table

    public var rootTargetType: ValueType { scheme.features.guestTablesName }

    public mutating func setRoot(of vm: Z3Term, _ vcpu: Z3Term?, to target: Z3Term?) {
        let option = vocabulary.rootOption(rootTargetType)
        state.root = make { () throws(Z3Error) in
            let value: Z3Term
            if let target { value = try option.constructors[1].make(target) } else { value = try option.constructors[0].make() }
            guard let vcpu else { return try z3.store(state.root, vm, z3.constantArray(vocabulary.vcpu, value)) }
            return try z3.store(state.root, vm, z3.store(z3.select(state.root, vm), vcpu, value))
        }
    }

    /// A nested entry's value: empty, or the frame, with its permission where
    /// the model has read-only entries (`Vocabulary.nestedEntry`).
    private func nestedValue(_ frame: Z3Term?, writable: Bool = true) throws(Z3Error) -> Z3Term {
        let entry = vocabulary.nestedEntry
        guard let frame else { return try entry.constructors[0].make() }
        return hasPermissions ? try entry.constructors[1].make(frame, z3.bool(writable)) : try entry.constructors[1].make(frame)
    }

    /// Whether a nested entry maps the frame, with either permission: as
    /// equalities with the entries (the form Z3's quantifier instantiation
    /// does best with, see `EncodeFormula`).
    private func maps(_ entry: Z3Term, _ frame: Z3Term) throws(Z3Error) -> Z3Term {
        let some = vocabulary.nestedEntry.constructors[1]
        guard hasPermissions else { return try z3.equal(entry, some.make(frame)) }
        return try z3.or([z3.equal(entry, some.make(frame, z3.bool(true))), z3.equal(entry, some.make(frame, z3.bool(false)))])
    }

    public func nestedEntry(of vm: Z3Term, _ gpage: Z3Term, is frame: Z3Term?) -> Z3Term {
        make { () throws(Z3Error) in
            let entry = try z3.select(z3.select(state.nested, vm), gpage)
            guard let frame else { return try vocabulary.nestedEntry.constructors[0].test(entry) }
            return try maps(entry, frame)
        }
    }

    public mutating func setNestedEntry(of vm: Z3Term, _ gpage: Z3Term, to frame: Z3Term?, writable: Bool) {
        state.nested = make { () throws(Z3Error) in
            try z3.store(state.nested, vm, z3.store(z3.select(state.nested, vm), gpage, nestedValue(frame, writable: writable)))
        }
    }

    public func nestedMappingIsWritable(of vm: Z3Term, _ gpage: Z3Term) -> Z3Term {
        guard hasPermissions else { return always }
        let some = vocabulary.nestedEntry.constructors[1]
        return make { () throws(Z3Error) in
            let entry = try z3.select(z3.select(state.nested, vm), gpage)
            return try z3.or([z3.not(some.test(entry)), some.fields[1](entry)])
        }
    }

    public func someNestedEntryMaps(_ frame: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in
            try exists("v", vocabulary.vm, vocabulary.everyValue(.vm)) { v throws(Z3Error) in
                try exists("g", vocabulary.gpage, vocabulary.everyValue(.gpage)) { g throws(Z3Error) in
                    try maps(z3.select(z3.select(state.nested, v), g), frame)
                }
            }
        }
    }

    // MARK: Filters

    /// `lambda v p. ite(entry present and condition(v, entry), none, entry)` over
    /// a VM-by-page map of frame entries; `lambda v c p. ...` over a
    /// VM-by-vCPU-by-page one (a TLB), whose condition also reads the vCPU.
    private func filtered(_ map: Z3Term, perVCPU: Bool, _ condition: (_ vm: Z3Term, _ vcpu: Z3Term, _ entry: Z3Term) -> Z3Term) -> Z3Term {
        make { () throws(Z3Error) in
            let entries = vocabulary.frameEntry
            let v = try variable("v", vocabulary.vm), c = try variable("c", vocabulary.vcpu), p = try variable("p", vocabulary.page)
            let row = perVCPU ? try z3.select(z3.select(map, v), c) : try z3.select(map, v)
            let entry = try z3.select(row, p)
            let drop = try z3.and([entries.constructors[1].test(entry), condition(v, c, entry)])
            let filteredRow = try z3.lambda([p], z3.ite(drop, entries.constructors[0].make(), entry))
            return try z3.lambda([v], perVCPU ? z3.lambda([c], filteredRow) : filteredRow)
        }
    }

    private func frame(of entry: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try vocabulary.frameEntry.constructors[1].fields[0](entry) }
    }

    public mutating func dropTLBEntries(where condition: (_ vm: Z3Term, _ vcpu: Z3Term, _ frame: Z3Term) -> Z3Term) {
        state.tlb = filtered(state.tlb, perVCPU: true) { vm, vcpu, entry in condition(vm, vcpu, frame(of: entry)) }
    }

    public mutating func dropCachedTables(where condition: (_ vm: Z3Term, _ vcpu: Z3Term, _ frame: Z3Term) -> Z3Term) {
        let cache = state.walkCache
        state.walkCache = make { () throws(Z3Error) in
            let v = try variable("v", vocabulary.vm), c = try variable("c", vocabulary.vcpu), f = try variable("f", vocabulary.frame)
            let cached = try z3.select(z3.select(z3.select(cache, v), c), f)
            return try z3.lambda([v], z3.lambda([c], z3.lambda([f], z3.and([cached, z3.not(condition(v, c, f))]))))
        }
    }

    // MARK: Paging-structure caches

    public var cachesWalks: Bool { model.configuration.walkCache }

    public func cachedTables(of vm: Z3Term, _ vcpu: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.select(z3.select(state.walkCache, vm), vcpu) }
    }

    public mutating func cacheTable(_ frame: Z3Term, of vm: Z3Term, _ vcpu: Z3Term) {
        let cache = state.walkCache
        state.walkCache = make { () throws(Z3Error) in
            let row = try z3.select(cache, vm), tables = try z3.select(row, vcpu)
            return try z3.store(cache, vm, z3.store(row, vcpu, z3.store(tables, frame, z3.bool(true))))
        }
    }

    public mutating func dropCachedTables(of vm: Z3Term, _ vcpu: Z3Term, where condition: Z3Term) {
        let cache = state.walkCache
        state.walkCache = make { () throws(Z3Error) in
            let row = try z3.select(cache, vm), empty = try z3.constantArray(vocabulary.frame, z3.bool(false))
            return try z3.store(cache, vm, z3.store(row, vcpu, z3.ite(condition, empty, z3.select(row, vcpu))))
        }
    }

    public mutating func dropDirectEntries(where condition: (_ vm: Z3Term, _ frame: Z3Term) -> Z3Term) {
        state.directEntries = filtered(state.directEntries, perVCPU: false) { vm, _, entry in condition(vm, frame(of: entry)) }
    }

    public mutating func dropDirectEntries(of vm: Z3Term, whereGuestEntryNames gpage: Z3Term) {
        state.directEntries = make { () throws(Z3Error) in
            let guest = vocabulary.guestEntry
            let v = try variable("v", vocabulary.vm), p = try variable("p", vocabulary.page)
            let guestEntry = try z3.select(z3.select(state.guestEntries, v), p)
            let drop = try z3.and([z3.equal(v, vm), guest.constructors[1].test(guestEntry), z3.equal(guest.constructors[1].fields[0](guestEntry), gpage)])
            let entry = try z3.select(z3.select(state.directEntries, v), p)
            return try z3.lambda([v], z3.lambda([p], z3.ite(drop, vocabulary.frameEntry.constructors[0].make(), entry)))
        }
    }

    // MARK: Host threads

    /// Some rule in progress (on any slot) has the frame as a frame parameter.
    public func ruleInFlight(naming frame: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in
            try exists("k", vocabulary.slot, vocabulary.everySlot()) { key throws(Z3Error) in
                let progress = try z3.select(state.progress, key)
                var cases: [Z3Term] = []
                for (index, rule) in model.rules.enumerated() where !rule.isAtomic {
                    let ruleBits = try z3.bvAnd(progress, z3.numeral(0xF0, vocabulary.progress))
                    let isRule = try z3.equal(ruleBits, z3.numeral(UInt64(index + 1) * 16, vocabulary.progress))
                    var names: [Z3Term] = []
                    for (slot, parameter) in rule.parameters.enumerated() where parameter.type == .frame {
                        names.append(try z3.equal(z3.select(state.arguments[SymbolicState.argumentIndex(slot, .frame)], key), frame))
                    }
                    cases.append(try z3.and([isRule, z3.or(names)]))
                }
                return try z3.or(cases)
            }
        }
    }

    // MARK: Slots: a key frame, or a host thread (`Vocabulary.slot`)

    public func slotIsIdle(_ slot: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.equal(z3.select(state.progress, slot), z3.numeral(0, vocabulary.progress)) }
    }

    public func slotHolds(_ slot: Z3Term, rule: Int, nextStep: Int) -> Z3Term {
        make { () throws(Z3Error) in
            try z3.equal(z3.select(state.progress, slot), z3.numeral(SymbolicState.progressCode(rule: rule, nextStep: nextStep), vocabulary.progress))
        }
    }

    /// The parameters are stored when the rule starts (next at step 1) and
    /// stay as they are until it starts again: an idle slot's are never read.
    public mutating func recordRule(on slot: Z3Term, rule: Int, nextStep: Int?) {
        let code = nextStep.map { SymbolicState.progressCode(rule: rule, nextStep: $0) } ?? 0
        state.progress = make { () throws(Z3Error) in try z3.store(state.progress, slot, z3.numeral(code, vocabulary.progress)) }
        guard nextStep == 1 else { return }
        for (index, parameter) in model.rules[rule].parameters.enumerated() {
            let argument = SymbolicState.argumentIndex(index, parameter.type)
            state.arguments[argument] = make { () throws(Z3Error) in try z3.store(state.arguments[argument], slot, bindings[index]) }
        }
    }

    /// Under key frames, a one-step rule needs none: it is over as it starts.
    public var oneStepRulesTakeASlot: Bool { !vocabulary.slotsAreKeyFrames }

    // MARK: The walk

    /// Target sets are arrays from the target sort (frames, or guest-physical
    /// pages under nested paging) to Bool.
    private var targetSort: Z3Sort { vocabulary.sort(rootTargetType) }

    public var noTargets: Z3Term { make { () throws(Z3Error) in try z3.constantArray(targetSort, z3.bool(false)) } }
    public var allTargets: Z3Term { make { () throws(Z3Error) in try z3.constantArray(targetSort, z3.bool(true)) } }

    public func targets(_ target: Z3Term) -> Z3Term {
        let none = noTargets
        return make { () throws(Z3Error) in try z3.store(none, target, z3.bool(true)) }
    }

    public func union(_ a: Z3Term, _ b: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in
            let t = try variable("t", targetSort)
            return try z3.lambda([t], z3.or([z3.select(a, t), z3.select(b, t)]))
        }
    }

    public func targets(if condition: Z3Term, _ then: Z3Term, else otherwise: Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try z3.ite(condition, then, otherwise) }
    }

    public func someTarget(in set: Z3Term, _ condition: (Z3Term) -> Z3Term) -> Z3Term {
        make { () throws(Z3Error) in
            let values = try vocabulary.everyValue(rootTargetType)
            return try exists("t", targetSort, values) { t throws(Z3Error) in try z3.and([z3.select(set, t), condition(t)]) }
        }
    }

    public func root(of vm: Z3Term, _ vcpu: Z3Term) -> (present: Z3Term, target: Z3Term) {
        let option = vocabulary.rootOption(rootTargetType)
        let root = make { () throws(Z3Error) in try z3.select(z3.select(state.root, vm), vcpu) }
        return (make { () throws(Z3Error) in try option.constructors[1].test(root) },
                make { () throws(Z3Error) in try option.constructors[1].fields[0](root) })
    }

    public func someVCPU(of vm: Z3Term, _ condition: (Z3Term) -> Z3Term) -> Z3Term {
        make { () throws(Z3Error) in try exists("c", vocabulary.vcpu, vocabulary.everyVCPU()) { c throws(Z3Error) in condition(c) } }
    }

    public func nestedMapping(of vm: Z3Term, _ gpage: Z3Term) -> (mapped: Z3Term, frame: Z3Term) {
        let option = vocabulary.nestedEntry
        let entry = make { () throws(Z3Error) in try z3.select(z3.select(state.nested, vm), gpage) }
        return (make { () throws(Z3Error) in try option.constructors[1].test(entry) },
                make { () throws(Z3Error) in try option.constructors[1].fields[0](entry) })
    }

    public func writer(of frame: Z3Term) -> Z3Term { make { () throws(Z3Error) in try z3.select(state.writer, frame) } }

    public var walkerCheck: WalkerCheck { model.walkerCheck }
    public var hypercallChecks: HypercallChecks { model.hypercallChecks }

    // MARK: The reverse map

    public func reverseMap(of frame: Z3Term, isAssignedTo vm: Z3Term?) -> Z3Term {
        let assigned = vocabulary.reverseMapEntry.constructors[1]
        return make { () throws(Z3Error) in
            let entry = try z3.select(state.rmp, frame)
            guard let vm else { return try vocabulary.reverseMapEntry.constructors[0].test(entry) }
            return try z3.and([assigned.test(entry), z3.equal(assigned.fields[0](entry), vm)])
        }
    }

    public func reverseMap(of frame: Z3Term, isAssignedTo vm: Z3Term, at gpage: Z3Term, validated: Bool) -> Z3Term {
        make { () throws(Z3Error) in
            try z3.equal(z3.select(state.rmp, frame), vocabulary.reverseMapEntry.constructors[1].make(vm, gpage, z3.bool(validated)))
        }
    }

    public mutating func setReverseMap(of frame: Z3Term, to assignment: (vm: Z3Term, gpage: Z3Term)?) {
        let entry = vocabulary.reverseMapEntry.constructors
        state.rmp = make { () throws(Z3Error) in
            let value: Z3Term
            if let assignment { value = try entry[1].make(assignment.vm, assignment.gpage, z3.bool(false)) } else { value = try entry[0].make() }
            return try z3.store(state.rmp, frame, value)
        }
    }

    public var hasReverseMap: Bool { scheme.hasReverseMap }

    // MARK: Flush requests

    public mutating func requestFlush(of vm: Z3Term, runningOnly: Bool) {
        state.flushPending = make { () throws(Z3Error) in
            let requested: Z3Term
            if runningOnly {
                let c = try variable("c", vocabulary.vcpu)
                let pending = try z3.select(z3.select(state.flushPending, vm), c), away = try z3.select(z3.select(state.descheduled, vm), c)
                requested = try z3.lambda([c], z3.or([pending, z3.not(away)]))
            } else {
                requested = try z3.constantArray(vocabulary.vcpu, z3.bool(true))
            }
            return try z3.store(state.flushPending, vm, requested)
        }
    }
}
