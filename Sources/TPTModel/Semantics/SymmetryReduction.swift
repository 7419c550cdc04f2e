/// Symmetry reduction: one representative per class of states that differ only
/// in the names of VMs and frames the model's rules cannot tell apart.
///
/// A rule names VMs and frames through parameters that range over all of them,
/// and the hardware treats every VM and frame alike, so renaming VMs and frames
/// maps the transitions of a state onto those of the renamed state, and the
/// properties with them (they speak of "another VM's frame", never of vm1).
/// Only a VM or frame a rule names by a constant (`set_owner(f2, host)`) keeps
/// its name; the initial state may name any (the search starts from its
/// representative). So exploring representatives finds every reachable class,
/// a violation in a class is one in each of its states, and a shortest path
/// between classes is a shortest path between states.
///
/// The representative: VMs are ordered by a signature that no renaming
/// changes (how many frames each owns, is tagged for, wrote; its root, TLB and
/// p2m entries), trying every order of VMs with equal signatures; for each,
/// frames are ordered by a signature of everything about the frame (its
/// owner, tag, writer, pin, and every entry, root and rule parameter naming
/// it); the least renamed state is the representative. When two frames have
/// equal signatures but are not interchangeable (possible only with two host
/// threads running the same rule step on different frames), two states of one
/// class may keep two representatives: the search then stores both, which
/// costs states but never a verdict.
///
/// Renaming works on packed states, field by field, without allocating.
public final class SymmetryReduction: Sendable {
    let system: TransitionSystem
    /// VMs and frames that rules name by a constant (bit i: VM or frame i).
    public let fixedVMs: UInt32
    public let fixedFrames: UInt32
    let vms: Int
    let frames: Int
    let fields: FieldTable
    /// Whether a root names a frame (tpt, pv) rather than a guest-physical page.
    let rootNamesFrame: Bool

    public init(_ system: TransitionSystem) {
        self.system = system
        let c = system.configuration
        vms = c.vms
        frames = c.frames
        var fixedVMs: UInt32 = 0, fixedFrames: UInt32 = 0
        let rootNamesFrame = !system.model.scheme.guestTablesNameGuestPhysical
        func note(_ operand: Operand?, _ type: ValueType?) {
            guard case .constant(let value)? = operand, let type else { return }
            switch type {
            case .vm: fixedVMs |= 1 << UInt32(value)
            case .frame: fixedFrames |= 1 << UInt32(value)
            case .gpage, .vcpu: break
            }
        }
        func note(_ value: TagValue) {
            if case .vm(let operand) = value { note(operand, .vm) }
            if case .readOnly(let operand) = value { note(operand, .vm) }
        }
        func note(_ condition: Guard) {
            switch condition {
            case .always: break
            case .not(let inner): note(inner)
            case .and(let left, let right), .or(let left, let right):
                note(left)
                note(right)
            case .test(.ownershipIs(_, let frame, let value)):
                note(frame, .frame)
                note(value)
            case .test(.ownershipIsVM(_, let frame)), .test(.mapped(let frame)), .test(.inFlight(let frame)),
                 .test(.pinned(let frame)), .test(.reverseMapAssigned(let frame)):
                note(frame, .frame)
            case .test(.reverseMapIs(let frame, let vm)):
                note(frame, .frame)
                note(vm, .vm)
            case .test(.nestedIs(let vm, _, let frame, _)):
                note(vm, .vm)
                note(frame, .frame)
            case .test(.flushPending(let vm, _)), .test(.descheduled(let vm, _)):
                note(vm, .vm)
            case .test(.rootIs(let vm, _, let target, _)):
                note(vm, .vm)
                note(target, rootNamesFrame ? .frame : nil)
            case .test(.same(let left, let right, let type)):
                // Two parameters compared stay interchangeable; a constant is fixed.
                note(left, type)
                note(right, type)
            }
        }
        for rule in system.model.rules {
            note(rule.guardCondition)
            for step in rule.steps {
                switch step {
                case .setOwnership(_, let frame, let value):
                    note(frame, .frame)
                    note(value)
                case .shootdown(let frame, let vm, _):
                    note(frame, .frame)
                    note(vm, .vm)
                case .shootdownTables(let frame), .scrub(let frame), .pin(let frame), .unpin(let frame), .revoke(let frame),
                     .rmpClear(let frame):
                    note(frame, .frame)
                case .flushTLB(let vm, _), .nestedUnmap(let vm, _), .shadowZap(let vm, _), .requestFlush(let vm, _), .awaitFlush(let vm):
                    note(vm, .vm)
                case .setWriter(let frame, let vm):
                    note(frame, .frame)
                    note(vm, .vm)
                case .setRoot(let vm, _, let target):
                    note(vm, .vm)
                    note(target, rootNamesFrame ? .frame : nil)
                case .nestedMap(let vm, _, let frame, _), .rmpAssign(let frame, let vm, _):
                    note(vm, .vm)
                    note(frame, .frame)
                }
            }
        }
        self.fixedVMs = fixedVMs
        self.fixedFrames = fixedFrames
        self.rootNamesFrame = rootNamesFrame
        fields = FieldTable(system)
    }

    deinit { fields.deallocate() }

    /// Whether any renaming is possible at all (two VMs or two frames free to swap).
    public var isTrivial: Bool {
        (vms - fixedVMs.nonzeroBitCount) < 2 && (frames - fixedFrames.nonzeroBitCount) < 2
    }
}

/// A renaming: new name of each VM and of each frame.
public struct Renaming: Sendable, Equatable {
    public var vm: SIMD8<UInt8>
    public var frame: SIMD16<UInt8>

    public static let identity = Renaming(vm: SIMD8(0, 1, 2, 3, 4, 5, 6, 7),
                                          frame: SIMD16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))

    public init(vm: SIMD8<UInt8>, frame: SIMD16<UInt8>) {
        self.vm = vm
        self.frame = frame
    }

    @inline(__always) func vm(_ v: Int) -> Int { Int(vm[v]) }
    @inline(__always) func frame(_ f: Int) -> Int { Int(frame[f]) }

    /// `names` with `names[order[k]] = places[k]` for each k below `count`.
    /// The bytes are written in memory and the vector read back once: writing
    /// lanes one by one at run-time indices would stall on every write (the
    /// narrow store cannot be forwarded to the next whole-vector load).
    @inline(__always)
    static func assigning<Names: SIMD>(_ names: Names, order: UnsafePointer<UInt64>, places: UnsafePointer<UInt64>,
                                       count: Int) -> Names where Names.Scalar == UInt8 {
        var names = names
        withUnsafeMutableBytes(of: &names) { bytes in
            for k in 0..<count { bytes[Int(order[k])] = UInt8(places[k]) }
        }
        return names
    }
}
