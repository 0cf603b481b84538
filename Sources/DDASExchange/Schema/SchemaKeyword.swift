/// The JSON Schema keywords this validator asserts, as named in reports.
public enum SchemaKeyword: String, Sendable, Hashable, Codable, CaseIterable {
    /// `type`: the JSON type, `integer` being a number without fraction.
    case type
    /// `properties`: schemas for named members.
    case properties
    /// `required`: members that must be present.
    case required
    /// `additionalProperties`: members not named in `properties`.
    case additionalProperties
    /// `items`: a schema for every element.
    case items
    /// `enum`: one of a list of values.
    case `enum`
    /// `const`: exactly one value.
    case const
    /// `oneOf`: exactly one of several schemas.
    case oneOf
    /// `anyOf`: at least one of several schemas.
    case anyOf
    /// `allOf`: all of several schemas.
    case allOf
    /// `not`: not this schema.
    case not
    /// `$ref`: the schema at a JSON pointer in the same document.
    case ref = "$ref"
    /// `minItems`.
    case minItems
    /// `maxItems`.
    case maxItems
    /// `uniqueItems`: no two equal elements.
    case uniqueItems
    /// `minLength`, in Unicode code points.
    case minLength
    /// `maxLength`, in Unicode code points.
    case maxLength
    /// `minimum`.
    case minimum
    /// `maximum`.
    case maximum
    /// `exclusiveMinimum`.
    case exclusiveMinimum
    /// `exclusiveMaximum`.
    case exclusiveMaximum
    /// `format`, asserted: `date`, `date-time`, `time`, `email`.
    case format
    /// The schema `false`, which nothing satisfies.
    case falseSchema = "false"
    /// Not a schema keyword: the instance nests deeper than the validator follows.
    case nestingDepth
}

/// One way in which a document breaks its schema. It says where (an RFC 6901 pointer into
/// the document), which rule (the keyword and its location in the schema) and why, and never
/// carries a value from the document.
public struct SchemaViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where in the document: `/leveringen/0/vroegsignalen/12/client` (`""` is the whole
    /// document). For `required` and (by default) `additionalProperties` it is the object
    /// concerned; see ``SchemaValidationOptions/namesUnknownMembers``.
    public let instancePointer: String
    /// The failing keyword's location in the schema document, as a JSON pointer after `$ref`
    /// is followed: `/$defs/datum/format`.
    public let keywordLocation: String
    /// The failing keyword.
    public let keyword: SchemaKeyword
    /// What is wrong, in English, without the value.
    public let message: String

    /// A violation.
    public init(instancePointer: String, keywordLocation: String, keyword: SchemaKeyword, message: String) {
        self.instancePointer = instancePointer
        self.keywordLocation = keywordLocation
        self.keyword = keyword
        self.message = message
    }

    public var description: String {
        "\(instancePointer.isEmpty ? "(document)" : instancePointer): \(message) [\(keywordLocation)]"
    }
}

/// The outcome of validating one document: the first violations (up to the configured cap)
/// and how many there were in all.
public struct SchemaValidationResult: Sendable, Hashable, Codable {
    /// The violations found, in document order, at most the configured number.
    public let violations: [SchemaViolation]
    /// How many violations there were, including those beyond the cap.
    public let totalViolationCount: Int
    /// How many violations each schema rule (keyword location) found, including those beyond
    /// the cap: the per-rule counts of a data-quality report.
    public let countsByKeywordLocation: [String: Int]

    /// For each element of an array nested in an array of the document
    /// (`/leveringen/0/vroegsignalen/12`: a record of a levering) that has violations at or
    /// below it: how many per schema rule (keyword location), including those beyond the cap.
    /// Found while validating, so a page's violations are attributed to its records without
    /// validating the records again.
    public let countsByRecord: [SchemaRecordPlace: [String: Int]]

    /// A result.
    public init(
        violations: [SchemaViolation], totalViolationCount: Int, countsByKeywordLocation: [String: Int],
        countsByRecord: [SchemaRecordPlace: [String: Int]] = [:]
    ) {
        self.violations = violations
        self.totalViolationCount = totalViolationCount
        self.countsByKeywordLocation = countsByKeywordLocation
        self.countsByRecord = countsByRecord
    }

    /// Whether the document satisfies the schema.
    public var isValid: Bool { totalViolationCount == 0 }

    /// Whether violations were left out because of the cap.
    public var isTruncated: Bool { totalViolationCount > violations.count }
}

/// An element of an array nested in an array, where a violation lies:
/// `/<collection>/<collectionIndex>/<array>/<index>` (`/leveringen/0/vroegsignalen/12`).
public struct SchemaRecordPlace: Sendable, Hashable, Codable {
    /// The member of the document that holds the outer array (`leveringen`).
    public let collection: String
    /// The element of the outer array (the levering).
    public let collectionIndex: Int
    /// The member of that element that holds the inner array (`vroegsignalen`).
    public let array: String
    /// The element of the inner array (the record).
    public let index: Int

    /// A place.
    public init(collection: String, collectionIndex: Int, array: String, index: Int) {
        self.collection = collection
        self.collectionIndex = collectionIndex
        self.array = array
        self.index = index
    }

    /// The place a validation path lies in, when it starts with key, index, key, index.
    init?(_ path: [JSONPointer.Token]) {
        guard path.count >= 4, case .key(let collection) = path[0], case .index(let collectionIndex) = path[1],
            case .key(let array) = path[2], case .index(let index) = path[3]
        else { return nil }
        self.init(collection: collection, collectionIndex: collectionIndex, array: array, index: index)
    }
}

/// Limits for one validation.
public struct SchemaValidationOptions: Sendable, Hashable {
    /// How many violations to keep; the rest are only counted.
    public var maxViolations: Int
    /// How deep into the document to follow nested arrays and objects; deeper values are a
    /// `nestingDepth` violation (the JSON reader's own limit is lower, so read documents never
    /// reach it).
    public var maxDepth: Int

    /// Whether an `additionalProperties` violation points at the member that is not allowed
    /// (`/leveringen/0/opmerking`), which puts a key chosen by the sender into the report.
    /// Off by default: the violation then points at the object and counts the member's
    /// position, so that every pointer consists of names the schema defines and array indices.
    public var namesUnknownMembers: Bool

    /// Options: 1,000 violations kept, depth 256, unknown member names left out.
    public init(maxViolations: Int = 1000, maxDepth: Int = 256, namesUnknownMembers: Bool = false) {
        self.maxViolations = maxViolations
        self.maxDepth = maxDepth
        self.namesUnknownMembers = namesUnknownMembers
    }
}
