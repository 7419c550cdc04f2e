import TPTModel
import TPTZ3

/// A proof file's clauses as Z3 formulas over one symbolic state.
extension ProofSpecification {
    /// The invariant: every clause, over the given state.
    public func invariant(for model: Model) -> Invariant {
        { (state: SymbolicState, v: Vocabulary) throws(Z3Error) -> [(name: String, formula: Z3Term)] in
            var encoder = FormulaEncoder(model: model, state: state, vocabulary: v)
            var parts: [(name: String, formula: Z3Term)] = []
            for clause in clauses { parts.append((clause.name, try encoder.encode(clause.formula))) }
            return parts
        }
    }
}

/// Encodes formulas; bound variables become fresh constants of their sorts.
struct FormulaEncoder {
    let model: Model
    let state: SymbolicState
    let vocabulary: Vocabulary
    /// Bound variables, innermost last. (An array, not a dictionary: Z3 reuses
    /// the ids of released terms, and a dictionary releases in a per-process
    /// hash order; see `TermMemo`.)
    var bound: [(name: String, constant: Z3Term)] = []
    var fresh = 0

    init(model: Model, state: SymbolicState, vocabulary: Vocabulary) {
        self.model = model
        self.state = state
        self.vocabulary = vocabulary
    }

    private var z3: Z3Context { vocabulary.z3 }

    func sort(_ sort: ProofSort) -> Z3Sort {
        switch sort {
        case .frame: return vocabulary.frame
        case .vm: return vocabulary.vm
        case .gpage: return vocabulary.gpage
        case .page: return vocabulary.page
        case .vcpu: return vocabulary.vcpu
        case .ownership: return vocabulary.ownership.sort
        }
    }

    mutating func encode(_ formula: Formula) throws(Z3Error) -> Z3Term {
        switch formula {
        case .constant(let value): return try z3.bool(value)
        case .not(let inner): return try z3.not(encode(inner))
        case .and(let a, let b): return try z3.and([encode(a), encode(b)])
        case .or(let a, let b): return try z3.or([encode(a), encode(b)])
        case .implies(let a, let b): return try z3.implies(encode(a), encode(b))
        case .forall(let variables, let body):
            let saved = bound
            defer { bound = saved }
            if let values = try boundedValues(variables) {
                // At the model's sizes: one instance per assignment of values, so
                // that the bounded query, which looks for a counterexample, has no
                // quantifiers for Z3 to instantiate.
                var instances: [Z3Term] = []
                for assignment in values {
                    bound = saved + zip(variables, assignment).map { ($0.name, $1) }
                    instances.append(try encode(body))
                }
                return try z3.and(instances)
            }
            var constants: [Z3Term] = []
            for variable in variables {
                fresh += 1
                let constant = try z3.constant("\(variable.name)!\(fresh)", sort(variable.sort))
                bound.append((variable.name, constant))
                constants.append(constant)
            }
            // Reads of the post-state's stores and lambdas resolved down to the
            // pre-state's maps: what Z3's instantiation settles quickly.
            return try z3.forall(constants, z3.resolveSelects(encode(body)))
        case .equal(let a, let b): return try z3.equal(encode(a), encode(b))
        case .namesVM(let ownership):
            let value = try encode(ownership), constructors = vocabulary.ownership.constructors
            guard vocabulary.permissions else { return try constructors[2].test(value) }
            return try z3.or([constructors[2].test(value), constructors[3].test(value)])
        case .maps(let entries, let vm, let indices, let target):
            let (entry, empty, named) = try read(entries, vm: vm, indices: indices)
            guard let target else { return empty }
            switch entries {
            case .nested where vocabulary.permissions:
                // An entry with a permission: equal to either entry naming the target.
                let entries = vocabulary.nestedEntry.constructors[1], target = try encode(target)
                return try z3.or([z3.equal(entry, entries.make(target, z3.bool(true))), z3.equal(entry, entries.make(target, z3.bool(false)))])
            case .nested, .root:
                // An option's one field: equal to `some(target)` (the form Z3's
                // quantifier instantiation does best with, measured on the bundled proofs).
                let option = entries == .root ? vocabulary.rootOption(model.scheme.features.guestTablesName) : vocabulary.optionalFrame
                return try z3.equal(entry, option.constructors[1].make(encode(target)))
            case .tlb, .direct, .gpt, .referenceTLB:
                return try z3.and([z3.not(empty), z3.equal(named, encode(target))])
            }
        case .writable(let entries, let vm, let indices):
            let (entry, empty, _) = try read(entries, vm: vm, indices: indices)
            // (A nested entry has a permission only where the model has read-only ones: `EntryMap.hasPermission(permissions:)`.)
            let field = entries == .gpt ? vocabulary.guestEntry.constructors[1].fields[1] : vocabulary.frameEntry.constructors[1].fields[1]
            return try z3.and([z3.not(empty), field(entry)])
        case .pinned(let frame): return try z3.select(state.pinned, encode(frame))
        case .vcpuFlag(let component, let vm, let vcpu):
            return try z3.select(z3.select(state.array(of: component), encode(vm)), encode(vcpu))
        case .walkCached(let vm, let vcpu, let frame):
            return try z3.select(z3.select(z3.select(state.walkCache, encode(vm)), encode(vcpu)), encode(frame))
        case .running(let frame, let rule, let steps):
            // Written from 1, as in the rule; progress codes count the next step from 0.
            return try state.progress(of: encode(frame), rule: rule, nextStep: steps.map { Array(($0.lowerBound - 1)...($0.upperBound - 1)) },
                                      in: vocabulary)
        }
    }

