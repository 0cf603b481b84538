/// A CBS gemeentecode: `GM` and four digits (`GM0363`, Amsterdam).
///
/// The DDAS exchange sometimes writes the four digits alone (`0363`); both forms are
/// accepted on input, and the code is always written with `GM`.
public struct Gemeentecode: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// `GM` and four digits.
    public let rawValue: String

    /// Parses `GM0363`, `gm0363` or `0363`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        var digits = Substring(text)
        if digits.count == 6, digits.prefix(2).uppercased() == "GM" {
            digits = digits.dropFirst(2)
        }
        guard digits.count == 4, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        rawValue = "GM" + digits
    }

    /// The four digits, as the exchange writes them in `gemeentecode` fields.
    public var digits: String { String(rawValue.dropFirst(2)) }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = Gemeentecode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a gemeentecode"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
