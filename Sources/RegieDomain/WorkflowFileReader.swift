import Foundation
import Yams

/// Reads the nodes of one workflow file and collects every problem with its line, so a file
/// is refused once, with all that is wrong with it.
struct WorkflowFileReader {
    /// A value read from the file, with the line it stands on.
    struct Located<Value> {
        let value: Value
        let line: Int
    }

    /// A mapping's entry: the key's line (for problems about the key) and the value node.
    struct Entry {
        let keyLine: Int
        let value: Node
    }

    let file: String
    private(set) var problems: [WorkflowDefinition.Problem] = []

    init(file: String) {
        self.file = file
    }

    /// The 1-based line a node starts on.
    static func line(of node: Node) -> Int {
        node.mark?.line ?? 1
    }

    mutating func report(_ line: Int?, _ reason: String) {
        problems.append(WorkflowDefinition.Problem(file: file, line: line, reason: reason))
    }

    /// The root node of `yaml`; nil (and a problem) when the text is not one YAML document.
    mutating func root(of yaml: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: yaml) else {
                report(1, "the file is empty")
                return nil
            }
            return root
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                report(mark.line, "not valid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                report(context.mark.line, "the key \(keys) appears more than once in one mapping")
            default:
                report(nil, "not valid YAML: \(error)")
            }
            return nil
        } catch {
            report(nil, "not valid YAML: \(error)")
            return nil
        }
    }

    /// The entries of a mapping by key; every key outside `known` is a problem. Nil (and a
    /// problem) when the node is not a mapping.
    mutating func entries(of node: Node, known: [String], in what: String) -> [String: Entry]? {
        guard case .mapping(let mapping) = node else {
            report(Self.line(of: node), "\(what) must be a mapping with the keys \(known.joined(separator: ", "))")
            return nil
        }
        var entries: [String: Entry] = [:]
        for (key, value) in mapping {
            let keyLine = Self.line(of: key)
            guard case .scalar(let scalar) = key, known.contains(scalar.string) else {
                report(keyLine, "unknown key '\(key.string ?? "?")' in \(what); known keys: \(known.joined(separator: ", "))")
                continue
            }
            entries[scalar.string] = Entry(keyLine: keyLine, value: value)
        }
        return entries
    }

    /// The entry `key` of `entries`; a problem at `line` when it is missing.
    mutating func required(_ key: String, of entries: [String: Entry], line: Int, in what: String) -> Entry? {
        guard let entry = entries[key] else {
            report(line, "\(what) has no '\(key)'")
            return nil
        }
        return entry
    }

    /// A scalar's text; nil (and a problem) for a list, a mapping or an empty value.
    mutating func text(_ node: Node, what: String) -> Located<String>? {
        guard case .scalar(let scalar) = node, node.null == nil else {
            report(Self.line(of: node), "\(what) must be a single value")
            return nil
        }
        return Located(value: scalar.string, line: Self.line(of: node))
    }

    /// A state's name: lowercase letters, digits and underscores, starting with a letter.
    mutating func name(_ node: Node, what: String) -> Located<String>? {
        guard let text = text(node, what: what) else { return nil }
        let utf8 = text.value.utf8
        let valid =
            utf8.first.map { (97...122).contains($0) } == true
            && utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
        guard valid else {
            report(text.line, "'\(text.value)' is not a valid name for \(what): use lowercase letters, digits and underscores")
            return nil
        }
        return text
    }

    /// The items of a list; an empty value is an empty list. Nil (and a problem) otherwise.
    mutating func list(_ node: Node, what: String) -> [Node]? {
        if case .sequence(let sequence) = node { return Array(sequence) }
        if node.null != nil { return [] }
        report(Self.line(of: node), "\(what) must be a list")
        return nil
    }

    /// The values of list items naming members of a closed set, each unknown one a problem.
    mutating func closed<Value>(
        _ items: [Node], what: String, known: [Value], name: (Value) -> String
    ) -> [Located<Value>] {
        var values: [Located<Value>] = []
        for item in items {
            guard let text = text(item, what: "a \(what)") else { continue }
            guard let value = known.first(where: { name($0) == text.value }) else {
                report(text.line, "unknown \(what) '\(text.value)'; known: \(known.map(name).joined(separator: ", "))")
                continue
            }
            values.append(Located(value: value, line: text.line))
        }
        return values
    }

    /// A list of roles; nil (and a problem) when the node is not a list.
    mutating func roles(_ node: Node, what: String) -> [WorkflowRole]? {
        guard let items = list(node, what: what) else { return nil }
        return closed(items, what: "role", known: WorkflowRole.allCases, name: \.rawValue).map(\.value)
    }
}
