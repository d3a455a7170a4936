import Foundation
internal import Yams

/// A configuration as a YAML node tree: how partial files and `--set` overrides are applied to a
/// typed config without hand-written decoding.
///
/// The defaults (`Config()`) are encoded to a tree; a file's tree is merged onto it and overrides
/// are assigned into it, every value checked against the kind of the default it replaces (so a
/// missing key keeps its default, an unknown key is rejected with the valid ones, and a string
/// where a number belongs is rejected with the expected type); then the tree decodes to the
/// struct with its synthesized `Decodable`.
struct ConfigTree {
    private(set) var root: Node

    /// The tree of `value`, as `YAMLEncoder` writes it.
    init(encoding value: some Encodable) throws {
        guard let node = try Yams.compose(yaml: try YAMLEncoder().encode(value)) else {
            throw ConfigError(problems: ["the configuration encodes to nothing"])
        }
        root = Self.withPlainNumbers(node)
    }

    /// `node` with floating-point numbers in Swift's shortest round-trip form (0.1, 1e-05)
    /// instead of YAMLEncoder's scientific notation for all (1e-1), so written configs read well.
    private static func withPlainNumbers(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar):
            guard Resolver.default.resolveTag(of: node) == .float, let value = Double.construct(from: scalar) else { return node }
            let text = value.isNaN ? ".nan" : value.isInfinite ? (value < 0 ? "-.inf" : ".inf") : "\(value)"
            return Node(text, Tag(.float))
        case .mapping(let mapping):
            return Node(mapping.map { ($0.key, withPlainNumbers($0.value)) }, mapping.tag, mapping.style)
        case .sequence(let sequence):
            return Node(sequence.map(withPlainNumbers), sequence.tag, sequence.style)
        case .alias:
            return node
        }
    }

    /// Merges the YAML `text` (named `source` in problems) onto the tree.
    mutating func merge(yaml text: String, source: String, _ problems: inout ConfigProblems) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            problems.add("\(source) is not valid YAML: \(error)")
            return
        }
        guard let node else { return }  // an empty file changes nothing
        guard node.mapping != nil else {
            problems.add("\(source) must be a mapping of keys (\(Self.keyList(root))), not \(Self.describe(node))")
            return
        }
        root = Self.merged(node, onto: root, at: [], &problems)
    }

    /// Applies one `key.path=value` override. The value is YAML (`[1, 2]`, `1e-3`, `true`),
    /// except where the default is a string: then it is taken verbatim.
    mutating func assign(_ assignment: String, _ problems: inout ConfigProblems) {
        guard let equals = assignment.firstIndex(of: "=") else {
            problems.add("--set expects key=value, got '\(assignment)'")
            return
        }
        let key = String(assignment[..<equals])
        let text = String(assignment[assignment.index(after: equals)...])
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty) else {
            problems.add("--set key '\(key)' is not a dotted key path (valid keys: \(Self.keyList(root)))")
            return
        }
        root = Self.assigning(text, at: path[...], in: root, done: [], &problems)
    }

    /// Decodes the tree; a value the type rejects (an enum case that does not exist, a number out
    /// of range, a null for a non-optional) becomes a problem.
    func decode<Config: Decodable>(_ type: Config.Type, _ problems: inout ConfigProblems) -> Config? {
        do {
            return try YAMLDecoder().decode(type, from: root)
        } catch let error as DecodingError {
            problems.add(Self.describe(error))
        } catch {
            problems.add("\(error)")
        }
        return nil
    }

    /// Every scalar or list whose value differs between two trees, as "key: old → new".
    func differences(from other: ConfigTree) -> [(key: String, change: String)] {
        var found: [(String, String)] = []
        Self.collectDifferences(root, other.root, at: [], into: &found)
        return found
    }

    /// The tree as YAML text.
    func yaml() throws -> String {
        try Yams.serialize(node: root)
    }

    // MARK: Merging

    private static func merged(_ value: Node, onto base: Node, at path: [String], _ problems: inout ConfigProblems) -> Node {
        let key = path.joined(separator: ".")
        switch (kind(of: base), value) {
        case (.mapping, .mapping(let given)):
            var pairs = base.mapping!.map { ($0.key, $0.value) }
            for (childKey, childValue) in given {
                guard let name = childKey.string, let index = pairs.firstIndex(where: { $0.0.string == name }) else {
                    let scope = key.isEmpty ? "" : " under \(key)"
                    problems.add(
                        dotted(path + [childKey.string ?? "?"]),
                        "unknown key (valid keys\(scope): \(keyList(base)))")
                    continue
                }
                pairs[index].1 = merged(childValue, onto: pairs[index].1, at: path + [name], &problems)
            }
            return Node(pairs, base.tag, base.mapping!.style)
        case (.mapping, _) where kind(of: value) == .null:
            return base  // `section:` with every key commented out keeps the defaults
        case (.list, .sequence(let given)):
            // Elements are checked (and completed) against the default list's first element.
            guard let prototype = base.sequence!.first else { return value }
            let elements = given.enumerated().map { i, element in
                merged(element, onto: prototype, at: path + [String(i)], &problems)
            }
            return Node(elements, base.tag, base.sequence!.style)
        case (let expected, _):
            guard accepts(expected, value) else {
                problems.add(key, "expected \(describe(expected, base)), found \(describe(value))")
                return base
            }
            return value
        }
    }

    private static func assigning(
        _ text: String, at path: ArraySlice<String>, in base: Node, done: [String], _ problems: inout ConfigProblems
    ) -> Node {
        guard let name = path.first else {
            if kind(of: base) == .string { return Node(text, Tag(.str)) }
            let value: Node
            do {
                guard let parsed = try Yams.compose(yaml: text) else {
                    problems.add(dotted(done), "no value given (--set \(dotted(done))=VALUE)")
                    return base
                }
                value = parsed
            } catch {
                problems.add(dotted(done), "'\(text)' is not a YAML value: \(error)")
                return base
            }
            return merged(value, onto: base, at: done, &problems)
        }
        switch base {
        case .mapping(let mapping):
            guard let index = mapping.firstIndex(where: { $0.key.string == name }) else {
                let scope = done.isEmpty ? "" : " under \(dotted(done))"
                problems.add(dotted(done + [name]), "unknown key (valid keys\(scope): \(keyList(base)))")
                return base
            }
            var pairs = mapping.map { ($0.key, $0.value) }
            pairs[index].1 = assigning(text, at: path.dropFirst(), in: pairs[index].1, done: done + [name], &problems)
            return Node(pairs, base.tag, mapping.style)
        case .sequence(let sequence):
            guard let index = Int(name), sequence.indices.contains(index) else {
                problems.add(dotted(done + [name]), "\(dotted(done)) is a list of \(sequence.count); use an index 0..<\(sequence.count)")
                return base
            }
            var elements = Array(sequence)
            elements[index] = assigning(text, at: path.dropFirst(), in: elements[index], done: done + [name], &problems)
            return Node(elements, base.tag, sequence.style)
        default:
            problems.add(dotted(done + [name]), "\(dotted(done)) is \(describe(kind(of: base), base)), which has no keys")
            return base
        }
    }

    // MARK: Kinds

    enum Kind: Equatable {
        case bool, integer, number, string, null, list, mapping
    }

    private static func kind(of node: Node) -> Kind {
        switch node {
        case .mapping: return .mapping
        case .sequence: return .list
        case .scalar, .alias:
            switch Resolver.default.resolveTag(of: node) {
            case .bool: return .bool
            case .int: return .integer
            case .float: return .number
            case .null: return .null
            default: return .string
            }
        }
    }

    /// Whether `value` may replace a default of kind `expected`.
    private static func accepts(_ expected: Kind, _ value: Node) -> Bool {
        let given = kind(of: value)
        // A null default (an optional encoded as nil) takes anything and a null may replace
        // anything: the decoder then checks the type (nil is fine for optionals only).
        if expected == .null || given == .null { return true }
        switch expected {
        case .number: return given == .number || given == .integer
        case .string: return value.scalar != nil
        default: return given == expected
        }
    }

    private static func describe(_ expected: Kind, _ base: Node) -> String {
        switch expected {
        case .bool: "true or false"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .null: "any value"
        case .list: "a list"
        case .mapping: "a mapping with keys \(keyList(base))"
        }
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }

    private static func keyList(_ mapping: Node) -> String {
        (mapping.mapping?.keys.compactMap(\.string) ?? []).joined(separator: ", ")
    }

    private static func dotted(_ path: [String]) -> String { path.joined(separator: ".") }

    // MARK: Differences and decoding errors

    private static func collectDifferences(_ a: Node, _ b: Node, at path: [String], into found: inout [(String, String)]) {
        if let left = a.mapping, let right = b.mapping {
            var keys = Array(left.keys.compactMap(\.string))
            keys += right.keys.compactMap(\.string).filter { !keys.contains($0) }
            for key in keys {
                switch (left[key], right[key]) {
                case (let x?, let y?): collectDifferences(x, y, at: path + [key], into: &found)
                case (let x?, nil): found.append((dotted(path + [key]), "\(flow(x)) → (absent)"))
                case (nil, let y?): found.append((dotted(path + [key]), "(absent) → \(flow(y))"))
                case (nil, nil): break
                }
            }
        } else if flow(a) != flow(b) {
            found.append((dotted(path), "\(flow(a)) → \(flow(b))"))
        }
    }

    /// A node on one line (YAML flow style).
    private static func flow(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .sequence(let sequence): return "[" + sequence.map(flow).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.map { "\($0.key.string ?? "?"): \(flow($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return "*alias"
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func key(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "(top level)" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            // The text passed as a number (accepts(_:_:)), so the value does not fit the type.
            let range = type == Int.self ? " from \(Int.min) to \(Int.max)" : ""
            return "\(key(context.codingPath)): expected \(type == Int.self ? "an integer" : "\(type)")\(range)"
        case .valueNotFound(let type, let context): return "\(key(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let missing, let context): return "\(key(context.codingPath + [missing])): missing"
        case .dataCorrupted(let context): return "\(key(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
