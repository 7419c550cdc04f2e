/// The state layout's fields and dimensions in plain memory, for renaming:
/// reading them costs no reference counting and no bounds check, which
/// otherwise take a third of the time of a representative.
///
/// Invariant: the buffers are copies of the layout's arrays, allocated once
/// and never written; `SymmetryReduction` frees them.
struct FieldTable: @unchecked Sendable {
    let owner, tag, writer, pinned, rmp, root, tlb, referenceTLB, nested, guestEntry, directEntry: UnsafeBufferPointer<Field>
    /// Per vCPU, index vm * vcpus + vcpu (empty unless the model sends flush requests).
    let flushPending, descheduled: UnsafeBufferPointer<Field>
    /// Index (vm * vcpus + vcpu) * frames + frame (empty unless the walker caches upper levels).
    let walkCache: UnsafeBufferPointer<Field>
    let threadRule, threadStep, threadParameter: UnsafeBufferPointer<Field>
    let vcpus, tlbEntries, gpages, pages, frames, maxRuleParameters: Int
    let codes: CellCodes
    /// Per rule: bit i set when parameter i is a frame, a VM.
    let frameParameters, vmParameters: UnsafeBufferPointer<UInt8>

    init(_ system: TransitionSystem) {
        func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
            _ = buffer.initialize(from: array)
            return UnsafeBufferPointer(rebasing: buffer[..<array.count])
        }
        let layout = system.layout
        owner = copy(layout.owner)
        tag = copy(layout.tag)
        writer = copy(layout.writer)
        pinned = copy(layout.pinned)
        rmp = copy(layout.rmp)
        root = copy(layout.root)
        tlb = copy(layout.tlb)
        referenceTLB = copy(layout.referenceTLB)
        nested = copy(layout.nested)
        guestEntry = copy(layout.guestEntry)
        directEntry = copy(layout.directEntry)
        flushPending = copy(layout.flushPending)
        descheduled = copy(layout.descheduled)
        walkCache = copy(layout.walkCache)
        threadRule = copy(layout.threadRule)
        threadStep = copy(layout.threadStep)
        threadParameter = copy(layout.threadParameter)
        frameParameters = copy(system.rules.frameParameters)
        vmParameters = copy(system.rules.vmParameters)
        let c = system.configuration
        vcpus = c.vcpus
        tlbEntries = c.tlb
        gpages = c.gpages
        pages = system.pages
        frames = c.frames
        maxRuleParameters = layout.maxRuleParameters
        codes = layout.codes
    }

    func deallocate() {
        for buffer in [owner, tag, writer, pinned, rmp, root, tlb, referenceTLB, nested, guestEntry, directEntry, flushPending, descheduled, walkCache,
                       threadRule, threadStep, threadParameter] {
            UnsafeMutableRawPointer(mutating: buffer.baseAddress)?.deallocate()
        }
        UnsafeMutableRawPointer(mutating: frameParameters.baseAddress)?.deallocate()
        UnsafeMutableRawPointer(mutating: vmParameters.baseAddress)?.deallocate()
    }

    @inline(__always) func tlbIndex(_ vm: Int, _ vcpu: Int) -> Int { (vm &* vcpus &+ vcpu) &* tlbEntries }
    @inline(__always) func nestedIndex(_ vm: Int, _ gpage: Int) -> Int { vm &* gpages &+ gpage }
    @inline(__always) func pageIndex(_ vm: Int, _ page: Int) -> Int { vm &* pages &+ page }

    /// The codes' formulas (`CellCodes`).
    @inline(__always) func tlbEntry(_ code: Int) -> (page: Int, frame: Int, writable: Bool) { codes.tlbEntry(code) }
    @inline(__always) func tlbCode(page: Int, frame: Int, writable: Bool) -> Int { codes.tlbCode(page: page, frame: frame, writable: writable) }
    /// A nonzero reverse-map entry's VM.
    @inline(__always) func reverseMapVM(_ code: Int) -> Int { codes.reverseMapEntry(code).vm }
    /// An ownership code with its VM renamed, keeping its permission.
    @inline(__always) func renamedOwnership(_ code: Int, _ r: Renaming) -> Int {
        guard let (vm, writable) = codes.ownershipVM(code) else { return code }
        return writable ? CellCodes.ownership(vm: r.vm(vm)) : codes.readOnlyOwnership(vm: r.vm(vm))
    }
    /// A nested code with its frame renamed, keeping its permission.
    @inline(__always) func renamedNested(_ code: Int, _ r: Renaming) -> Int {
        guard code != 0 else { return 0 }
        let (frame, writable) = codes.nestedEntry(code)
        return codes.nestedCode(frame: r.frame(frame), writable: writable)
    }

    /// A reverse-map entry with its VM renamed.
    @inline(__always) func renamedReverseMap(_ code: Int, _ r: Renaming) -> Int {
        guard code != 0 else { return 0 }
        let (vm, gpage, validated) = codes.reverseMapEntry(code)
        return codes.reverseMapCode(vm: r.vm(vm), gpage: gpage, validated: validated)
    }

    /// Sorts one vCPU's entries, largest first (as `TransitionSystem.normalizeTLB`).
    @inline(__always) func normalizeTLB(_ s: inout PackedState, base: Int, _ fields: UnsafeBufferPointer<Field>) {
        if tlbEntries < 2 { return }
        for i in 1..<tlbEntries {
            var j = i
            while j > 0 {
                let above = s[fields[base &+ j &- 1]], here = s[fields[base &+ j]]
                if above >= here { break }
                s[fields[base &+ j &- 1]] = here
                s[fields[base &+ j]] = above
                j -= 1
            }
        }
    }
}
