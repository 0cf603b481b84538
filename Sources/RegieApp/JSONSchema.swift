import Foundation

/// A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as the JSON object it is.
typealias JSONSchema = [String: Any]

/// A response body that describes its own JSON as a schema, beside its `Encodable`
/// conformance: the OpenAPI document publishes it under `components/schemas`, and the
/// contract tests hold every route's real answers to it with an independent validator.
protocol JSONSchemaDescribed: Encodable {
    /// Its name under `components/schemas`: the Dutch name the API speaks.
    static var schemaName: String { get }
    /// The schema of what its `encode(to:)` writes.
    static var jsonSchema: JSONSchema { get }
}

/// The building blocks of the response schemas. An object lists its fields as required or
/// optional: an optional field (a Swift optional, which the encoder leaves out when nil) is
/// also declared nullable, so a client accepts both forms. Objects admit no other fields:
/// a field added to a response type without its schema fails the contract tests.
enum Schema {
    static var string: JSONSchema { ["type": "string"] }
    static var text: JSONSchema { ["type": "string", "minLength": 1] }
    static var dateTime: JSONSchema { ["type": "string", "format": "date-time"] }
    static var date: JSONSchema { ["type": "string", "format": "date"] }
    static var uuid: JSONSchema { ["type": "string", "format": "uuid"] }
    static var boolean: JSONSchema { ["type": "boolean"] }
    static var gemeentecode: JSONSchema { ["type": "string", "pattern": "^GM[0-9]{4}$"] }
    static var sha256: JSONSchema { ["type": "string", "pattern": "^[0-9a-fA-F]{64}$"] }
    /// A count: a whole number from 0.
    static var count: JSONSchema { integer(minimum: 0) }
    /// A share from 0 to 1.
    static var share: JSONSchema { ["type": "number", "minimum": 0, "maximum": 1] }
    /// A reporting period: `2026-03`, `2026-Q1`, `2026-H1` or `2026`.
    static var periode: JSONSchema { ["type": "string", "pattern": "^[0-9]{4}(-([0-9]{2}|Q[1-4]|H[12]))?$"] }

    static func integer(minimum: Int? = nil, maximum: Int? = nil, format: String = "int64") -> JSONSchema {
        var schema: JSONSchema = ["type": "integer", "format": format]
        if let minimum { schema["minimum"] = minimum }
        if let maximum { schema["maximum"] = maximum }
        return schema
    }

    static func enumeration(_ values: [String]) -> JSONSchema {
        ["type": "string", "enum": values]
    }

    static func array(_ items: JSONSchema) -> JSONSchema {
        ["type": "array", "items": items]
    }

    /// An object whose keys are data (`{"VS": "xxllnc"}`), every value of one schema.
    static func map(_ values: JSONSchema, keys: JSONSchema? = nil) -> JSONSchema {
        var schema: JSONSchema = ["type": "object", "additionalProperties": values]
        if let keys { schema["propertyNames"] = keys }
        return schema
    }

    /// The schema, or null.
    static func nullable(_ schema: JSONSchema) -> JSONSchema {
        if let type = schema["type"] as? String, schema["enum"] == nil {
            var copy = schema
            copy["type"] = [type, "null"]
            return copy
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    /// A reference to a described type's component.
    static func ref(_ type: any JSONSchemaDescribed.Type) -> JSONSchema {
        ["$ref": "#/components/schemas/\(type.schemaName)"]
    }

    /// A reference to a component by name.
    static func ref(_ name: String) -> JSONSchema {
        ["$ref": "#/components/schemas/\(name)"]
    }

    /// An object of `required` fields and `optional` (nullable) ones, admitting no others.
    static func object(_ required: [String: JSONSchema], optional: [String: JSONSchema] = [:], description: String? = nil)
        -> JSONSchema
    {
        var properties = required
        for (name, schema) in optional { properties[name] = nullable(schema) }
        var schema: JSONSchema = [
            "type": "object", "properties": properties, "required": required.keys.sorted(), "additionalProperties": false,
        ]
        if let description { schema["description"] = description }
        return schema
    }

    /// An object schema with `required` and `optional` fields added: the schema of a type that
    /// encodes another one flat and adds its own keys (`{...levering, "pogingHistorie": [...]}`).
    static func extending(
        _ base: JSONSchema, _ required: [String: JSONSchema], optional: [String: JSONSchema] = [:], description: String? = nil
    ) -> JSONSchema {
        let added = object(required, optional: optional)
        var schema = base
        var properties = base["properties"] as? [String: Any] ?? [:]
        for (name, value) in added["properties"] as? [String: Any] ?? [:] { properties[name] = value }
        schema["properties"] = properties
        schema["required"] = ((base["required"] as? [String] ?? []) + required.keys).sorted()
        if let description { schema["description"] = description }
        return schema
    }
}
