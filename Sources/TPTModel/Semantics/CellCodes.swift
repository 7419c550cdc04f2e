/// How a packed state writes each kind of cell value (`Component.Value`) as
/// an integer, for one configuration. 0 always means `none`, so the all-zero
/// state is all free, clean and empty.
///
/// - ownership (owner, tag): 0 free, 1 host, 2 + v; read-only, 2 + vms + v
///   (models that grant read-only access: `permissions`)
/// - last writer: 0 clean, 1 + v. What a guest wrote is not stored: it is
///   whatever the guest chose.
/// - flag (pinned): 0 no, 1 yes
/// - reverse-map entry: 0 free, 1 + 2 * (vm * gpages + gpage) + validated
/// - root: 0 none, 1 + target (a frame, or a guest-physical page)
/// - frame (nested, p2m): 0 empty, 1 + frame; read-only, 1 + frames + frame
///   (`permissions`)
/// - entries: 0 empty, 1 + 2 * target + writable. A TLB is kept as a set of
///   its capacity's entries, each naming its page too: target
///   page * frames + frame (`tlbCode`).
/// - progress: a rule field (0 idle, 1 + rule) and a step field (the next
///   step); an argument is its value's index.
///
/// The hot paths use the static formulas directly; `code(of:as:)` and
/// `value(of:as:)` are the same formulas over `CellValue`, for the bridges to
/// other backends and the printers.
public struct CellCodes: Sendable {
    public let frames: Int, vms: Int, gpages: Int, vcpus: Int
    /// What a root names: frames (tpt, pv), or guest-physical pages.
    public let rootTarget: ValueType
    /// The model's rules, for the progress field's range.
    public let rules: Int
    /// Whether owners, tags and nested entries may grant read access only:
    /// then they take the read-only codes too. (A model without them keeps
    /// the codes, and the state widths, it had before permissions existed.)
    public let permissions: Bool
    /// Steps a rule may have, plus one: the step field's range.
    public static let stepCodes = 16

    public init(configuration c: Configuration, rootTarget: ValueType, rules: Int) {
        frames = c.frames
        vms = c.vms
        gpages = c.gpages
        vcpus = c.vcpus
        self.rootTarget = rootTarget
        self.rules = rules
        permissions = c.permissions
    }

    // MARK: The formulas

    public static let free = 0
    public static let host = 1
    @inline(__always) public static func ownership(vm: Int) -> Int { 2 + vm }
    @inline(__always) public func readOnlyOwnership(vm: Int) -> Int { 2 + vms + vm }
    /// The VM an ownership code names, and whether it may write; nil for free and host.
    @inline(__always) public func ownershipVM(_ code: Int) -> (vm: Int, writable: Bool)? {
        code < 2 ? nil : code < 2 + vms ? (code - 2, true) : (code - 2 - vms, false)
    }

    /// A nested entry mapping the frame.
    @inline(__always) public func nestedCode(frame: Int, writable: Bool) -> Int { 1 + frame + (writable ? 0 : frames) }
    /// The frame a nonzero nested code maps, and whether it is writable.
    @inline(__always) public func nestedEntry(_ code: Int) -> (frame: Int, writable: Bool) {
        let raw = code - 1
        return raw < frames ? (raw, true) : (raw - frames, false)
    }

    @inline(__always) public static func entryCode(target: Int, writable: Bool) -> Int { 1 + 2 * target + (writable ? 1 : 0) }
    /// The target an entry names, or -1 when it is empty.
    @inline(__always) public static func entryTarget(_ code: Int) -> Int { code == 0 ? -1 : (code - 1) >> 1 }
    @inline(__always) public static func entryIsWritable(_ code: Int) -> Bool { code != 0 && (code - 1) & 1 == 1 }

    @inline(__always) public func tlbCode(page: Int, frame: Int, writable: Bool) -> Int {
        Self.entryCode(target: page &* frames &+ frame, writable: writable)
    }

    /// Decodes a nonzero TLB entry.
    @inline(__always) public func tlbEntry(_ code: Int) -> (page: Int, frame: Int, writable: Bool) {
        let raw = code &- 1, mapping = raw >> 1
        return (mapping / frames, mapping % frames, raw & 1 == 1)
    }

    /// A reverse-map entry assigned to the VM at the guest-physical page.
    @inline(__always) public func reverseMapCode(vm: Int, gpage: Int, validated: Bool) -> Int {
        Self.entryCode(target: vm &* gpages &+ gpage, writable: validated)
    }

