extension SymmetryReduction {
    /// The representative of the state's class (see `SymmetryReduction`).
    public func representative(_ s: PackedState) -> PackedState {
        if isTrivial { return s }
        // Scratch in plain stack memory, not SIMD locals (their lanes are
        // written at run-time indices; see `Renaming.assigning`): VM keys,
        // frame keys, then orders and places.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8 + 2 * 16 + 2 * 8 + 2 * 16) { scratch in
            let vmKeys = scratch.baseAddress!, local = vmKeys + 8, references = local + 16
            let order = references + 16, places = order + 8, frameOrder = places + 8, framePlaces = frameOrder + 16
            vmSignatures(s, into: vmKeys)
            // Free VMs in order of signature; `order[k]` is the VM the k-th free
            // place goes to. VMs with equal signatures are tried in every order.
            var free = 0
            for vm in 0..<vms where fixedVMs >> UInt32(vm) & 1 == 0 {
                places[free] = UInt64(vm)
                var k = free
                while k > 0 && vmKeys[Int(order[k - 1])] > vmKeys[vm] {
                    order[k] = order[k - 1]
                    k -= 1
                }
                order[k] = UInt64(vm)
                free += 1
            }
            var best = PackedState(words: SIMD4(repeating: .max))
            var renaming = Renaming.identity
            while true {
                renaming.vm = Renaming.assigning(renaming.vm, order: order, places: places, count: free)
                renaming.frame = frameRenaming(s, vms: renaming, local: local, references: references,
                                               order: frameOrder, places: framePlaces)
                let candidate = renamed(s, renaming)
                if Self.precedes(candidate, best) { best = candidate }
                if !nextOrder(order, count: free, keys: vmKeys) { break }
            }
            return best
        }
    }

    /// Lexicographic order of packed states, for the least of several candidates.
    @inline(__always)
    static func precedes(_ a: PackedState, _ b: PackedState) -> Bool {
        for word in 0..<4 where a.words[word] != b.words[word] { return a.words[word] < b.words[word] }
        return false
    }

    /// What no renaming changes about each VM: how many frames it owns, is
    /// tagged for (or assigned in the reverse map) and wrote; how many of its vCPUs have a root; how many TLB, p2m and
    /// direct entries it has; how many host threads run a rule for it.
    private func vmSignatures(_ s: PackedState, into keys: UnsafeMutablePointer<UInt64>) {
        let layout = fields
        keys.update(repeating: 0, count: vms)
        for frame in 0..<frames {
            if let (vm, _) = layout.codes.ownershipVM(s[layout.owner[frame]]) { keys[vm] &+= 1 }
            if !layout.tag.isEmpty, let (vm, _) = layout.codes.ownershipVM(s[layout.tag[frame]]) { keys[vm] &+= 1 << 8 }
            let writer = s[layout.writer[frame]]
            if writer != 0 { keys[writer - 1] &+= 1 << 16 }
            // snp has no tags: its reverse-map assignments count in their place.
            if !layout.rmp.isEmpty, case let code = s[layout.rmp[frame]], code != 0 { keys[layout.reverseMapVM(code)] &+= 1 << 8 }
        }
        for vm in 0..<vms {
            for vcpu in 0..<layout.vcpus where !layout.root.isEmpty && s[layout.root[vm &* layout.vcpus &+ vcpu]] != 0 { keys[vm] &+= 1 << 24 }
            for index in layout.tlbIndex(vm, 0)..<layout.tlbIndex(vm + 1, 0) where s[layout.tlb[index]] != 0 { keys[vm] &+= 1 << 28 }
            for gpage in 0..<layout.gpages where s[layout.nested[layout.nestedIndex(vm, gpage)]] != 0 { keys[vm] &+= 1 << 36 }
            for page in 0..<layout.pages where !layout.directEntry.isEmpty && s[layout.directEntry[layout.pageIndex(vm, page)]] != 0 {
                keys[vm] &+= 1 << 44
            }
        }
        let parameters = layout.maxRuleParameters
        for thread in 0..<layout.threadRule.count {
            let ruleCode = s[layout.threadRule[thread]]
            guard ruleCode != 0 else { continue }
            let vmMask = layout.vmParameters[ruleCode - 1]
            for index in 0..<parameters where vmMask >> index & 1 != 0 {
                keys[s[layout.threadParameter[thread * parameters + index]]] &+= 1 << 52
            }
        }
    }

    /// The next order of the free VMs that keeps them sorted by signature (the
    /// next permutation within each run of equal signatures, last run first);
    /// false after the last.
    private func nextOrder(_ order: UnsafeMutablePointer<UInt64>, count: Int, keys: UnsafeMutablePointer<UInt64>) -> Bool {
        var end = count
        while end > 0 {
            var start = end - 1
            while start > 0 && keys[Int(order[start - 1])] == keys[Int(order[end - 1])] { start -= 1 }
            if Self.nextPermutation(order, start, end) { return true }
            end = start
        }
        return false
    }

    /// Steps `order[start..<end]` to its next permutation in increasing
    /// order; at the last one, sorts it back and returns false.
    private static func nextPermutation(_ order: UnsafeMutablePointer<UInt64>, _ start: Int, _ end: Int) -> Bool {
        var i = end - 1
        while i > start && order[i - 1] >= order[i] { i -= 1 }
        defer {
            var (low, high) = (i, end - 1)
            while low < high {
                (order[low], order[high]) = (order[high], order[low])
                low += 1
                high -= 1
            }
        }
        guard i > start else { return false }
        var j = end - 1
        while order[j] <= order[i - 1] { j -= 1 }
        (order[i - 1], order[j]) = (order[j], order[i - 1])
        return true
    }

    /// The free frames' new names under the VM renaming: in order of a
    /// signature of everything about each frame, ties kept in index order.
    private func frameRenaming(_ s: PackedState, vms r: Renaming, local: UnsafeMutablePointer<UInt64>,
                               references: UnsafeMutablePointer<UInt64>, order: UnsafeMutablePointer<UInt64>,
                               places: UnsafeMutablePointer<UInt64>) -> SIMD16<UInt8> {
        let layout = fields
        references.update(repeating: 0, count: frames)
        @inline(__always) func ownership(_ code: Int) -> UInt64 { UInt64(layout.renamedOwnership(code, r)) }
        for frame in 0..<frames {
            var key = ownership(s[layout.owner[frame]])
            if !layout.tag.isEmpty { key |= ownership(s[layout.tag[frame]]) << 4 }
            let writer = s[layout.writer[frame]]
            key |= UInt64(writer == 0 ? 0 : 1 + r.vm(writer - 1)) << 8
            if !layout.pinned.isEmpty { key |= UInt64(s[layout.pinned[frame]]) << 12 }
            if !layout.rmp.isEmpty { key |= UInt64(layout.renamedReverseMap(s[layout.rmp[frame]], r)) << 16 }
            local[frame] = key
        }
        @inline(__always) func refer(_ frame: Int, _ a: Int, _ b: Int, _ d: Int) {
            references[frame] &+= Self.mix(UInt64(a) << 48 | UInt64(b) << 32 | UInt64(d))
        }
        for vm in 0..<vms {
            let to = r.vm(vm)
            for vcpu in 0..<layout.vcpus {
                if rootNamesFrame && !layout.root.isEmpty, case let code = s[layout.root[vm * layout.vcpus + vcpu]], code != 0 {
                    refer(code - 1, 1, to, vcpu)
                }
                let base = layout.tlbIndex(vm, vcpu)
                for entry in 0..<layout.tlbEntries {
                    if case let code = s[layout.tlb[base + entry]], code != 0 {
                        let (page, frame, writable) = layout.tlbEntry(code)
                        refer(frame, 2, to, (vcpu << 16) | page << 1 | (writable ? 1 : 0))
                    }
                    if !layout.referenceTLB.isEmpty, case let code = s[layout.referenceTLB[base + entry]], code != 0 {
                        let (page, frame, writable) = layout.tlbEntry(code)
                        refer(frame, 3, to, (vcpu << 16) | page << 1 | (writable ? 1 : 0))
                    }
                }
                if !layout.walkCache.isEmpty {
                    let base = (vm * layout.vcpus + vcpu) * frames
                    for frame in 0..<frames where s[layout.walkCache[base + frame]] != 0 { refer(frame, 7, to, vcpu) }
                }
            }
            for gpage in 0..<layout.gpages {
                if case let code = s[layout.nested[layout.nestedIndex(vm, gpage)]], code != 0 {
                    let (frame, writable) = layout.codes.nestedEntry(code)
                    refer(frame, writable ? 4 : 8, to, gpage)
                }
            }
            if !layout.directEntry.isEmpty {
                for page in 0..<layout.pages {
                    let code = s[layout.directEntry[layout.pageIndex(vm, page)]]
                    if code != 0 {
                        refer(TransitionSystem.entryTarget(code), 5, to, page << 1 | (TransitionSystem.entryIsWritable(code) ? 1 : 0))
                    }
                }
            }
        }
        let parameters = layout.maxRuleParameters
        for thread in 0..<layout.threadRule.count {
            let ruleCode = s[layout.threadRule[thread]]
            guard ruleCode != 0 else { continue }
            let frameMask = layout.frameParameters[ruleCode - 1], vmMask = layout.vmParameters[ruleCode - 1]
            // The thread's rule, step and other parameters describe the reference.
            var context = UInt64(ruleCode) << 8 | UInt64(s[layout.threadStep[thread]])
            for index in 0..<parameters where frameMask >> index & 1 == 0 {
                let value = s[layout.threadParameter[thread * parameters + index]]
                context = context << 5 | UInt64(vmMask >> index & 1 != 0 ? r.vm(value) : value)
            }
            for index in 0..<parameters where frameMask >> index & 1 != 0 {
                refer(s[layout.threadParameter[thread * parameters + index]], 6, index, Int(truncatingIfNeeded: context & 0xFFFF_FFFF))
            }
        }
        // Free frames sorted by (local, references), stably; fixed frames keep their names.
        var free = 0
        for frame in 0..<frames where fixedFrames >> UInt32(frame) & 1 == 0 {
            places[free] = UInt64(frame)
            var k = free
            while k > 0 {
                let other = Int(order[k - 1])
                guard local[other] > local[frame] || (local[other] == local[frame] && references[other] > references[frame]) else { break }
                order[k] = order[k - 1]
                k -= 1
            }
            order[k] = UInt64(frame)
            free += 1
        }
        return Renaming.assigning(Renaming.identity.frame, order: order, places: places, count: free)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
