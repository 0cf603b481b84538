import Foundation
import Standardisation
import Testing

/// The decision order of the standardiser: blank, official, maintained table, reference, rules.
@Suite("Standardiser")
struct StandardiserTests {
    let standardiser = Standardiser()

    static let nonsense: [String] = [
        "asdf", "12345", "Jan", "???", "123456789", "<script>alert(1)</script>", "x", "-", "nvt", "n.v.t.", "NIET", "WEG",
        String(repeating: "qwzx", count: 2_500), String(repeating: "lorem ipsum ", count: 834),
    ]

    @Test("nonsense stays ONBEKEND in every list", arguments: CodeList.allCases)
    func nonsenseIsUnknown(lijst: CodeList) throws {
        let full = try TestData.full()
        for text in Self.nonsense {
            let result = full.standardise(text, in: lijst)
            #expect(result.waarde == StandardisedValue.onbekend, "\(text.prefix(40))")
            #expect(!result.isOfficial)
        }
        #expect(Self.nonsense.contains { $0.count == 10_000 })
    }

    @Test("blank text is LEEG", arguments: ["", " ", "   ", "\t\n", "\u{00A0}", "\u{200B}", "\r\n "])
    func blank(text: String) {
        for lijst in CodeList.allCases {
            #expect(standardiser.standardise(text, in: lijst) == StandardisedValue(waarde: "LEEG", regel: "leeg"))
        }
    }

    @Test("official values, in any case and spacing, are themselves", arguments: CodeList.allCases)
    func official(lijst: CodeList) {
        for value in lijst.officialValues {
            for text in [value, value.uppercased(), value.lowercased(), "  \(value.replacingSlashes())  "] {
                #expect(standardiser.standardise(text, in: lijst) == StandardisedValue(waarde: value, regel: "officieel"), "\(text)")
            }
        }
        #expect(standardiser.standardise("niet verschenen", in: .uitstroomreden).waarde == "Nietverschenen")
        #expect(standardiser.standardise("0% aanbod", in: .oplossingssoort).waarde == "0%-aanbod")
    }

    @Test("the contactsoort value Onbekend is official, unlike the marker ONBEKEND")
    func onbekendContact() {
        let result = standardiser.standardise("onbekend", in: .contactsoort)
        #expect(result == StandardisedValue(waarde: "Onbekend", regel: "officieel"))
        #expect(result.isOfficial)
        #expect(standardiser.standardise("onbekend", in: .eindresultaat).waarde == "ONBEKEND")
    }

    @Test("the maintained table overrides reference data and rules, and may say ONBEKEND")
    func maintainedOverrides() throws {
        let reference = try ReferenceTable.load(directory: TestData.referenceDirectory)
        let maintained = [
            MappingEntry(lijst: .eindresultaat, tekst: "Voldaan", waarde: "Inwoner is overleden"),
            MappingEntry(lijst: .eindresultaat, tekst: "geen contact", waarde: "ONBEKEND"),
            MappingEntry(lijst: .eindresultaat, tekst: "Inwoner is overleden", waarde: "Verwijzing zonder tussenkomst inwoner"),
            MappingEntry(lijst: .contactsoort, tekst: "Postduif", waarde: "Postduif"),
            MappingEntry(lijst: .contactsoort, tekst: "belronde", waarde: "Brief"),
            MappingEntry(lijst: .contactsoort, tekst: "Belronde!", waarde: "Telefoon"),
        ]
        let standardiser = Standardiser(reference: reference, maintained: maintained)
        #expect(
            standardiser.standardise("voldaan", in: .eindresultaat) == StandardisedValue(waarde: "Inwoner is overleden", regel: "tabel"))
        #expect(Standardiser(reference: reference).standardise("voldaan", in: .eindresultaat).regel == "referentie")
        #expect(standardiser.standardise("Geen contact", in: .eindresultaat) == StandardisedValue(waarde: "ONBEKEND", regel: "tabel"))
        #expect(standardiser.standardise("Inwoner is overleden", in: .eindresultaat).regel == "officieel")
        #expect(standardiser.standardise("Postduif", in: .contactsoort).waarde == "ONBEKEND")
        #expect(standardiser.standardise("belronde", in: .contactsoort) == StandardisedValue(waarde: "Telefoon", regel: "tabel"))
        #expect(standardiser.standardise("Voldaan", in: .contactsoort).waarde == "ONBEKEND")
    }

    @Test("reference data: ambiguous rows give their first value, NIET and WEG are ONBEKEND on purpose")
    func reference() throws {
        let full = try TestData.full()
        #expect(full.standardise("Client niet bereikt", in: .contactsoort) == StandardisedValue(waarde: "Onbekend", regel: "referentie"))
        #expect(full.standardise("NIET", in: .eindresultaat) == StandardisedValue(waarde: "ONBEKEND", regel: "referentie"))
        #expect(full.standardise("???", in: .eindresultaat) == StandardisedValue(waarde: "ONBEKEND", regel: "onbekend"))
        #expect(full.standardise("Reeds intern bekend", in: .eindresultaat).waarde == "Inwoner heeft al een ander lopend traject")
    }

    @Test("without rules only tables and official values decide")
    func rulesDisabled() {
        let standardiser = Standardiser(rulesEnabled: false)
        #expect(standardiser.standardise("inwoner gebeld", in: .contactsoort).waarde == "ONBEKEND")
        #expect(standardiser.standardise("telefoon", in: .contactsoort).waarde == "Telefoon")
    }

    @Test("many texts keep their order")
    func batch() {
        let texts = ["telefoon", "", "asdf", "telefoon", "Huisbezoek samen", " "]
        let results = standardiser.standardise(texts, in: .contactsoort)
        #expect(results.map(\.waarde) == ["Telefoon", "LEEG", "ONBEKEND", "Telefoon", "Huisbezoek", "LEEG"])
        #expect(results == texts.map { standardiser.standardise($0, in: .contactsoort) })
    }

    @Test("a result encodes as waarde and regel")
    func codable() throws {
        let value = StandardisedValue(waarde: "Brief", regel: "officieel")
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(StandardisedValue.self, from: data) == value)
        let entry = MappingEntry(lijst: .contactsoort, tekst: "post", waarde: "Brief")
        #expect(try JSONDecoder().decode(MappingEntry.self, from: JSONEncoder().encode(entry)) == entry)
    }
}

extension String {
    /// The value with spaces around every `/` and `:`, as people type it.
    fileprivate func replacingSlashes() -> String {
        split(separator: "/", omittingEmptySubsequences: false).joined(separator: " / ").replacingOccurrences(of: ":", with: " : ")
    }
}
