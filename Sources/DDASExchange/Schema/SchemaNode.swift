/// The compiled form of one schema object: the checks its keywords stand for, with every
/// subschema (and every `$ref` target) replaced by an index into the compiled schema's nodes.
final class SchemaNode: Sendable {
    /// The checks, `type` first.
    let checks: [SchemaCheck]

    /// A node of these checks.
    init(checks: [SchemaCheck]) {
        self.checks = checks
    }
}

/// JSON types as a bit set, for `type`.
struct JSONTypeSet: OptionSet, Sendable, Hashable {
    /// The bits.
    let rawValue: UInt8

    /// `null`.
    static let null = JSONTypeSet(rawValue: 1)
    /// `boolean`.
    static let boolean = JSONTypeSet(rawValue: 2)
    /// `object`.
    static let object = JSONTypeSet(rawValue: 4)
    /// `array`.
    static let array = JSONTypeSet(rawValue: 8)
    /// `number` (any number).
    static let number = JSONTypeSet(rawValue: 16)
    /// `integer` (a number without fraction).
    static let integer = JSONTypeSet(rawValue: 32)
    /// `string`.
    static let string = JSONTypeSet(rawValue: 64)

    /// A set from its bits.
    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The type named in a schema; nil for an unknown name.
    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "integer": self = .integer
        case "string": self = .string
        default: return nil
        }
    }

    /// The names in schema order, for messages.
    var names: [String] {
        let all: [(JSONTypeSet, String)] = [
            (.null, "null"), (.boolean, "boolean"), (.object, "object"), (.array, "array"), (.number, "number"),
            (.integer, "integer"), (.string, "string"),
        ]
        return all.filter { contains($0.0) }.map(\.1)
    }
}

/// `properties`, `required` and `additionalProperties` of one schema, checked in one pass over
/// an object's members. (A class: a check is copied on every use, and one reference is
/// cheaper to copy than the fields.)
final class ObjectRule: Sendable {
    /// What `additionalProperties` says about members not in `properties`.
    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(Int)
    }

    /// Every name in `properties` or `required`, to its slot.
    let slots: CodePointTable
    /// Per id in the schema's key table (``JSONSchema/keys``): the slot of that name, or -1.
    let slotByKey: [Int32]
    /// Per slot: the node for the member's value, nil when the name is only required.
    let propertyNodes: [Int?]
    /// Per slot: the name.
    let names: [String]
    /// The slots of required names, in schema order.
    let requiredSlots: [Int]
    /// `additionalProperties`.
    let additional: Additional
    /// The location index of `required`.
    let requiredLocation: Int
    /// The location index of `additionalProperties`.
    let additionalLocation: Int

    /// A rule; `names` are distinct; `keys` is the schema's key table (empty until it is known).
    init(
        names: [String], propertyNodes: [Int?], requiredSlots: [Int], additional: Additional, requiredLocation: Int,
        additionalLocation: Int, keys: JSONKeyTable = JSONKeyTable()
    ) {
        let slots = CodePointTable(names)
        self.slots = slots
        slotByKey = keys.names.map { name in slots.position(of: name).map(Int32.init) ?? -1 }
        self.names = names
        self.propertyNodes = propertyNodes
        self.requiredSlots = requiredSlots
        self.additional = additional
        self.requiredLocation = requiredLocation
        self.additionalLocation = additionalLocation
    }

    /// The same rule, matching members by the ids of `keys`.
    func keyed(by keys: JSONKeyTable) -> ObjectRule {
        ObjectRule(
            names: names, propertyNodes: propertyNodes, requiredSlots: requiredSlots, additional: additional,
            requiredLocation: requiredLocation, additionalLocation: additionalLocation, keys: keys)
    }

    /// The slot of the name with id `key` in the schema's key table, or nil.
    @inline(__always)
    func slot(ofKey key: Int) -> Int? {
        guard key < slotByKey.count else { return nil }
        let slot = slotByKey[key]
        return slot < 0 ? nil : Int(slot)
    }
}

/// `enum`: the allowed values, with a table for the common all-strings case.
final class EnumRule: Sendable {
    /// The allowed values.
    let values: [JSONValue]
    /// The values as a table, when all are strings.
    let strings: CodePointTable?

    /// A rule for these values.
    init(values: [JSONValue]) {
        self.values = values
        let strings = values.compactMap(\.stringValue)
        self.strings = strings.count == values.count ? CodePointTable(strings) : nil
    }
}

/// One assertion of a compiled schema; `location` is the index of the keyword's JSON pointer in
/// the schema's list of keyword locations.
enum SchemaCheck: Sendable {
    /// The schema `false`.
    case alwaysFalse(location: Int)
    /// `type`.
    case type(JSONTypeSet, location: Int)
    /// `properties`, `required`, `additionalProperties`.
    case object(ObjectRule)
    /// `items`.
    case items(node: Int)
    /// `minItems`.
    case minItems(Int, location: Int)
    /// `maxItems`.
    case maxItems(Int, location: Int)
    /// `uniqueItems: true`.
    case uniqueItems(location: Int)
    /// `minLength`.
    case minLength(Int, location: Int)
    /// `maxLength`.
    case maxLength(Int, location: Int)
    /// `minimum` or `exclusiveMinimum`.
    case minimum(JSONNumber, exclusive: Bool, location: Int)
    /// `maximum` or `exclusiveMaximum`.
    case maximum(JSONNumber, exclusive: Bool, location: Int)
    /// `enum`.
    case enumeration(EnumRule, location: Int)
    /// `const`.
    case constant(JSONValue, location: Int)
    /// `format`.
    case format(StringFormat, location: Int)
    /// `allOf`.
    case allOf(nodes: [Int])
    /// `anyOf`.
    case anyOf(nodes: [Int], location: Int)
    /// `oneOf`.
    case oneOf(nodes: [Int], location: Int)
    /// `not`.
    case not(node: Int, location: Int)
    /// `$ref`.
    case ref(node: Int)
}
