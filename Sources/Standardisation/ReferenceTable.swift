import Foundation

/// The programme's reference data: texts with the official value each maps to, read from the
/// CSV files of `Data/standaardisatie/` (see ``ReferenceFile``).
///
/// How rows become entries:
/// - `a|b` (several acceptable values): the first listed value.
/// - `LEEG`: no entry; a blank text is `LEEG` before any table is consulted, and a text such as
///   the seed's category `Niet ingevuld` is not blank, so it stays `ONBEKEND` for a human.
/// - `ONBEKEND`: an entry (the programme decided that `NIET`, `WEG` cannot be read).
/// - A text without letters or digits (`???`): no entry; such a text is `ONBEKEND` anyway.
/// - The seed table: its `categorie` is the text; an empty `waarde` (an unmapped category) gives
///   no entry.
public struct ReferenceTable: Sendable {
    /// No reference data: only official values, the maintained table and the rules decide.
    public static let empty = ReferenceTable()

    /// The entries, in file order.
    public private(set) var entries: [MappingEntry]
    /// Per list: normalised text → value. On duplicates the first entry wins.
    private let index: [CodeList: [String: String]]

    /// A table of these entries. Entries whose value the list does not accept, and entries whose
    /// text normalises to nothing, are kept in `entries` but never match.
    public init(entries: [MappingEntry] = []) {
        self.entries = entries
        var index: [CodeList: [String: String]] = [:]
        for entry in entries where entry.lijst.accepts(entry.waarde) {
            let key = TextNormalisation.normalise(entry.tekst)
            if !key.isEmpty, index[entry.lijst]?[key] == nil { index[entry.lijst, default: [:]][key] = entry.waarde }
        }
        self.index = index
    }

    /// The value the table gives a normalised text of a list.
    func waarde(forNormalised key: String, in lijst: CodeList) -> String? {
        index[lijst]?[key]
    }

    /// Reads every ``ReferenceFile`` from a directory. Throws on the first bad row, with its file
    /// and line; also when two rows map the same text (after normalisation) to different values.
    public static func load(directory: URL) throws(ReferenceTableError) -> ReferenceTable {
        var entries: [MappingEntry] = []
        var seen: [CodeList: [String: String]] = [:]
        for file in ReferenceFile.allCases {
            let url = directory.appendingPathComponent(file.fileName)
            guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
                throw ReferenceTableError(.unreadableFile, file: file.fileName, line: 0)
            }
            for row in try rows(fromCSV: text, file: file) {
                let key = TextNormalisation.normalise(row.entry.tekst)
                if let earlier = seen[file.lijst]?[key], earlier != row.entry.waarde {
                    throw ReferenceTableError(.conflictingEntry, file: file.fileName, line: row.line, row: row.text)
                }
                seen[file.lijst, default: [:]][key] = row.entry.waarde
                entries.append(row.entry)
            }
        }
        return ReferenceTable(entries: entries)
    }

    /// The entries of one reference file's text. Throws on the first bad row.
    public static func entries(fromCSV text: String, file: ReferenceFile) throws(ReferenceTableError) -> [MappingEntry] {
        try rows(fromCSV: text, file: file).map(\.entry)
    }

    /// An entry and the row it came from.
    private struct Row {
        let entry: MappingEntry
        let line: Int
        let text: String
    }

    private static func rows(fromCSV text: String, file: ReferenceFile) throws(ReferenceTableError) -> [Row] {
        let records: [CSVRecord]
        do {
            records = try csvRecords(text)
        } catch {
            throw ReferenceTableError(.unterminatedQuote, file: file.fileName, line: error.line)
        }
        guard let header = records.first, header.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == file.header else {
            throw ReferenceTableError(
                .unexpectedHeader, file: file.fileName, line: records.first?.line ?? 1, row: records.first?.text ?? "")
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            func failure(_ code: ReferenceTableError.Code) -> ReferenceTableError {
                ReferenceTableError(code, file: file.fileName, line: record.line, row: record.text)
            }
            guard record.fields.count == file.header.count else { throw failure(.wrongColumnCount) }
            for column in file.countColumns where !record.fields[column].utf8.allSatisfy({ (48...57).contains($0) }) {
                throw failure(.invalidCount)
            }
            let values = record.fields[file.valueColumn].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = values.first else {
                if file.allowsEmptyValue { continue }
                throw failure(.missingValue)
            }
            guard values.allSatisfy({ file.lijst.accepts($0) || $0 == StandardisedValue.leeg }) else { throw failure(.unknownValue) }
            let tekst = record.fields[file.textColumn]
            if first == StandardisedValue.leeg { continue }
            if TextNormalisation.normalise(tekst).isEmpty {
                guard first == StandardisedValue.onbekend else { throw failure(.unmatchableText) }
                continue
            }
            rows.append(Row(entry: MappingEntry(lijst: file.lijst, tekst: tekst, waarde: first), line: record.line, text: record.text))
        }
        return rows
    }
}
