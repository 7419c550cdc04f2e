/// How many values each index of a component ranges over (`Component.Index`):
/// the configuration's frames, VMs, vCPUs and guest-physical pages, the
/// view's virtual pages, and the slots that hold rules in progress.
public struct StateShape: Sendable, Equatable {
    /// What holds a rule in progress.
    public enum Slots: Sendable, Equatable {
        /// The explicit checker's and bounded model checking's host threads.
        case hostThreads(Int)
        /// An unbounded proof's key frames, one per frame (`Vocabulary.Scheduling`).
        case keyFrames(Int)
    }

    public let frames: Int, vms: Int, vcpus: Int, pages: Int, gpages: Int
    public let slots: Slots
    /// The components states keep only for models that use them (`Configuration.extras`).
    public let extras: StateExtras
    public var flushRequests: Bool { extras.contains(.flushRequests) }

    public init(configuration c: Configuration, pages: Int, slots: Int, keyFrames: Bool = false) {
        frames = c.frames
        vms = c.vms
        vcpus = c.vcpus
        self.pages = pages
        gpages = c.gpages
        extras = c.extras
        self.slots = keyFrames ? .keyFrames(slots) : .hostThreads(slots)
    }

    public func size(of index: Component.Index) -> Int {
        switch index {
        case .frame: frames
        case .vm: vms
        case .vcpu: vcpus
        case .page: pages
        case .gpage: gpages
        case .slot: switch slots { case .hostThreads(let n), .keyFrames(let n): n }
        }
    }

    /// A vCPU as printed states name it: `vm1.cpu0`, or `vm1` when VMs have one.
    public func vcpuName(_ vm: Int, _ vcpu: Int) -> String { vcpus == 1 ? "vm\(vm)" : "vm\(vm).cpu\(vcpu)" }

    /// Cells of a component: the product of its indices' sizes.
    public func cells(of component: Component) -> Int {
        component.indices.reduce(1) { $0 * size(of: $1) }
    }
}

/// A state as cell values, component by component, in no backend's encoding:
/// how the backends hand states to each other (a packed state encoded for
/// Z3, a bounded model's state decoded to replay it), and what the one
/// printer (`components(of:)`) prints.
///
/// Invariant: every component but `.arguments` has `shape.cells(of:)` cells,
/// in the row-major order of its indices (outermost first); those the state
/// does not keep stay `.none`. A rule's arguments are in its `.progress` cell.
public struct StateValues: Sendable, Equatable {
    public let shape: StateShape
    /// The scheme's features and the view, which say what the state keeps.
    public let features: SchemeFeatures
    public let view: TransitionSystem.View
    private var cells: [Component: [CellValue]]

    /// Everything free, clean, empty and idle.
    public init(_ shape: StateShape, features: SchemeFeatures, view: TransitionSystem.View) {
        self.shape = shape
        self.features = features
        self.view = view
        var cells: [Component: [CellValue]] = [:]
        for component in Component.allCases where component != .arguments {
            cells[component] = Array(repeating: .none, count: shape.cells(of: component))
        }
        self.cells = cells
    }

    /// A component's cells, in row-major order.
    public func cells(of component: Component) -> [CellValue] { cells[component] ?? [] }

    /// The cell at the indices, outermost first (as `Component.indices`).
    public subscript(component: Component, indices: Int...) -> CellValue {
        get { cells[component]![offset(component, indices)] }
        set { cells[component]![offset(component, indices)] = newValue }
    }

    /// The cell at a row-major position.
    public subscript(component: Component, at position: Int) -> CellValue {
        get { cells[component]![position] }
        set { cells[component]![position] = newValue }
    }

    private func offset(_ component: Component, _ indices: [Int]) -> Int {
        zip(component.indices, indices).reduce(0) { $0 * shape.size(of: $1.0) + $1.1 }
    }

