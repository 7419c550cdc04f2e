import TPTModel
import TPTZ3

/// The sorts and datatypes a symbolic state is written in.
///
/// Unbounded, frames, VMs, guest-physical pages and virtual pages are
/// uninterpreted sorts: a formula over them holds for any number of each, which
/// is what an unbounded proof needs. Bounded, each is a finite enumeration of
/// the configuration's literals, where Z3 decides quantified formulas and finds
/// the counterexamples it may miss unbounded.
public final class Vocabulary {
    public enum Domain: Sendable {
        case unbounded
        /// Exactly the configuration's frames, VMs, guest-physical and virtual pages.
        case bounded
    }

    public let z3: Z3Context
    public let configuration: Configuration
    public let domain: Domain
    /// Bounded: the enumerations, per literal prefix. (Not a dictionary, which
    /// would release them in a per-process hash order; see `TermMemo`.)
    private let enumerations: [(prefix: String, datatype: Z3Datatype)]
    /// A vCPU is one of its VM's: TLBs are indexed by VM, then vCPU.
    public let frame: Z3Sort, vm: Z3Sort, gpage: Z3Sort, page: Z3Sort, vcpu: Z3Sort
    /// `free | host | vm(id: VM)`: owners, hardware tags, and last writers
    /// (where `free` means clean); in a model that grants read-only access
    /// (`Configuration.permissions`), also `readOnly(roID: VM)`.
    public let ownership: Z3Datatype
    /// `none | some(frame: Frame)`: a tpt or pv root, and a nested-table
    /// (or p2m) entry where the model has no read-only ones.
    public let optionalFrame: Z3Datatype
    /// A nested-table (or p2m) entry: `optionalFrame`, or where the model
    /// has read-only entries, `frameEntry`. Either way constructor 0 is the
    /// empty entry and constructor 1's first field the frame.
    public let nestedEntry: Z3Datatype
    /// Whether the model grants read-only access (`Configuration.permissions`).
    public var permissions: Bool { configuration.permissions }
    /// `none | some(gpage: GPage)`: a nested root.
    public let optionalGPage: Z3Datatype
    /// `none | entry(frame: Frame, writable: Bool)`: a TLB or direct entry.
    public let frameEntry: Z3Datatype
    /// `none | entry(gpage: GPage, writable: Bool)`: a guest's own entry.
    public let guestEntry: Z3Datatype
    /// `unassigned | assigned(rmpVM: VM, rmpGPage: GPage, validated: Bool)`:
    /// an SEV-SNP reverse-map entry.
    public let reverseMapEntry: Z3Datatype
    /// An interleaved rule's progress: 0 idle, else (rule + 1) * 16 + the
    /// next step (`SymbolicState.progressCode`).
    public let progress: Z3Sort
    /// What a rule in progress is kept on (`SymbolicState.progress`).
    public enum Scheduling: Sendable {
        /// Its key frame, its first frame parameter: any number of rules in
        /// progress, which covers every number of host threads, but only for
        /// models whose rules never run twice on one frame
        /// (`proofCoverageGaps`). Proofs, which state invariants per frame.
        case keyFrames
        /// One of the configuration's `host_threads` slots, exactly as the
        /// explicit checker keeps them. Bounded model checking.
        case hostThreads
    }

    public let scheduling: Scheduling
    /// The sort of the slots: frames, or an enumeration of the host threads.
    public let slot: Z3Sort
    public var slotsAreKeyFrames: Bool { scheduling == .keyFrames }

    /// - Parameter scheduling: `.hostThreads` needs the bounded domain.
    public init(_ z3: Z3Context, configuration c: Configuration, domain: Domain = .unbounded,
                scheduling: Scheduling = .keyFrames) throws(Z3Error) {
        self.z3 = z3
        self.configuration = c
        self.domain = domain
        self.scheduling = domain == .bounded ? scheduling : .keyFrames
        var enumerations: [(prefix: String, datatype: Z3Datatype)] = []
        func sort(_ name: String, prefix: String, count: Int) throws(Z3Error) -> Z3Sort {
            guard domain == .bounded else { return try z3.uninterpretedSort(name) }
            // Distinct sort names: both kinds of vocabulary may share a context.
            let enumeration = try z3.datatype(name + "#\(count)", (0..<count).map { ("\(prefix)\($0)", []) })
            enumerations.append((prefix, enumeration))
            return enumeration.sort
        }
        frame = try sort("Frame", prefix: "f", count: c.frames)
        vm = try sort("VM", prefix: "vm", count: c.vms)
        gpage = try sort("GPage", prefix: "g", count: c.gpages)
        page = try sort("Page", prefix: "p", count: c.virtualPages)
        vcpu = try sort("VCPU", prefix: "cpu", count: c.vcpus)
        slot = self.scheduling == .hostThreads ? try sort("Thread", prefix: "thread", count: c.hostThreads) : frame
        self.enumerations = enumerations
        let bool = try z3.boolSort()
        ownership = c.permissions
            ? try z3.datatype("OwnershipRO", [("free", []), ("host", []), ("owned", [("id", vm)]), ("readOnly", [("roID", vm)])])
            : try z3.datatype("Ownership", [("free", []), ("host", []), ("owned", [("id", vm)])])
        optionalFrame = try z3.datatype("OptionalFrame", [("noFrame", []), ("someFrame", [("frame", frame)])])
        optionalGPage = try z3.datatype("OptionalGPage", [("noGPage", []), ("someGPage", [("gpage", gpage)])])
        frameEntry = try z3.datatype("FrameEntry", [("noEntry", []), ("entry", [("entryFrame", frame), ("entryWritable", bool)])])
        nestedEntry = c.permissions ? frameEntry : optionalFrame
        guestEntry = try z3.datatype("GuestEntry", [("noGuestEntry", []), ("guestEntry", [("entryGPage", gpage), ("guestWritable", bool)])])
        reverseMapEntry = try z3.datatype("ReverseMapEntry", [("unassigned", []), ("assigned", [("rmpVM", vm), ("rmpGPage", gpage), ("validated", bool)])])
        progress = try z3.bitVectorSort(bits: 8)
    }

