import Foundation

/// A JSON Schema (draft 2020-12) compiled once for validating many documents.
///
/// It asserts `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `oneOf`, `anyOf`, `allOf`, `not`, `$ref` (within the document) with `$defs`,
/// `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength` (in code points),
/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` and `format` (`date`,
/// `date-time`, `time`, `email`: asserted, not just annotated). Annotations are ignored; any
/// other keyword makes compilation fail, so that a new schema version that relies on one is
/// noticed instead of being half-checked.
public struct JSONSchema: Sendable {
    /// The compiled schema objects; node 0 is the root.
    let nodes: [SchemaNode]
    /// The JSON pointers that checks report, by index.
    let keywordLocations: [String]
    /// Every property name the schema knows (in `properties` or `required` anywhere), by id:
    /// read a document with this table and its members match properties by integer.
    public let keys: JSONKeyTable

    /// The schema's `$id`, when it has one.
    public let id: String?
    /// The node of each subschema, by its location in the schema document.
    let nodeByLocation: [String: Int]

    /// Compiles a schema document.
    public init(_ document: JSONValue, options: SchemaCompileOptions = .init()) throws(SchemaCompileError) {
        var compiler = SchemaCompiler(root: document, options: options)
        let compiled = try compiler.compile()
        var names: [String] = []
        for node in compiled {
            for case .object(let rule) in node.checks { names += rule.names }
        }
        let keys = JSONKeyTable(names)
        self.keys = keys
        nodes = compiled.map { node in
            SchemaNode(
                checks: node.checks.map { check in
                    if case .object(let rule) = check { .object(rule.keyed(by: keys)) } else { check }
                })
        }
        keywordLocations = compiler.keywordLocations
        id = compiler.rootID
        nodeByLocation = compiler.indexByLocation
    }

    /// Reads and compiles a schema document from JSON bytes.
    public init(jsonBytes: Data, options: SchemaCompileOptions = .init()) throws(SchemaCompileError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: jsonBytes)
        } catch {
            throw SchemaCompileError(.invalidJSON, at: "")
        }
        try self.init(document, options: options)
    }

    /// Validates a document: every violation is counted, the first `maxViolations` are kept.
    public func validate(_ instance: JSONValue, options: SchemaValidationOptions = .init()) -> SchemaValidationResult {
        validate(Self.tape(of: instance).root, options: options)
    }

    /// Validates a document on a tape (read with ``keys`` or any other table): every
    /// violation is counted, the first `maxViolations` are kept, and the violations inside
    /// elements of nested arrays are counted per element (``SchemaValidationResult/countsByRecord``).
    public func validate(_ instance: JSONTapeValue, options: SchemaValidationOptions = .init()) -> SchemaValidationResult {
        run(instance, node: 0, options: options)
    }

    /// Validates `instance` against the subschema at `location` in the schema document
    /// (`/properties/leveringen/items/properties/vroegsignalen/items`), as the whole document's
    /// validation would validate it there; pointers are relative to `instance`. Nil when the
    /// schema has no subschema at `location`.
    public func validate(
        _ instance: JSONValue, subschemaAt location: String, options: SchemaValidationOptions = .init()
    ) -> SchemaValidationResult? {
        validate(Self.tape(of: instance).root, subschemaAt: location, options: options)
    }

    /// Validates `instance` on a tape against the subschema at `location` (see
    /// ``validate(_:subschemaAt:options:)-(JSONValue,_,_)``).
    public func validate(
        _ instance: JSONTapeValue, subschemaAt location: String, options: SchemaValidationOptions = .init()
    ) -> SchemaValidationResult? {
        guard let node = nodeByLocation[location] else { return nil }
        return run(instance, node: node, options: options)
    }

    /// Whether a document satisfies the schema; stops at the first violation.
    public func accepts(_ instance: JSONValue) -> Bool {
        accepts(Self.tape(of: instance).root)
    }

    /// Whether a document on a tape satisfies the schema; stops at the first violation.
    public func accepts(_ instance: JSONTapeValue) -> Bool {
        var run = SchemaValidationRun(
            nodes: nodes, keywordLocations: keywordLocations, keys: keys, tape: instance.tape, options: .init())
        return run.probe(instance, node: 0)
    }

    private func run(_ instance: JSONTapeValue, node: Int, options: SchemaValidationOptions) -> SchemaValidationResult {
        var run = SchemaValidationRun(
            nodes: nodes, keywordLocations: keywordLocations, keys: keys, tape: instance.tape, options: options)
        _ = run.validate(instance, node: node)
        return SchemaValidationResult(
            violations: run.violations, totalViolationCount: run.totalCount, countsByKeywordLocation: run.countsByLocation,
            countsByRecord: run.countsByRecord)
    }

    /// A tree written out and read back as a tape, for validating trees with the one validator.
    private static func tape(of instance: JSONValue) -> JSONTape {
        do {
            return try JSONTape(parsing: instance.jsonBytes(), options: JSONParseOptions(maxDepth: .max))
        } catch {
            // A tree always writes strict JSON (distinct keys, finite numbers, valid UTF-8).
            preconditionFailure("a JSONValue wrote JSON that does not read back: \(error.code)")
        }
    }
}
