/// A data stream of DDAS that a supplier service offers.
public enum Stroom: String, Sendable, Codable, CaseIterable {
    /// Vroegsignalering (`DDAS-VS.yaml`): records are `vroegsignalen`.
    case vroegsignalering = "VS"
    /// Schuldhulpverlening (`DDAS-SHV.yaml`): records are `schuldhulptrajecten`.
    case schuldhulpverlening = "SHV"

    /// The most records on one page the specification allows.
    public var maximumPageSize: Int {
        switch self {
        case .vroegsignalering: 50_000
        case .schuldhulpverlening: 25_000
        }
    }
}

/// A gemeente as a supplier knows it: its code and the organisation name it is requested by.
public struct SimulatedGemeente: Hashable, Sendable {
    /// The four digits of the CBS code (`0363`), as the exchange writes `gemeentecode`.
    public let code: String
    /// The organisation name in `aanleverende_organisatie` (e.g. "Gemeente Amsterdam").
    public let organisatie: String

    /// A gemeente; `code` may be `GM0363` or `0363`. Nil when the code is neither.
    public init?(code: String, organisatie: String) {
        guard let digits = SimulatedGemeente.digits(of: code) else { return nil }
        self.code = digits
        self.organisatie = organisatie
    }

    /// The four digits of `GM0363`, `gm0363` or `0363`; nil for anything else.
    public static func digits(of code: String) -> String? {
        var digits = Substring(code)
        if digits.count == 6, digits.prefix(2).uppercased() == "GM" { digits = digits.dropFirst(2) }
        guard digits.count == 4, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return String(digits)
    }
}

/// The `paginering` object of a response: all four fields are always set.
public struct Paginering: Hashable, Sendable {
    /// Records per page.
    public let pageSize: Int
    /// The page this response holds.
    public let currentPage: Int
    /// The number of pages (at least 1, also when there are no records).
    public let totalPages: Int
    /// The number of records (vroegsignalen or schuldhulptrajecten) over all pages.
    public let totalRecords: Int

    /// A paginering as given.
    public init(pageSize: Int, currentPage: Int, totalPages: Int, totalRecords: Int) {
        self.pageSize = pageSize
        self.currentPage = currentPage
        self.totalPages = totalPages
        self.totalRecords = totalRecords
    }
}

/// Which records one page holds: for each gemeente on the page, a range of its record indices.
///
/// The records of all requested gemeenten (in the order of their codes) form one list that
/// is cut into pages; a page beyond the last is answered with page 1, as the specification says.
public struct PagePlan: Hashable, Sendable {
    /// One gemeente's share of a page.
    public struct Part: Hashable, Sendable {
        /// The gemeente.
        public let gemeente: SimulatedGemeente
        /// Indices into the gemeente's records for the period.
        public let records: Range<Int>
    }

    /// The paginering to send.
    public let paginering: Paginering
    /// The gemeenten on this page, each with its records; a gemeente without any records
    /// appears on page 1 with empty lists.
    public let parts: [Part]

    /// Plans page `page` (nil: 1) of `pageSize` records for `totals` (gemeente, record count).
    public init(totals: [(SimulatedGemeente, Int)], page: Int?, pageSize: Int) {
        let ordered = totals.sorted { $0.0.code < $1.0.code }
        let totalRecords = ordered.reduce(0) { $0 + $1.1 }
        let totalPages = max(1, (totalRecords + pageSize - 1) / pageSize)
        let requested = page ?? 1
        let served = (1...totalPages).contains(requested) ? requested : 1
        let first = (served - 1) * pageSize
        let last = min(first + pageSize, totalRecords)
        var parts: [Part] = []
        var offset = 0
        for (gemeente, count) in ordered {
            let (lower, upper) = (max(first, offset), min(last, offset + count))
            if lower < upper {
                parts.append(Part(gemeente: gemeente, records: (lower - offset)..<(upper - offset)))
            } else if count == 0 && served == 1 {
                parts.append(Part(gemeente: gemeente, records: 0..<0))
            }
            offset += count
        }
        paginering = Paginering(pageSize: pageSize, currentPage: served, totalPages: totalPages, totalRecords: totalRecords)
        self.parts = parts
    }
}

/// Deliberate damage to a generated page, for the faults a client must detect.
public struct PayloadTampering: Hashable, Sendable {
    /// A schema violation in the first record.
    public var schemaViolation: SchemaViolation?
    /// A second `leveringen[]` item for this gemeente, which the request did not ask for.
    public var foreignGemeente: SimulatedGemeente?
    /// A `currentPage` other than the page served.
    public var currentPage: Int?

    /// No damage.
    public static let none = PayloadTampering()

    /// Damage as given.
    public init(schemaViolation: SchemaViolation? = nil, foreignGemeente: SimulatedGemeente? = nil, currentPage: Int? = nil) {
        self.schemaViolation = schemaViolation
        self.foreignGemeente = foreignGemeente
        self.currentPage = currentPage
    }
}

/// How a page breaks the JSON Schema.
public enum SchemaViolation: String, Hashable, Sendable, Codable {
    /// A required field of the first record is left out (`signaalpartner` in VS, `gemeentecode`
    /// in SHV); on a page without records, the required `codeGegevensleverancier`.
    case missingRequiredField
    /// A code-list field of the first record holds a value outside its enum.
    case valueOutsideCodeList
    /// A code-list field of every record holds a value outside its enum: a supplier that still
    /// sends its own free text.
    case valueOutsideCodeListInEveryRecord
    /// The document's required `codeGegevensleverancier` is left out: a violation outside the
    /// records, which makes the page unreadable.
    case missingSupplierCode
}

extension SchemaViolation {
    /// The damage of one record: the first record's for a first-record violation, every
    /// record's for one of every record.
    func damage(_ isFirstRecord: Bool) -> SchemaViolation? {
        switch self {
        case .valueOutsideCodeListInEveryRecord: .valueOutsideCodeList
        case .missingRequiredField, .valueOutsideCodeList: isFirstRecord ? self : nil
        case .missingSupplierCode: nil
        }
    }
}
