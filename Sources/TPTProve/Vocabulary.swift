import TPTModel
import TPTZ3

/// The sorts and datatypes a symbolic state is written in.
///
/// Frames, VMs, guest-physical pages and virtual pages are uninterpreted sorts:
/// a formula over them holds for any number of each, which is what an unbounded
/// proof needs. A concrete configuration is the special case where each sort is
/// closed over its named literals (`closure()`).
public final class Vocabulary {
    public let z3: Z3Context
    public let configuration: Configuration
    public let frame: Z3Sort, vm: Z3Sort, gpage: Z3Sort, page: Z3Sort
    /// `free | host | vm(id: VM)`: owners, hardware tags, and last writers
    /// (where `free` means clean).
    public let ownership: Z3Datatype
    /// `none | some(frame: Frame)`: a nested-table (or p2m) entry, a tpt or pv root.
    public let optionalFrame: Z3Datatype
    /// `none | some(gpage: GPage)`: a nested root.
    public let optionalGPage: Z3Datatype
    /// `none | entry(frame: Frame, writable: Bool)`: a TLB or direct entry.
    public let frameEntry: Z3Datatype
    /// `none | entry(gpage: GPage, writable: Bool)`: a guest's own entry.
    public let guestEntry: Z3Datatype

    public init(_ z3: Z3Context, configuration: Configuration) throws(Z3Error) {
        self.z3 = z3
        self.configuration = configuration
        frame = try z3.uninterpretedSort("Frame")
        vm = try z3.uninterpretedSort("VM")
        gpage = try z3.uninterpretedSort("GPage")
        page = try z3.uninterpretedSort("Page")
        let bool = try z3.boolSort()
        ownership = try z3.datatype("Ownership", [("free", []), ("host", []), ("owned", [("id", vm)])])
        optionalFrame = try z3.datatype("OptionalFrame", [("noFrame", []), ("someFrame", [("frame", frame)])])
        optionalGPage = try z3.datatype("OptionalGPage", [("noGPage", []), ("someGPage", [("gpage", gpage)])])
        frameEntry = try z3.datatype("FrameEntry", [("noEntry", []), ("entry", [("entryFrame", frame), ("entryWritable", bool)])])
        guestEntry = try z3.datatype("GuestEntry", [("noGuestEntry", []), ("guestEntry", [("entryGPage", gpage), ("guestWritable", bool)])])
    }

    public func sort(_ type: ValueType) -> Z3Sort {
        switch type {
        case .frame: return frame
        case .vm: return vm
        case .gpage: return gpage
        }
    }

    /// The literal `f2`, `vm1` or `g0`: a named constant of the type's sort.
    public func literal(_ type: ValueType, _ index: Int) throws(Z3Error) -> Z3Term {
        switch type {
        case .frame: return try z3.constant("f\(index)", frame)
        case .vm: return try z3.constant("vm\(index)", vm)
        case .gpage: return try z3.constant("g\(index)", gpage)
        }
    }

    public func pageLiteral(_ index: Int) throws(Z3Error) -> Z3Term { try z3.constant("p\(index)", page) }

    /// The configuration's sizes as axioms: each sort holds exactly its literals
    /// (distinct, and nothing else).
    public func closure() throws(Z3Error) -> Z3Term {
        let c = configuration
        var axioms: [Z3Term] = []
        for (sort, literals) in [(frame, try (0..<c.frames).map { i throws(Z3Error) in try literal(.frame, i) }),
                                 (vm, try (0..<c.vms).map { i throws(Z3Error) in try literal(.vm, i) }),
                                 (gpage, try (0..<c.gpages).map { i throws(Z3Error) in try literal(.gpage, i) }),
                                 (page, try (0..<c.virtualPages).map { i throws(Z3Error) in try pageLiteral(i) })] {
            if literals.count > 1 { axioms.append(try z3.distinct(literals)) }
            let x = try z3.constant("closure.\(axioms.count)", sort)
            axioms.append(try z3.forall([x], z3.or(literals.map { literal throws(Z3Error) in try z3.equal(x, literal) })))
        }
        return try z3.and(axioms)
    }
}
