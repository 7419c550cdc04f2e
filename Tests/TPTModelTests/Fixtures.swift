import Foundation
@testable import TPTModel

/// The repository's `Models/` folder, found from this source file's path.
func modelsDirectory() -> URL {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models")
}

func bundledModelFiles() -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory().path)) ?? []
    return names.filter { $0.hasSuffix(".tpt") }.sorted().map { modelsDirectory().appendingPathComponent($0) }
}

/// A transition system for a model given as text; the rules default to none.
func system(_ text: String) throws -> TransitionSystem {
    TransitionSystem(model: try parseModel(text, file: "test.tpt"))
}

/// A two-VM tpt system whose frames f0 and f1 belong to vm0 and vm1, with an
/// optional walker check and extra `init` steps.
func tptSystem(walker: String = "tag at every level", tlb: Int = 1, extraInit: String = "", rules: String = "") throws -> TransitionSystem {
    try system("""
        model t
        scheme tpt
        config vms 2, vcpus 1, frames 4, levels 2, fanout 2, tlb \(tlb)
        walker checks \(walker)
        init
          set_owner(f0, vm0) set_tag(f0, vm0) set_writer(f0, vm0) set_root(vm0, f0)
          set_owner(f1, vm1) set_tag(f1, vm1) set_writer(f1, vm1) set_root(vm1, f1)
          \(extraInit)
        \(rules)
        check isolation, no_data_leak
        expect holds
        """)
}

extension TransitionSystem {
    /// Every successor with its action, collected (tests only).
    func successors(of state: PackedState) -> [(action: Action, state: PackedState, violation: Violation?)] {
        var result: [(Action, PackedState, Violation?)] = []
        forEachSuccessor(of: state) { action, next, violation in
            result.append((action, next, violation))
            return true
        }
        return result
    }

    func tlbContents(_ state: PackedState, vm: Int) -> String {
        components(of: state).first { $0.name == "tlb vm\(vm)" }!.value.description
    }
}
