import Foundation
import Standardisation
import Testing

/// Reading the programme's reference CSVs, and refusing bad rows with their file and line.
@Suite("Reference table")
struct ReferenceTableTests {
    @Test("the shipped files load, one list per file")
    func shipped() throws {
        let table = try ReferenceTable.load(directory: TestData.referenceDirectory)
        let lists = Dictionary(grouping: table.entries, by: \.lijst).mapValues(\.count)
        #expect(lists[.eindresultaat] ?? 0 >= 60)
        #expect(lists[.contactsoort] ?? 0 >= 40)
        #expect(table.entries.allSatisfy { $0.lijst.accepts($0.waarde) })
        #expect(table.entries.contains(MappingEntry(lijst: .eindresultaat, tekst: "WEG", waarde: "ONBEKEND")))
        #expect(!table.entries.contains { $0.tekst == "???" || $0.tekst.isEmpty || $0.tekst == "Niet ingevuld" })
        #expect(ReferenceTable.empty.entries.isEmpty)
    }

    @Test("ambiguous values: the first listed; quoted texts keep their commas")
    func ambiguous() throws {
        let csv = "variant,waarde\r\n\"Brief, kaart\",Brief|Kaartje\nSMS,SMS/Whatsapp | Overige\n"
        let entries = try ReferenceTable.entries(fromCSV: csv, file: .contactvormVarianten)
        #expect(
            entries == [
                MappingEntry(lijst: .contactsoort, tekst: "Brief, kaart", waarde: "Brief"),
                MappingEntry(lijst: .contactsoort, tekst: "SMS", waarde: "SMS/Whatsapp"),
            ])
    }

    @Test("the seed table: counts may be empty, an empty value is an unmapped category, LEEG is not an entry")
    func seed() throws {
        let csv =
            "categorie,gemeenten,meldingen,waarde\nVerwijzing,272,14137,Vervolghulp en/of verwijzing\nNieuw,,,\nNiet ingevuld,314,200975,LEEG\n"
        let entries = try ReferenceTable.entries(fromCSV: csv, file: .seedTabelEindresultaten)
        #expect(entries == [MappingEntry(lijst: .eindresultaat, tekst: "Verwijzing", waarde: "Vervolghulp en/of verwijzing")])
    }

    @Test(
        "a bad row is refused with its code, line and content",
        arguments: [
            (ReferenceFile.eindresultaatVarianten, "variant,waarde\nVoldaan,Betaald\n", ReferenceTableError.Code.unknownValue, 2),
            (.eindresultaatVarianten, "variant,waarde\nVoldaan,Inwoner is overleden|Verhuisd\n", .unknownValue, 2),
            (.contactvormVarianten, "variant,waarde\nSMS,SMS/Whatsapp\nBrief,Brief,extra\n", .wrongColumnCount, 3),
            (.contactvormVarianten, "variant,waarde\n\"Brief\nmet regel\",Brief\nKaart\n", .wrongColumnCount, 4),
            (.contactvormVarianten, "variant;waarde\nSMS;SMS/Whatsapp\n", .unexpectedHeader, 1),
            (.contactvormVarianten, "variant,waarde\nSMS,SMS/Whatsapp\n\"Brief,Brief\n", .unterminatedQuote, 3),
            (.contactvormVarianten, "variant,waarde\nBrief,\n", .missingValue, 2),
            (.contactvormVarianten, "variant,waarde\n???,Brief\n", .unmatchableText, 2),
            (.seedTabelEindresultaten, "categorie,gemeenten,meldingen,waarde\nVoldaan,veel,3,Inwoner is overleden\n", .invalidCount, 2),
        ]
    )
    func badRow(file: ReferenceFile, csv: String, code: ReferenceTableError.Code, line: Int) {
        let error = #expect(throws: ReferenceTableError.self) { try ReferenceTable.entries(fromCSV: csv, file: file) }
        #expect(error?.code == code)
        #expect(error?.line == line)
        #expect(error?.file == file.fileName)
        #expect(error?.description.hasPrefix("\(file.fileName):\(line): \(code.rawValue)") == true)
    }

    @Test("loading a directory names the file and line of the bad row, and of a contradiction")
    func loadDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("standaardisatie-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in ReferenceFile.allCases {
            try Data(contentsOf: TestData.referenceDirectory.appendingPathComponent(file.fileName))
                .write(to: directory.appendingPathComponent(file.fileName))
        }
        #expect(try ReferenceTable.load(directory: directory).entries.count > 0)

        let contactvorm = directory.appendingPathComponent(ReferenceFile.contactvormVarianten.fileName)
        try Data("variant,waarde\nSMS,SMS/Whatsapp\nSms,Brief\n".utf8).write(to: contactvorm)
        let conflict = #expect(throws: ReferenceTableError.self) { try ReferenceTable.load(directory: directory) }
        #expect(conflict?.code == .conflictingEntry)
        #expect(conflict?.description.hasPrefix("contactvorm-varianten.csv:3:") == true)
        #expect(conflict?.row == "Sms,Brief")

        try Data("variant,waarde\nSMS,Telegram\n".utf8).write(to: contactvorm)
        let unknown = #expect(throws: ReferenceTableError.self) { try ReferenceTable.load(directory: directory) }
        #expect(unknown?.code == .unknownValue)
        #expect(unknown?.line == 2)

        try FileManager.default.removeItem(at: contactvorm)
        let missing = #expect(throws: ReferenceTableError.self) { try ReferenceTable.load(directory: directory) }
        #expect(missing?.code == .unreadableFile)
        #expect(missing?.file == "contactvorm-varianten.csv")
    }
}
