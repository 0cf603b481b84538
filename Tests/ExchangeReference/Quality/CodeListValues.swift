/// The values of one code list of an exchange model (`EnumEindresultaat`), compared by
/// Unicode code points as the schema's `enum` compares them.
public struct CodeListValues: Sendable, Hashable {
    /// The values, in the model's order.
    public let values: [String]
    private let lookup: Set<[UInt8]>

    /// A code list of these values.
    public init(_ values: [String]) {
        self.values = values
        lookup = Set(values.map { Array($0.utf8) })
    }

    /// Whether `text` is one of the values, code point for code point.
    public func contains(_ text: String) -> Bool { lookup.contains(Array(text.utf8)) }

    /// The code lists of a schema document: each `$defs/Enum<Name>` with string values, by
    /// `<name>` in lower case (`EnumEindresultaat` → `eindresultaat`).
    public static func lists(in schema: JSONValue) -> [String: CodeListValues] {
        guard case .object(let definitions)? = schema["$defs"] else { return [:] }
        var lists: [String: CodeListValues] = [:]
        for member in definitions.members where member.key.hasPrefix("Enum") && member.key.count > 4 {
            guard let values = member.value["enum"]?.arrayValue?.compactMap(\.stringValue), !values.isEmpty else { continue }
            lists[member.key.dropFirst(4).lowercased()] = CodeListValues(values)
        }
        return lists
    }
}