    public func sort(_ type: ValueType) -> Z3Sort {
        switch type {
        case .frame: return frame
        case .vm: return vm
        case .gpage: return gpage
        case .vcpu: return vcpu
        }
    }

    /// The literal `f2`, `vm1` or `g0`: a named constant of the type's sort.
    public func literal(_ type: ValueType, _ index: Int) throws(Z3Error) -> Z3Term {
        switch type {
        case .frame: return try named("f", index, frame)
        case .vm: return try named("vm", index, vm)
        case .gpage: return try named("g", index, gpage)
        case .vcpu: return try vcpuLiteral(index)
        }
    }

    public func pageLiteral(_ index: Int) throws(Z3Error) -> Z3Term { try named("p", index, page) }

    /// A vCPU of its VM: `cpu0`, `cpu1`.
    public func vcpuLiteral(_ index: Int) throws(Z3Error) -> Z3Term { try named("cpu", index, vcpu) }

    /// Bounded: every vCPU index; nil unbounded.
    public func everyVCPU() throws(Z3Error) -> [Z3Term]? {
        guard domain == .bounded else { return nil }
        return try (0..<configuration.vcpus).map { i throws(Z3Error) in try vcpuLiteral(i) }
    }

    /// Every slot: the host threads, every frame (bounded), or nil (unbounded).
    public func everySlot() throws(Z3Error) -> [Z3Term]? {
        guard scheduling == .hostThreads else { return try everyValue(.frame) }
        return try (0..<configuration.hostThreads).map { i throws(Z3Error) in try hostThreadLiteral(i) }
    }

    /// A host thread's slot: `thread0`, `thread1`.
    public func hostThreadLiteral(_ index: Int) throws(Z3Error) -> Z3Term { try named("thread", index, slot) }

    /// Bounded: every value of the type, as its literals; nil unbounded.
    public func everyValue(_ type: ValueType) throws(Z3Error) -> [Z3Term]? {
        guard domain == .bounded else { return nil }
        let count = switch type {
        case .frame: configuration.frames
        case .vm: configuration.vms
        case .gpage: configuration.gpages
        case .vcpu: configuration.vcpus
        }
        return try (0..<count).map { i throws(Z3Error) in try literal(type, i) }
    }

    /// Bounded: every virtual page; nil unbounded.
    public func everyPage() throws(Z3Error) -> [Z3Term]? {
        guard domain == .bounded else { return nil }
        return try (0..<configuration.virtualPages).map { i throws(Z3Error) in try pageLiteral(i) }
    }

    private func named(_ prefix: String, _ index: Int, _ sort: Z3Sort) throws(Z3Error) -> Z3Term {
        guard let enumeration = enumerations.first(where: { $0.prefix == prefix })?.datatype else { return try z3.constant("\(prefix)\(index)", sort) }
        guard index < enumeration.constructors.count else {
            throw Z3Error(message: "\(prefix)\(index) is outside the configuration (\(enumeration.constructors.count) of them)")
        }
        return try enumeration.constructors[index].make()
    }

    /// The literals a model names (f0, vm1, ...) are different frames, VMs and
    /// pages; unbounded, that is an assumption, bounded it holds by construction.
    public func distinctLiterals() throws(Z3Error) -> Z3Term {
        let c = configuration
        var axioms: [Z3Term] = []
        for (type, count) in [(ValueType.frame, c.frames), (.vm, c.vms), (.gpage, c.gpages)] where count > 1 {
            var literals: [Z3Term] = []
            for index in 0..<count { literals.append(try literal(type, index)) }
            axioms.append(try z3.distinct(literals))
        }
        return try z3.and(axioms)
    }

    /// The configuration's sizes as axioms: each sort holds exactly its literals
    /// (distinct, and nothing else).
    public func closure() throws(Z3Error) -> Z3Term {
        let c = configuration
        var axioms: [Z3Term] = []
        for (sort, literals) in [(frame, try (0..<c.frames).map { i throws(Z3Error) in try literal(.frame, i) }),
                                 (vm, try (0..<c.vms).map { i throws(Z3Error) in try literal(.vm, i) }),
                                 (gpage, try (0..<c.gpages).map { i throws(Z3Error) in try literal(.gpage, i) }),
                                 (page, try (0..<c.virtualPages).map { i throws(Z3Error) in try pageLiteral(i) }),
                                 (vcpu, try (0..<c.vcpus).map { i throws(Z3Error) in try vcpuLiteral(i) })] {
            if literals.count > 1 { axioms.append(try z3.distinct(literals)) }
            let x = try z3.constant("closure.\(axioms.count)", sort)
            axioms.append(try z3.forall([x], z3.or(literals.map { literal throws(Z3Error) in try z3.equal(x, literal) })))
        }
        return try z3.and(axioms)
    }
}
