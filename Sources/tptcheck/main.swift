import Foundation
import TPTModel
import TPTExplore
let path = CommandLine.arguments[1]
let text = try! String(contentsOfFile: path, encoding: .utf8)
do {
let model = try parseModel(text, file: path)
let system = TransitionSystem(model: model)
print("words", system.layout.words, "bits", system.layout.bits)
let r = explore(system, options: ExploreOptions(maxStates: Int(CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "100000000")))
print(r.states, r.transitions, r.depth, r.seconds, r.verdict)
if case .violated(let c) = r.verdict { for s in c.steps { print(s.actor, s.action, s.changes) }; print(c.explanation) }
} catch { print(error) }
