import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("ddas-regie standaardiseer: free text on standard input, CSV tekst,waarde on standard output")
struct StandaardiseerCommandTests {
    @Test("1,000 lines give 1,000 rows in the same order, quoted where needed; the maintained table applies")
    func thousandLines() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        try await pool.query(
            """
            INSERT INTO standaardisatie_vertalingen (id, lijst, tekst, sleutel, waarde, versie, gewijzigd_op, gewijzigd_door)
            VALUES (gen_random_uuid(), 'eindresultaat', 'Afgehandeld volgens protocol B7', 'afgehandeld volgens protocol b7',
                'Geen reactie na eerder contact', 1, now(), 'test')
            """)
        await pool.close()
        let samples = [
            "Inwoner accepteert geen hulp", "", "Niet opgepakt: herhaalde melding", "asdf", "Inwoner is overleden",
            "overleden, \"zie dossier\"", "Afgehandeld volgens protocol B7", "schuldhulpverlening (SHV) gestart", "???", "Verhuisd\r",
        ]
        let lines = (0..<1_000).map { samples[$0 % samples.count] }
        let input = NSTemporaryDirectory() + "standaardiseer-\(UUID().uuidString).txt"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try await RegieProcess.run(
            ["standaardiseer", "--lijst", "eindresultaat", "--database-url", database.connectionString], input: input)
        #expect(result.status == 0, "\(result.output.prefix(500))")
        let rows = Self.csvRows(result.output)
        #expect(rows.first == ["tekst", "waarde"])
        #expect(rows.count == 1_001, "a header and one row per line")
        let body = Array(rows.dropFirst())
        #expect(body.map { $0.first ?? "" } == lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }, "the same texts, in order")
        let values = Dictionary(body.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
        #expect(values[""] == "LEEG")
        #expect(values["asdf"] == "ONBEKEND" && values["???"] == "ONBEKEND")
        #expect(values["Inwoner is overleden"] == "Inwoner is overleden")
        #expect(values["Niet opgepakt: herhaalde melding"] == "Niet opgepakt: herhaalde melding")
        #expect(values["Inwoner accepteert geen hulp"] == "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering")
        #expect(values["overleden, \"zie dossier\""] == "Inwoner is overleden", "a quoted field reads back whole")
        #expect(values["Afgehandeld volgens protocol B7"] == "Geen reactie na eerder contact", "the maintained table applies")
        #expect(body.allSatisfy { $0.count == 2 })
    }

    @Test("a text a spreadsheet would read as a formula comes back defused, as in every CSV of the service")
    func formulasDefused() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let input = NSTemporaryDirectory() + "standaardiseer-\(UUID().uuidString).txt"
        try Data("=HYPERLINK(\"http://x\")\n+31 6\n-5\n@SUM(A1)\nInwoner is overleden\n".utf8).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try await RegieProcess.run(
            ["standaardiseer", "--lijst", "eindresultaat", "--database-url", database.connectionString], input: input)
        #expect(result.status == 0, "\(result.output.prefix(500))")
        let texts = Self.csvRows(result.output).dropFirst().map { $0.first ?? "" }
        #expect(texts == ["'=HYPERLINK(\"http://x\")", "'+31 6", "'-5", "'@SUM(A1)", "Inwoner is overleden"])
    }

    @Test("an unknown list is refused before anything is read")
    func unknownList() async throws {
        let result = try await RegieProcess.run(["standaardiseer", "--lijst", "kleur"])
        #expect(result.status != 0)
        #expect(result.output.contains("--lijst must be one of eindresultaat"))
    }

    /// Reads CSV (RFC 4180) text into rows of fields.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }
}
