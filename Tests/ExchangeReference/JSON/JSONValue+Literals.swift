extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An exact integer.
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    /// A non-integer number; a literal that is not finite becomes `null`.
    public init(floatLiteral value: Double) { self = JSONNumber(value).map(JSONValue.number) ?? .null }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// An object with the members in the order written; the keys must be distinct.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        let members = elements.map { JSONObject.Member(key: $0.0, value: $0.1) }
        guard let object = JSONObject(members) else { preconditionFailure("duplicate key in a JSON object literal") }
        self = .object(object)
    }
}
