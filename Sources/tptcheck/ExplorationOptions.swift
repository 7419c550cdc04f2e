import ArgumentParser
import TPTExplore

/// How the explicit checker explores, for `check` and `necessity`.
struct ExplorationOptions: ParsableArguments {
    @Option(help: "Stop, inconclusive (exit 3), when a model has more distinct states than this.")
    var maxStates: Int?

    @Option(help: ArgumentHelp("Symmetry reduction over interchangeable VMs and frames: on or off.", valueName: "on|off"))
    var symmetry: String = "on"

    func validate() throws {
        if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be at least 1") }
        if symmetry != "on" && symmetry != "off" { throw ValidationError("--symmetry is on or off") }
    }

    var exploreOptions: ExploreOptions {
        ExploreOptions(maxStates: maxStates, symmetry: symmetry == "on")
    }
}
