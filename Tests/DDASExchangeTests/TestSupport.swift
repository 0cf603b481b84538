import DDASExchange
import Foundation
import Testing

/// The exchange models the project ships (`Exchange/` at the package root).
var schemaDirectory: URL {
    get throws {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Exchange")
    }
}

/// The compiled model of a stream at its shipped version.
func shippedModel(_ stream: ExchangeStroom) throws -> ExchangeModel {
    let version = try #require(ExchangeModelVersion(stream == .vroegsignalering ? "1.2" : "1.0"))
    return try ExchangeSchemas(directory: schemaDirectory).model(stream, version: version)
}

/// Parses JSON text written in a test.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Array(text.utf8))
}

/// What a test compares of a violation: where, which keyword, and the rule's location.
struct Found: Hashable, CustomStringConvertible {
    let pointer: String
    let keyword: SchemaKeyword
    let location: String

    init(_ pointer: String, _ keyword: SchemaKeyword, _ location: String) {
        self.pointer = pointer
        self.keyword = keyword
        self.location = location
    }

    init(_ violation: SchemaViolation) {
        self.init(violation.instancePointer, violation.keyword, violation.keywordLocation)
    }

    var description: String { "\(pointer) \(keyword.rawValue) \(location)" }
}

/// Compiles `schema` (JSON text) and validates `instance` (JSON text) against it.
func violations(schema: String, instance: String, options: SchemaValidationOptions = .init()) throws -> [Found] {
    let compiled = try JSONSchema(json(schema))
    return compiled.validate(try json(instance), options: options).violations.map(Found.init)
}

extension JSONValue {
    /// A copy with the value at `pointer` replaced (or added to an object, or appended to an
    /// array with the index `-`), or removed when `newValue` is nil.
    func replacing(_ pointer: String, with newValue: JSONValue?) -> JSONValue {
        guard let tokens = JSONPointer.tokens(of: pointer) else { return self }
        return Self.replacing(tokens[...], in: self, with: newValue)
    }

    private static func replacing(_ tokens: ArraySlice<String>, in value: JSONValue, with newValue: JSONValue?)
        -> JSONValue
    {
        guard let token = tokens.first else { return newValue ?? .null }
        let rest = tokens.dropFirst()
        switch value {
        case .object(let object):
            var members = object.members
            if let index = members.firstIndex(where: { $0.key == token }) {
                if rest.isEmpty, newValue == nil {
                    members.remove(at: index)
                } else {
                    members[index] = .init(key: token, value: replacing(rest, in: members[index].value, with: newValue))
                }
            } else if rest.isEmpty, let newValue {
                members.append(.init(key: token, value: newValue))
            }
            return JSONObject(members).map(JSONValue.object) ?? value
        case .array(var elements):
            if token == "-", rest.isEmpty, let newValue {
                elements.append(newValue)
            } else if let index = Int(token), elements.indices.contains(index) {
                if rest.isEmpty, newValue == nil {
                    elements.remove(at: index)
                } else {
                    elements[index] = replacing(rest, in: elements[index], with: newValue)
                }
            }
            return .array(elements)
        default:
            return value
        }
    }
}
