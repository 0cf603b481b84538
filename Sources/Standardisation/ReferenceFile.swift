/// One of the programme's reference files (`Data/standaardisatie/`) and how to read it.
public enum ReferenceFile: String, Sendable, Hashable, CaseIterable {
    /// Free outcomes as gemeenten registered them, with the acceptable official values.
    case eindresultaatVarianten = "eindresultaat-varianten.csv"
    /// Free contact forms as gemeenten registered them, with the acceptable official values.
    case contactvormVarianten = "contactvorm-varianten.csv"
    /// The programme's hand mapping of outcome categories, with counts of gemeenten and meldingen.
    case seedTabelEindresultaten = "seed-tabel-eindresultaten.csv"

    /// The file name.
    public var fileName: String { rawValue }

    /// The code list the file's texts belong to.
    public var lijst: CodeList {
        switch self {
        case .eindresultaatVarianten, .seedTabelEindresultaten: .eindresultaat
        case .contactvormVarianten: .contactsoort
        }
    }

    /// The header the file must start with.
    public var header: [String] {
        switch self {
        case .eindresultaatVarianten, .contactvormVarianten: ["variant", "waarde"]
        case .seedTabelEindresultaten: ["categorie", "gemeenten", "meldingen", "waarde"]
        }
    }

    /// The column of the text.
    var textColumn: Int { 0 }

    /// The column of the value(s).
    var valueColumn: Int { header.count - 1 }

    /// Columns that hold a count (empty or digits).
    var countColumns: [Int] { self == .seedTabelEindresultaten ? [1, 2] : [] }

    /// Whether a row may leave its value empty (a category the programme did not map).
    var allowsEmptyValue: Bool { self == .seedTabelEindresultaten }
}

/// Why a reference file cannot be read: a stable code, the file and line, and the row as
/// written (reference data is public; it never holds a registration of a person).
public struct ReferenceTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file is missing or not UTF-8.
        case unreadableFile = "unreadable_file"
        /// The first row is not the expected header.
        case unexpectedHeader = "unexpected_header"
        /// A row has more or fewer fields than the header.
        case wrongColumnCount = "wrong_column_count"
        /// A quoted field never ends.
        case unterminatedQuote = "unterminated_quote"
        /// A value is neither an official value of the list nor `ONBEKEND` / `LEEG`.
        case unknownValue = "unknown_value"
        /// The value is empty where the file requires one.
        case missingValue = "missing_value"
        /// A count column holds something other than digits.
        case invalidCount = "invalid_count"
        /// The text has no letter or digit, yet is mapped to an official value.
        case unmatchableText = "unmatchable_text"
        /// The same text (after normalisation) was mapped to another value before.
        case conflictingEntry = "conflicting_entry"
    }

    /// What is wrong.
    public let code: Code
    /// The file name.
    public let file: String
    /// The 1-based line of the row (0 when the file as a whole is the problem).
    public let line: Int
    /// The row as written, or empty.
    public let row: String

    /// An error.
    public init(_ code: Code, file: String, line: Int, row: String = "") {
        self.code = code
        self.file = file
        self.line = line
        self.row = row
    }

    public var description: String {
        let reason =
            switch code {
            case .unreadableFile: "the file cannot be read as UTF-8 text"
            case .unexpectedHeader: "the header is not the expected one"
            case .wrongColumnCount: "the row has the wrong number of fields"
            case .unterminatedQuote: "a quoted field is not closed"
            case .unknownValue: "a value is not an official value of the code list, nor ONBEKEND or LEEG"
            case .missingValue: "the row has no value"
            case .invalidCount: "a count is not a whole number"
            case .unmatchableText: "the text has no letter or digit but maps to an official value"
            case .conflictingEntry: "the text was mapped to another value earlier"
            }
        return row.isEmpty ? "\(file):\(line): \(code.rawValue): \(reason)" : "\(file):\(line): \(code.rawValue): \(reason): \(row)"
    }
}
