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

    /// The schema's `$id`, when it has one.
    public let id: String?
    /// The node of each subschema, by its location in the schema document.
    let nodeByLocation: [String: Int]

    /// Compiles a schema document.
    public init(_ document: JSONValue, options: SchemaCompileOptions = .init()) throws(SchemaCompileError) {
        var compiler = SchemaCompiler(root: document, options: options)
        nodes = try compiler.compile()
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
        var run = SchemaValidationRun(nodes: nodes, keywordLocations: keywordLocations, options: options)
        _ = run.validate(instance, node: 0)
        return SchemaValidationResult(
            violations: run.violations, totalViolationCount: run.totalCount, countsByKeywordLocation: run.countsByLocation)
    }

    /// Validates `instance` against the subschema at `location` in the schema document
    /// (`/properties/leveringen/items/properties/vroegsignalen/items`), as the whole document's
    /// validation would validate it there; pointers are relative to `instance`. Nil when the
    /// schema has no subschema at `location`.
    public func validate(
        _ instance: JSONValue, subschemaAt location: String, options: SchemaValidationOptions = .init()
    ) -> SchemaValidationResult? {
        guard let node = nodeByLocation[location] else { return nil }
        var run = SchemaValidationRun(nodes: nodes, keywordLocations: keywordLocations, options: options)
        _ = run.validate(instance, node: node)
        return SchemaValidationResult(
            violations: run.violations, totalViolationCount: run.totalCount, countsByKeywordLocation: run.countsByLocation)
    }

    /// Whether a document satisfies the schema; stops at the first violation.
    public func accepts(_ instance: JSONValue) -> Bool {
        var run = SchemaValidationRun(nodes: nodes, keywordLocations: keywordLocations, options: .init())
        return run.probe(instance, node: 0)
    }
}
