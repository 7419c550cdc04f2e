import Foundation
import TPTModel

/// Counterexamples in Apalache's Informal Trace Format (ITF), so that trace
/// viewers and other tools can read them: `#meta`, `vars`, and one object per
/// state. State components become maps keyed by frame or VM (`owner`, `tag`,
/// `writer`, `root`, `tlb`, `nested`, `host`); each state also carries the action
/// that led to it (`action`, `actor`, `parameters`) and, in the last state, the
/// `violation`. The initial state's action is `init`.
extension Counterexample {
    static let actionVariables = ["action", "actor", "parameters", "violation"]

    public func itf(model: String, source: String) -> Data {
        let trace = ITFTrace(self)
        var variables: [String] = []
        for component in states.first ?? [] {
            let variable = ITFTrace.split(component.name).variable
            if !variables.contains(variable) { variables.append(variable) }
        }
        variables += Self.actionVariables
        let objects: [[String: Any]] = trace.states.enumerated().map { index, state in
            var object: [String: Any] = ["#meta": ["index": index]]
            var maps: [String: [[Any]]] = [:]
            for component in state.components {
                let (variable, key) = ITFTrace.split(component.name)
                let value: Any
                switch component.value {
                case .text(let text): value = text
                case .set(let members): value = ["#set": members]
                }
                if let key {
                    maps[variable, default: []].append([key, value])
                } else {
                    object[variable] = value
                }
            }
            for (variable, entries) in maps { object[variable] = ["#map": entries] }
            object["action"] = state.action
            object["actor"] = state.actor
            object["parameters"] = Dictionary(uniqueKeysWithValues: state.parameters.map { ($0.name, $0.value.description) })
            object["violation"] = state.violation
            return object
        }
        let document: [String: Any] = [
            "#meta": [
                "format": "ITF",
                "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
                "source": source,
                "description": "\(model) violates \(property.rawValue): \(explanation)",
            ],
            "vars": variables,
            "states": objects,
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
    }
}

/// A trace as ITF holds it: each state's components and the action that led to
/// it. Built from a counterexample, or read back from an ITF file; the two are
/// equal when the file says what the counterexample says.
public struct ITFTrace: Equatable, Sendable {
    public struct State: Equatable, Sendable {
        /// Sorted by name.
        public var components: [StateComponent]
        public var action: String
        public var actor: String
        /// Sorted by name.
        public var parameters: [StateComponent]
        public var violation: String
    }

    public var states: [State]

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    static func split(_ name: String) -> (variable: String, key: String?) {
        guard let space = name.firstIndex(of: " ") else { return (name, nil) }
        return (String(name[..<space]), String(name[name.index(after: space)...]))
    }

    public init(_ counterexample: Counterexample) {
        states = counterexample.states.enumerated().map { index, components in
            let step = index == 0 ? nil : counterexample.steps[index - 1]
            let isLast = index == counterexample.states.count - 1
            return State(components: components.sorted { $0.name < $1.name },
                         action: step?.name ?? "init", actor: step?.actor ?? "",
                         parameters: (step?.parameters ?? []).sorted { $0.name < $1.name },
                         violation: isLast ? "\(counterexample.property.rawValue): \(counterexample.explanation)" : "")
        }
    }

    /// Reads an ITF document written by `Counterexample.itf`.
    public init(itf data: Data) throws {
        func fail(_ message: String) -> FormatError { FormatError(description: "ITF: \(message)") }
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let variables = document["vars"] as? [String],
              let objects = document["states"] as? [[String: Any]] else {
            throw fail("expected an object with 'vars' and 'states'")
        }
        states = try objects.map { object in
            var components: [StateComponent] = []
            for variable in variables where !Counterexample.actionVariables.contains(variable) {
                guard let value = object[variable] else { throw fail("state lacks variable '\(variable)'") }
                if let map = (value as? [String: Any])?["#map"] as? [[Any]] {
                    for entry in map {
                        guard entry.count == 2, let key = entry[0] as? String else { throw fail("bad map entry in '\(variable)'") }
                        components.append(StateComponent(name: "\(variable) \(key)", value: try Self.value(entry[1], fail)))
                    }
                } else {
                    components.append(StateComponent(name: variable, value: try Self.value(value, fail)))
                }
            }
            guard let action = object["action"] as? String, let actor = object["actor"] as? String,
                  let parameters = object["parameters"] as? [String: String], let violation = object["violation"] as? String else {
                throw fail("state lacks action, actor, parameters or violation")
            }
            return State(components: components.sorted { $0.name < $1.name }, action: action, actor: actor,
                         parameters: parameters.map { StateComponent(name: $0.key, value: .text($0.value)) }.sorted { $0.name < $1.name },
                         violation: violation)
        }
    }

    private static func value(_ any: Any, _ fail: (String) -> FormatError) throws -> StateComponent.Value {
        if let text = any as? String { return .text(text) }
        if let members = (any as? [String: Any])?["#set"] as? [String] { return .set(members) }
        throw fail("unexpected value \(any)")
    }
}
