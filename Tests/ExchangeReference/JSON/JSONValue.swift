/// A JSON value as read from an exchange payload (RFC 8259).
///
/// Objects keep their members in document order; strings compare by Unicode code points, not
/// by canonical equivalence; numbers compare by mathematical value (`1` equals `1.0`), as JSON
/// Schema requires for `enum`, `const` and `uniqueItems`.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, integer or not.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)
}

extension JSONValue {
    /// The JSON type of this value, as JSON Schema's `type` keyword names it (`integer` is a
    /// number whose fractional part is zero).
    public var kind: JSONKind {
        switch self {
        case .null: .null
        case .bool: .boolean
        case .number(let number): number.isInteger ? .integer : .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let number) = self { number } else { nil }
    }

    /// The exact integer, when this is a number with a zero fractional part that fits in 64 bits.
    public var integerValue: Int64? { numberValue?.integerValue }

    /// The Boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { flag } else { nil }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    /// The value of member `key`, when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// The type of a JSON value, named as in JSON Schema's `type` keyword.
public enum JSONKind: String, Sendable, Hashable, CaseIterable {
    /// `null`.
    case null
    /// `true` or `false`.
    case boolean
    /// An object.
    case object
    /// An array.
    case array
    /// A number with a non-zero fractional part.
    case number
    /// A number with a zero fractional part.
    case integer
    /// A string.
    case string
}
