import Foundation

/// The gemeenten register as shipped: a CSV file with a header
/// `code,name,province_code,province,arbeidsmarktregio`, one gemeente a row.
///
/// Parsing reports every problem at once, each with its line number, and accepts the file
/// only when it has none: a half-read register must never deactivate the rest.
public struct GemeentenRegister: Sendable {
    /// The gemeenten, in file order.
    public let gemeenten: [Gemeente]

    /// A problem in the file.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// All problems of a file that was refused.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String {
            "the gemeenten register is invalid: " + problems.prefix(20).map(\.description).joined(separator: "; ")
        }
    }

    static let header = ["code", "name", "province_code", "province", "arbeidsmarktregio"]

    /// Parses the CSV text; throws `Invalid` listing every problem.
    public init(csv: String) throws {
        var problems: [Problem] = []
        var gemeenten: [Gemeente] = []
        var seen: [Gemeentecode: Int] = [:]
        let records = CSVRecords.parse(csv)
        guard let first = records.first, first.fields == Self.header else {
            throw Invalid(problems: [Problem(line: 1, reason: "the header must be \(Self.header.joined(separator: ","))")])
        }
        for record in records.dropFirst() {
            guard record.fields.count == Self.header.count else {
                problems.append(Problem(line: record.line, reason: "expected \(Self.header.count) fields, found \(record.fields.count)"))
                continue
            }
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields[0].hasPrefix("GM"), let code = Gemeentecode(fields[0]) else {
                problems.append(Problem(line: record.line, reason: "'\(fields[0])' is not a gemeentecode (GM and four digits)"))
                continue
            }
            if let earlier = seen[code] {
                problems.append(Problem(line: record.line, reason: "\(code) also on line \(earlier)"))
                continue
            }
            seen[code] = record.line
            if fields[1].isEmpty { problems.append(Problem(line: record.line, reason: "the name is empty")) }
            if !(fields[2].count == 4 && fields[2].hasPrefix("PV")) {
                problems.append(Problem(line: record.line, reason: "'\(fields[2])' is not a province code (PV and two digits)"))
            }
            if fields[3].isEmpty { problems.append(Problem(line: record.line, reason: "the province is empty")) }
            gemeenten.append(
                Gemeente(code: code, name: fields[1], provinceCode: fields[2], province: fields[3], arbeidsmarktregio: fields[4]))
        }
        if gemeenten.isEmpty && problems.isEmpty {
            problems.append(Problem(line: 2, reason: "the register holds no gemeenten"))
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        self.gemeenten = gemeenten
    }
}

/// RFC 4180 records: fields separated by commas, optionally in double quotes (`""` for a quote).
enum CSVRecords {
    struct Record {
        let line: Int
        let fields: [String]
    }

    static func parse(_ text: String) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n":
                endRecord()
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
