/// Why a schema document cannot be compiled: a stable code, where in the schema (a JSON
/// pointer), and the keyword concerned. A schema that uses anything this validator does not
/// assert is refused rather than half-checked.
public struct SchemaCompileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The schema text is not JSON.
        case invalidJSON = "invalid_json"
        /// A schema position holds something other than an object or a Boolean.
        case notASchema = "not_a_schema"
        /// A keyword this validator does not assert (`pattern`, `if`, `prefixItems`, …).
        case unsupportedKeyword = "unsupported_keyword"
        /// A word that is not a JSON Schema 2020-12 keyword nor an allowed annotation.
        case unknownKeyword = "unknown_keyword"
        /// A keyword whose value has the wrong form (`minItems: -1`, `required: "a"`).
        case invalidKeywordValue = "invalid_keyword_value"
        /// A `format` this validator cannot assert.
        case unknownFormat = "unknown_format"
        /// A `$ref` to a location that is not in the document.
        case unresolvableReference = "unresolvable_reference"
        /// A `$ref` to another document.
        case externalReference = "external_reference"
        /// `$ref`, `allOf`, `anyOf`, `oneOf` or `not` that lead back to the same schema
        /// without descending into the document: validation would never end.
        case referenceCycle = "reference_cycle"
    }

    /// What is wrong.
    public let code: Code
    /// Where in the schema document, as a JSON pointer (`""` for the root).
    public let location: String
    /// The keyword concerned, when there is one.
    public let keyword: String?

    /// An error.
    public init(_ code: Code, at location: String, keyword: String? = nil) {
        self.code = code
        self.location = location
        self.keyword = keyword
    }

    public var description: String {
        let place = location.isEmpty ? "the schema root" : "schema location \(location)"
        let subject = keyword.map { "'\($0)'" } ?? "the schema"
        let reason =
            switch code {
            case .invalidJSON: "the schema is not valid JSON"
            case .notASchema: "\(place) is neither an object nor a Boolean"
            case .unsupportedKeyword: "\(subject) at \(place) is not supported by this validator"
            case .unknownKeyword: "\(subject) at \(place) is not a JSON Schema 2020-12 keyword"
            case .invalidKeywordValue: "\(subject) at \(place) has a value of the wrong form"
            case .unknownFormat: "the format at \(place) cannot be asserted by this validator"
            case .unresolvableReference: "the $ref at \(place) points to nothing in the document"
            case .externalReference: "the $ref at \(place) points outside the document"
            case .referenceCycle: "the $ref at \(place) leads back to itself without descending"
            }
        return "schema not usable: \(reason) (\(code.rawValue))"
    }
}

/// Choices for compiling a schema.
public struct SchemaCompileOptions: Sendable, Hashable {
    /// More keywords to treat as annotations (ignored), on top of `title`, `description`,
    /// `$schema`, `$id` (root only), `$comment`, `examples`, `default`, `deprecated`,
    /// `readOnly` and `writeOnly`. Anything else unknown makes compilation fail.
    public var ignoredKeywords: Set<String>

    /// Options.
    public init(ignoredKeywords: Set<String> = []) {
        self.ignoredKeywords = ignoredKeywords
    }
}