    /// Every component, named as the counterexample table, `prove`'s counterexamples and
    /// ITF name it, in a fixed order: per frame, then per VM, then the rules
    /// in progress. A vCPU's TLB is one component, the set of its entries.
    /// `omittingNone`: leave out cells that hold nothing (empty entries, no
    /// root, idle slots), except per-frame ones.
    public func components(rules: [Rule], omittingNone: Bool = false) -> [StateComponent] {
        var result: [StateComponent] = []
        func text(_ component: Component, _ value: CellValue) -> String { value.text(as: component.value, rules: rules) }
        func label(_ component: Component) -> String { component.label(under: features) }
        let kept = Component.allCases.filter { $0.isKept(under: features, in: view, extras: shape.extras) }
        for frame in 0..<shape.frames {
            for component in kept where component.indices == [.frame] {
                result.append(StateComponent(name: "\(label(component)) f\(frame)", value: .text(text(component, self[component, frame]))))
            }
        }
        for vm in 0..<shape.vms {
            for component in kept where component.indices.first == .vm {
                switch component.indices {
                case [.vm]:
                    let value = self[component, vm]
                    if omittingNone && value == .none { continue }
                    result.append(StateComponent(name: "\(label(component)) vm\(vm)", value: .text(text(component, value))))
                case [.vm, .vcpu]:
                    for vcpu in 0..<shape.vcpus {
                        let value = self[component, vm, vcpu]
                        if omittingNone && value == .none { continue }
                        result.append(StateComponent(name: "\(label(component)) \(shape.vcpuName(vm, vcpu))", value: .text(text(component, value))))
                    }
                case [.vm, .vcpu, .page]:
                    for vcpu in 0..<shape.vcpus {
                        let cpu = shape.vcpuName(vm, vcpu)
                        // Highest page first, the packed TLB's order.
                        let entries = (0..<shape.pages).reversed().compactMap { page in
                            let value = self[component, vm, vcpu, page]
                            return value == .none ? nil : "p\(page)->\(text(component, value))"
                        }
                        if omittingNone && entries.isEmpty { continue }
                        result.append(StateComponent(name: "\(label(component)) \(cpu)", value: .set(entries)))
                    }
                case [.vm, .vcpu, .frame]:
                    // A set of frames: those whose cell holds yes.
                    for vcpu in 0..<shape.vcpus {
                        let members = (0..<shape.frames).filter { self[component, vm, vcpu, $0] != .none }.map { "f\($0)" }
                        if omittingNone && members.isEmpty { continue }
                        result.append(StateComponent(name: "\(label(component)) \(shape.vcpuName(vm, vcpu))", value: .set(members)))
                    }
                default:
                    let inner = component.indices[1], prefix = inner == .gpage ? "g" : "p"
                    for index in 0..<shape.size(of: inner) {
                        let value = self[component, vm, index]
                        if omittingNone && value == .none { continue }
                        result.append(StateComponent(name: "\(label(component)) vm\(vm) \(prefix)\(index)", value: .text(text(component, value))))
                    }
                }
            }
        }
        let host = label(.progress)
        for (slot, value) in cells(of: .progress).enumerated() where kept.contains(.progress) {
            if omittingNone && value == .none { continue }
            let name = switch shape.slots {
            case .hostThreads(1): host
            case .hostThreads: "\(host) thread \(slot)"
            case .keyFrames: "\(host) f\(slot)"
            }
            result.append(StateComponent(name: name, value: .text(text(.progress, value))))
        }
        return result
    }
}

extension StateValues {
    /// The state with VMs and frames renamed: each cell moves to its
    /// indices' new names, and every VM and frame a value names (an owner, a
    /// root, an entry's target, a rule's argument) is renamed. Symmetry
    /// reduction's meaning, defined on the description; its packed fast path
    /// (`SymmetryReduction.renamed`) is tested against it.
    public func renamed(vm: (Int) -> Int, frame: (Int) -> Int) -> StateValues {
        func rename(_ element: Element) -> Element {
            switch element {
            case .literal(.vm, let index): .literal(.vm, vm(index))
            case .literal(.frame, let index): .literal(.frame, frame(index))
            default: element
            }
        }
        func rename(_ value: CellValue) -> CellValue {
            switch value {
            case .element(let element): .element(rename(element))
            case .readOnly(let element): .readOnly(rename(element))
            case .entry(let target, let writable): .entry(rename(target), writable: writable)
            case .assigned(let owner, let gpage, let validated): .assigned(vm: rename(owner), gpage: gpage, validated: validated)
            case .running(let rule, let nextStep, let arguments): .running(rule: rule, nextStep: nextStep, arguments: arguments.map(rename))
            case .none, .host, .yes, .unknownProgress: value
            }
        }
        var result = StateValues(shape, features: features, view: view)
        for (component, cells) in self.cells {
            let sizes = component.indices.map { shape.size(of: $0) }
            for (position, value) in cells.enumerated() {
                // The position's indices, innermost last, each renamed if it is a VM or frame.
                var rest = position, target = 0, stride = 1
                for (index, size) in zip(component.indices, sizes).reversed() {
                    let here = rest % size
                    rest /= size
                    target += stride * (index == .vm ? vm(here) : index == .frame ? frame(here) : here)
                    stride *= size
                }
                result[component, at: target] = rename(value)
            }
        }
        return result
    }
}