    /// Decodes a nonzero reverse-map entry.
    @inline(__always) public func reverseMapEntry(_ code: Int) -> (vm: Int, gpage: Int, validated: Bool) {
        let raw = code &- 1, assignment = raw >> 1
        return (assignment / gpages, assignment % gpages, raw & 1 == 1)
    }

    // MARK: Over cell values

    /// How many codes a cell of the kind takes (a TLB cell: one per page and
    /// frame, given `pages`).
    public func count(_ kind: Component.Value, pages: Int = 1) -> Int {
        switch kind {
        case .ownership: 2 + vms * (permissions ? 2 : 1)
        case .lastWriter: 1 + vms
        case .flag: 2
        case .reverseMapEntry: 1 + 2 * vms * gpages
        case .root: 1 + size(rootTarget)
        case .frame: 1 + frames * (permissions ? 2 : 1)
        case .frameEntry: 1 + 2 * pages * frames
        case .guestEntry: 1 + 2 * gpages
        case .progress: 1 + rules
        case .argument: max(frames, vms, gpages, vcpus)
        }
    }

    /// The code of a cell's value; nil when the value has no code (an element
    /// outside the configuration, a case the kind does not hold). Progress
    /// takes two fields and is not coded here.
    public func code(of value: CellValue, as kind: Component.Value) -> Int? {
        func index(_ element: Element, _ type: ValueType) -> Int? {
            guard let index = element.index(type), index >= 0, index < size(type) else { return nil }
            return index
        }
        switch (kind, value) {
        case (.progress, _): return nil
        case (_, .none): return kind == .argument ? nil : 0
        case (.ownership, .host): return Self.host
        case (.ownership, .element(let vm)): return index(vm, .vm).map(Self.ownership(vm:))
        case (.ownership, .readOnly(let vm)) where permissions: return index(vm, .vm).map(readOnlyOwnership(vm:))
        case (.lastWriter, .element(let vm)): return index(vm, .vm).map { 1 + $0 }
        case (.flag, .yes): return 1
        case (.reverseMapEntry, .assigned(let vm, let gpage, let validated)):
            guard let vm = index(vm, .vm), let gpage = index(gpage, .gpage) else { return nil }
            return reverseMapCode(vm: vm, gpage: gpage, validated: validated)
        case (.root, .element(let target)): return index(target, rootTarget).map { 1 + $0 }
        case (.frame, .element(let frame)): return index(frame, .frame).map { nestedCode(frame: $0, writable: true) }
        case (.frame, .readOnly(let frame)) where permissions: return index(frame, .frame).map { nestedCode(frame: $0, writable: false) }
        case (.frameEntry, .entry(let frame, let writable)):
            return index(frame, .frame).map { Self.entryCode(target: $0, writable: writable) }
        case (.guestEntry, .entry(let gpage, let writable)):
            return index(gpage, .gpage).map { Self.entryCode(target: $0, writable: writable) }
        case (.argument, .element(let element)):
            guard case .literal(let type, _) = element else { return nil }
            return index(element, type)
        default: return nil
        }
    }

    /// The value a code stands for. An argument's code needs its type, and a
    /// progress code is not a cell's (see `code(of:as:)`).
    public func value(of code: Int, as kind: Component.Value, type: ValueType = .frame) -> CellValue {
        if code == 0 && kind != .argument { return .none }
        switch kind {
        case .ownership:
            guard let (vm, writable) = ownershipVM(code) else { return .host }
            return writable ? .element(.literal(.vm, vm)) : .readOnly(.literal(.vm, vm))
        case .lastWriter: return .element(.literal(.vm, code - 1))
        case .flag: return .yes
        case .reverseMapEntry:
            let (vm, gpage, validated) = reverseMapEntry(code)
            return .assigned(vm: .literal(.vm, vm), gpage: .literal(.gpage, gpage), validated: validated)
        case .root: return .element(.literal(rootTarget, code - 1))
        case .frame:
            let (frame, writable) = nestedEntry(code)
            return writable ? .element(.literal(.frame, frame)) : .readOnly(.literal(.frame, frame))
        case .frameEntry: return .entry(.literal(.frame, Self.entryTarget(code)), writable: Self.entryIsWritable(code))
        case .guestEntry: return .entry(.literal(.gpage, Self.entryTarget(code)), writable: Self.entryIsWritable(code))
        case .argument: return .element(.literal(type, code))
        case .progress: return .unknownProgress(UInt64(code))
        }
    }

    private func size(_ type: ValueType) -> Int {
        switch type {
        case .frame: frames
        case .vm: vms
        case .gpage: gpages
        case .vcpu: vcpus
        }
    }
}