    /// Over a bounded vocabulary: every assignment of values to the variables
    /// (nil unbounded).
    func boundedValues(_ variables: [(name: String, sort: ProofSort)]) throws(Z3Error) -> [[Z3Term]]? {
        var assignments: [[Z3Term]] = [[]]
        for variable in variables {
            let values: [Z3Term]? = switch variable.sort {
            case .frame: try vocabulary.everyValue(.frame)
            case .vm: try vocabulary.everyValue(.vm)
            case .gpage: try vocabulary.everyValue(.gpage)
            case .page: try vocabulary.everyPage()
            case .vcpu: try vocabulary.everyVCPU()
            case .ownership: nil
            }
            guard let values else { return nil }
            assignments = assignments.flatMap { prefix in values.map { prefix + [$0] } }
        }
        return assignments
    }

    /// A map's entry: the entry, whether it is empty, and what it names (any
    /// value when empty).
    mutating func read(_ entries: EntryMap, vm: Term, indices: [Term]) throws(Z3Error) -> (entry: Z3Term, empty: Z3Term, target: Z3Term) {
        var entry = try z3.select(state.array(of: entries.component), encode(vm))
        for index in indices { entry = try z3.select(entry, encode(index)) }
        let datatype = try vocabulary.datatype(of: entries.component.value, rootTarget: model.scheme.features.guestTablesName)
        return (entry, try datatype.constructors[0].test(entry), try datatype.constructors[1].fields[0](entry))
    }

    mutating func encode(_ term: Term) throws(Z3Error) -> Z3Term {
        let ownership = vocabulary.ownership.constructors
        switch term {
        case .variable(let name, _):
            guard let constant = bound.last(where: { $0.name == name })?.constant else { throw Z3Error(message: "unbound variable '\(name)'") }
            return constant
        case .literal(let sort, let index):
            switch sort {
            case .frame: return try vocabulary.literal(.frame, index)
            case .vm: return try vocabulary.literal(.vm, index)
            case .gpage: return try vocabulary.literal(.gpage, index)
            case .page: return try vocabulary.pageLiteral(index)
            case .vcpu: return try vocabulary.vcpuLiteral(index)
            case .ownership: throw Z3Error(message: "no ownership literals")
            }
        case .free: return try ownership[0].make()
        case .host: return try ownership[1].make()
        case .owned(let vm): return try ownership[2].make(encode(vm))
        case .ownedReadOnly(let vm): return try ownership[3].make(encode(vm))
        case .owner(let frame): return try z3.select(state.owner, encode(frame))
        case .tag(let frame): return try z3.select(state.tag, encode(frame))
        case .writer(let frame): return try z3.select(state.writer, encode(frame))
        case .rmp(let frame):
            let entry = try z3.select(state.rmp, encode(frame)), assigned = vocabulary.reverseMapEntry.constructors[1]
            return try z3.ite(assigned.test(entry), ownership[2].make(assigned.fields[0](entry)), ownership[0].make())
        case .target(let entries, let vm, let indices):
            return try read(entries, vm: vm, indices: indices).target
        case .argument(let rule, let parameter, let frame):
            return try state.argument(model, rule: rule, parameter: model.rules[rule].parameters[parameter].name, of: encode(frame), in: vocabulary)
        }
    }
}
