import Foundation

/// Turns a schema document into ``SchemaNode``s: one node per schema object reached from the
/// root (through subschema keywords, `$defs` and `$ref`), each compiled once, `$ref` resolved
/// to a node index so that recursive schemas need no lookup while validating.
struct SchemaCompiler {
    /// The schema document.
    let root: JSONValue
    /// The root `$id`, which a `$ref` may put before its fragment.
    let rootID: String?
    /// Extra words treated as annotations.
    let ignoredKeywords: Set<String>
    /// The node of each schema location compiled so far (`/properties/leveringen/items`).
    private(set) var indexByLocation: [String: Int] = [:]
    private var locations: [String] = []
    private var compiled: [SchemaNode?] = []
    /// Per node: the nodes that apply to the same instance (`$ref`, `allOf`, `anyOf`,
    /// `oneOf`, `not`); a cycle among these would never end.
    private var inPlaceEdges: [[Int]] = []
    private var pending: [(index: Int, schema: JSONValue)] = []
    /// The JSON pointers of the keywords that checks report; entry 0 is the root, `""`.
    private(set) var keywordLocations: [String] = [""]

    /// A compiler for one schema document.
    init(root: JSONValue, options: SchemaCompileOptions) {
        self.root = root
        rootID = root["$id"]?.stringValue
        ignoredKeywords = options.ignoredKeywords
    }

    /// The compiled nodes; node 0 is the root.
    mutating func compile() throws(SchemaCompileError) -> [SchemaNode] {
        _ = try node(for: root, at: "")
        while let next = pending.popLast() {
            compiled[next.index] = try compileSchema(next.schema, at: locations[next.index], index: next.index)
        }
        try checkForCycles()
        return compiled.map { $0 ?? SchemaNode(checks: []) }
    }

    /// The node index for the schema at `location`, compiled later when new.
    mutating func node(for schema: JSONValue, at location: String) throws(SchemaCompileError) -> Int {
        if let index = indexByLocation[location] { return index }
        let index = compiled.count
        indexByLocation[location] = index
        locations.append(location)
        compiled.append(nil)
        inPlaceEdges.append([])
        pending.append((index, schema))
        return index
    }

    /// Registers the JSON pointer of a keyword; checks carry the returned index.
    mutating func keywordLocation(_ pointer: String) -> Int {
        keywordLocations.append(pointer)
        return keywordLocations.count - 1
    }

    /// Records that `target` applies to the same instance as `source`.
    mutating func addInPlaceEdge(from source: Int, to target: Int) {
        inPlaceEdges[source].append(target)
    }

    private mutating func compileSchema(_ schema: JSONValue, at location: String, index: Int) throws(SchemaCompileError)
        -> SchemaNode
    {
        switch schema {
        case .bool(true): return SchemaNode(checks: [])
        case .bool(false): return SchemaNode(checks: [.alwaysFalse(location: keywordLocation(location))])
        case .object(let object): return SchemaNode(checks: try compileKeywords(object, at: location, index: index))
        default: throw SchemaCompileError(.notASchema, at: location)
        }
    }

    /// The node for the target of a `$ref` written at `location`: `#`, `#/json/pointer`
    /// (with `~0`, `~1` and percent escapes), optionally behind the root's `$id`.
    mutating func resolveReference(_ reference: String, at location: String) throws(SchemaCompileError) -> Int {
        var text = reference
        if let rootID, !rootID.isEmpty, text.hasPrefix(rootID) {
            text = String(text.dropFirst(rootID.count))
            if text.isEmpty { text = "#" }
        }
        guard text.hasPrefix("#") else { throw SchemaCompileError(.externalReference, at: location, keyword: "$ref") }
        guard let fragment = String(text.dropFirst()).removingPercentEncoding,
            let tokens = JSONPointer.tokens(of: fragment)
        else { throw SchemaCompileError(.unresolvableReference, at: location, keyword: "$ref") }
        var target = root
        for token in tokens {
            switch target {
            case .object(let object):
                guard let next = object[token] else {
                    throw SchemaCompileError(.unresolvableReference, at: location, keyword: "$ref")
                }
                target = next
            case .array(let elements):
                guard let position = JSONPointer.arrayIndex(token), position < elements.count else {
                    throw SchemaCompileError(.unresolvableReference, at: location, keyword: "$ref")
                }
                target = elements[position]
            default:
                throw SchemaCompileError(.unresolvableReference, at: location, keyword: "$ref")
            }
        }
        return try node(for: target, at: JSONPointer.render(tokens.map(JSONPointer.Token.key)))
    }

    /// Refuses a cycle of in-place applicators (depth-first search without recursion).
    private func checkForCycles() throws(SchemaCompileError) {
        enum Mark { case unvisited, active, done }
        var marks = [Mark](repeating: .unvisited, count: inPlaceEdges.count)
        for start in inPlaceEdges.indices where marks[start] == .unvisited {
            var stack: [(node: Int, nextEdge: Int)] = [(start, 0)]
            marks[start] = .active
            while let top = stack.last {
                let edges = inPlaceEdges[top.node]
                if top.nextEdge == edges.count {
                    marks[top.node] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].nextEdge += 1
                let target = edges[top.nextEdge]
                switch marks[target] {
                case .active: throw SchemaCompileError(.referenceCycle, at: locations[top.node], keyword: "$ref")
                case .unvisited:
                    marks[target] = .active
                    stack.append((target, 0))
                case .done: break
                }
            }
        }
    }
}
