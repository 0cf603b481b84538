/// A gemeentecode as found in an exchange payload, normalised: `GM0363`, `gm0363`, `0363` and
/// `363` are all gemeente 0363.
public struct ExchangeGemeentecode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The four digits: `0363`.
    public let digits: String

    /// Parses `GM` (any case) and four digits, or one to four digits alone; nil for anything
    /// else, including surrounding spaces and `0000` (no gemeente has number 0).
    public init?(_ text: some StringProtocol) {
        var digits = Substring(text).utf8[...]
        if digits.count == 6, let first = digits.first, first | 0x20 == UInt8(ascii: "g"),
            digits.dropFirst().first.map({ $0 | 0x20 == UInt8(ascii: "m") }) == true
        {
            digits = digits.dropFirst(2)
        } else if digits.count > 4 {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }), digits.contains(where: { $0 != 48 }) else {
            return nil
        }
        let text = String(decoding: digits, as: UTF8.self)
        self.digits = String(repeating: "0", count: 4 - digits.count) + text
    }

    /// The CBS form: `GM0363`.
    public var cbsCode: String { "GM" + digits }

    public var description: String { cbsCode }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.digits < rhs.digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = ExchangeGemeentecode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a gemeentecode"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(cbsCode)
    }
}
