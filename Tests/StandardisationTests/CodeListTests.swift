import Foundation
import Standardisation
import Testing

/// The code lists against the JSON Schemas of the exchange (`Exchange/`).
@Suite("Code lists")
struct CodeListTests {
    static let enums: [CodeList: (file: String, name: String)] = [
        .eindresultaat: ("DDAS-VS-uitwisselmodel-v1.2.json", "EnumEindresultaat"),
        .contactsoort: ("DDAS-VS-uitwisselmodel-v1.2.json", "EnumContactsoort"),
        .signaalpartner: ("DDAS-VS-uitwisselmodel-v1.2.json", "EnumSignaalpartner"),
        .signaalstatus: ("DDAS-VS-uitwisselmodel-v1.2.json", "EnumSignaalstatus"),
        .begeleidingssoort: ("DDAS-SHV-uitwisselmodel-v1.0.json", "EnumBegeleidingssoort"),
        .uitstroomreden: ("DDAS-SHV-uitwisselmodel-v1.0.json", "EnumUitstroomreden"),
        .schuldensoort: ("DDAS-SHV-uitwisselmodel-v1.0.json", "EnumSchuldensoort"),
        .oplossingssoort: ("DDAS-SHV-uitwisselmodel-v1.0.json", "EnumOplossingssoort"),
        .beschikkingssoort: ("DDAS-SHV-uitwisselmodel-v1.0.json", "EnumBeschikkingssoort"),
    ]

    @Test("official values are the schema's enum, in schema order", arguments: CodeList.allCases)
    func schemaEnum(lijst: CodeList) throws {
        let source = try #require(Self.enums[lijst])
        let data = try Data(contentsOf: TestData.exchangeDirectory.appendingPathComponent(source.file))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let values = try #require((definitions[source.name] as? [String: Any])?["enum"] as? [String])
        #expect(lijst.officialValues == values)
        #expect(lijst.stream == (source.file.contains("-VS-") ? "VS" : "SHV"))
    }

    @Test("a list accepts its official values and ONBEKEND, nothing else")
    func accepts() {
        #expect(CodeList.contactsoort.accepts("Onbekend"))
        #expect(CodeList.contactsoort.accepts("ONBEKEND"))
        #expect(!CodeList.contactsoort.accepts("LEEG"))
        #expect(!CodeList.contactsoort.accepts("telefoon"))
        #expect(!CodeList.eindresultaat.accepts("Telefoon"))
        #expect(CodeList.allCases.allSatisfy { list in list.officialValues.allSatisfy(list.accepts) })
    }

    @Test("no official value normalises to another of its list")
    func distinctNormalForms() {
        for list in CodeList.allCases {
            let forms = list.officialValues.map { TextNormalisation.normalise($0).replacingOccurrences(of: " ", with: "") }
            #expect(Set(forms).count == forms.count, "\(list)")
        }
    }
}
