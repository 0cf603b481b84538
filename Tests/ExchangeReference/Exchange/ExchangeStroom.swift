/// A DDAS exchange stream: which supplier API and which payload schema.
public enum ExchangeStroom: String, Sendable, Hashable, CaseIterable, Codable {
    /// Vroegsignalering: early signals of payment arrears (`DDAS-VS.yaml`).
    case vroegsignalering = "VS"
    /// Schuldhulpverlening: debt counselling (`DDAS-SHV.yaml`).
    case schuldhulpverlening = "SHV"

    /// The short key used in file and service names: `VS`, `SHV`.
    public var key: String { rawValue }

    /// The array, inside each `leveringen[]` item, whose elements are the records that
    /// `paginering.totalRecords` and the page size count.
    public var recordArrayName: String {
        switch self {
        case .vroegsignalering: "vroegsignalen"
        case .schuldhulpverlening: "schuldhulptrajecten"
        }
    }

    /// The most records one page may hold: 50,000 vroegsignalen, 25,000 schuldhulptrajecten.
    public var maxPageSize: Int {
        switch self {
        case .vroegsignalering: 50_000
        case .schuldhulpverlening: 25_000
        }
    }

    /// The file name of the schema of `version`: `DDAS-VS-uitwisselmodel-v1.2.json`.
    public func schemaFileName(version: ExchangeModelVersion) -> String {
        "DDAS-\(key)-uitwisselmodel-v\(version).json"
    }
}

/// The version of an exchange model (`1.2`): digits separated by dots, ordered numerically.
public struct ExchangeModelVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The parts: `[1, 2]` for `1.2`.
    public let parts: [Int]
    /// The text as written: `1.2`.
    public let text: String

    /// Parses `1.2`; nil for anything but digits separated by single dots.
    public init?(_ text: String) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        var parts: [Int] = []
        for piece in pieces {
            guard !piece.isEmpty, piece.count <= 6, piece.utf8.allSatisfy({ (48...57).contains($0) }), let part = Int(piece)
            else { return nil }
            parts.append(part)
        }
        self.parts = parts
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        for (left, right) in zip(lhs.parts, rhs.parts) where left != right { return left < right }
        return lhs.parts.count < rhs.parts.count
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = ExchangeModelVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a model version"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
