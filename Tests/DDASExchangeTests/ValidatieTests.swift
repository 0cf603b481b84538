import DDASExchange
import Foundation
import Testing

/// The official examples of the VS model (`Fixtures/Voorbeelden`, provenance in its README).
enum Voorbeelden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Voorbeelden")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

@Suite("Validation of an export before it goes live: the official examples and the shared findings")
struct ValidatieTests {
    static func check(_ stream: ExchangeStroom = .vroegsignalering, gemeenten: Set<ExchangeGemeentecode>? = nil) throws
        -> ExchangeDocumentCheck
    {
        ExchangeDocumentCheck(model: try shippedModel(stream), gemeenten: gemeenten, today: "2026-07-01")
    }

    static func report(_ bytes: [UInt8], _ stream: ExchangeStroom = .vroegsignalering) throws -> ValidatieRapport {
        try check(stream).check(bytes).get()
    }

    @Test("meervoudigVoorbeeld: the misspelt startdatumMatchtingperiode twice and BSN 111111111 twice, each at its pointer")
    func meervoudig() throws {
        let rapport = try Self.report(Voorbeelden.bytes("meervoudigVoorbeeld.json"))
        let found = Set(rapport.bevindingen.map { "\($0.code) \($0.pointer)" })
        #expect(
            found == [
                "schema /leveringen/0/vroegsignaalzaken/0/startdatumMatchtingperiode",
                "schema /leveringen/1/vroegsignaalzaken/0/startdatumMatchtingperiode",
                "bsn_elfproef /leveringen/0/vroegsignalen/0/client/burgerservicenummer",
                "bsn_elfproef /leveringen/0/vroegsignalen/1/client/burgerservicenummer",
            ])
        #expect(rapport.bevindingenTotaal == 4 && rapport.vorm == .uitwisselmodel)
        #expect(rapport.telling.schemaOvertredingenTotaal == 2)
        #expect(rapport.telling.bevindingen["bsn_elfproef"] == 2)
        let bsn = try #require(rapport.bevindingen.first { $0.code == "bsn_elfproef" })
        #expect(bsn.uitleg == KwaliteitCheck.bsn.omschrijving && bsn.ernst == .error && bsn.regel == nil)
        let schema = try #require(rapport.bevindingen.first { $0.code == "schema" })
        #expect(schema.regel?.hasSuffix("additionalProperties") == true)
        #expect(schema.uitleg.contains("tikfout"))
        let encoded = String(decoding: try JSONEncoder().encode(rapport), as: UTF8.self)
        #expect(!encoded.contains("111111111"), "the report never carries the value")
    }

    @Test("enkelvoudigVoorbeeld: only the misspelt startdatumMatchtingperiode")
    func enkelvoudig() throws {
        let rapport = try Self.report(Voorbeelden.bytes("enkelvoudigVoorbeeld.json"))
        #expect(
            rapport.bevindingen.map { "\($0.code) \($0.pointer)" } == [
                "schema /leveringen/0/vroegsignaalzaken/0/startdatumMatchtingperiode"
            ])
        #expect(!rapport.isClean)
    }

    @Test(
        "uitgebreidVoorbeeld: 16 misspelt fields, the eindresultaat Verwijzing zonder toestemming outside its list, 6 BSNs that fail the elfproef"
    )
    func uitgebreid() throws {
        let rapport = try Self.report(Voorbeelden.bytes("uitgebreidVoorbeeld.json"))
        let schema = rapport.bevindingen.filter { $0.code == "schema" }
        #expect(schema.count == 16)
        #expect(schema.allSatisfy { $0.pointer.hasSuffix("/startdatumMatchtingperiode") })
        let codeList = rapport.bevindingen.filter { $0.code == "codelijst" }
        #expect(codeList.map(\.pointer) == ["/leveringen/0/vroegsignaalzaken/5/resultaat"])
        #expect(codeList.first?.regel == "/$defs/EnumEindresultaat/enum")
        #expect(rapport.bevindingen.filter { $0.code == "bsn_elfproef" }.count == 6)
        #expect(rapport.bevindingenTotaal == 23 && rapport.telling.schemaOvertredingenTotaal == 17)
    }

    @Test("the valid fixtures give no finding, as a bare model and as a page with /gegevens pointers; SHV against the SHV model")
    func clean() throws {
        let vs = try Self.check().check(DDASFixtures.vroegsignalering).get()
        #expect(vs.isClean && vs.bevindingen.isEmpty && vs.telling.records == 2)
        let page = try Self.report(Array(DDASFixtures.response(DDASFixtures.vroegsignalering)))
        #expect(page.isClean && page.vorm == .pagina)
        let shv = try Self.check(.schuldhulpverlening).check(DDASFixtures.schuldhulpverlening).get()
        #expect(shv.isClean && shv.telling.stroom == "SHV")
        let shvBSN = DDASFixtures.schuldhulpverlening.replacing(
            "/leveringen/0/schuldhulptrajecten/0/client/0/Burgerservicenummer", with: "123456789")
        let shvFound = try Self.check(.schuldhulpverlening).check(shvBSN).get()
        #expect(
            shvFound.bevindingen.map { "\($0.code) \($0.pointer)" } == [
                "bsn_elfproef /leveringen/0/schuldhulptrajecten/0/client/0/Burgerservicenummer"
            ], "an SHV BSN at its own pointer")
        let wrong = try Self.check(.vroegsignalering).check(DDASFixtures.schuldhulpverlening).get()
        #expect(!wrong.isClean, "an SHV export checked against the VS model fails")
        let broken = DDASFixtures.vroegsignalering.replacing("/leveringen/0/vroegsignalen/0/client/burgerservicenummer", with: "123456789")
        let response = try Self.report(Array(DDASFixtures.response(broken)))
        #expect(response.bevindingen.map(\.pointer) == ["/gegevens/leveringen/0/vroegsignalen/0/client/burgerservicenummer"])
    }

    @Test("a levering of another gemeente is a finding when the gemeente is named")
    func foreignGemeente() throws {
        let only = try #require(ExchangeGemeentecode("GM9999"))
        let rapport = try Self.check(gemeenten: [only]).check(Voorbeelden.bytes("enkelvoudigVoorbeeld.json")).get()
        #expect(rapport.bevindingen.contains { $0.code == "gemeente_vreemd" && $0.pointer == "/leveringen/0/gemeentecode" })
    }

    @Test("not JSON, cut off, not an object, and larger than a page: unusable, with a stable code")
    func unusable() throws {
        let check = try Self.check()
        let whole = try Voorbeelden.bytes("enkelvoudigVoorbeeld.json")
        #expect(throws: ValidatieInvoerFout.self) { try check.check(Array("not json".utf8)).get() }
        #expect(throws: ValidatieInvoerFout.self) { try check.check(Array(whole.prefix(whole.count / 2))).get() }
        #expect(throws: ValidatieInvoerFout.notAnObject) { try check.check(Array("[1]".utf8)).get() }
        #expect(throws: ValidatieInvoerFout.self) { try check.check([]).get() }
        #expect(throws: ValidatieInvoerFout.tooLarge) {
            try check.check([UInt8](repeating: 32, count: ExchangeDocumentCheck.maximumBytes + 1)).get()
        }
    }

    @Test("a pull lists no places: the op-orde-rapport's counts are the same with and without the list")
    func sameCounts() throws {
        let model = try shippedModel(.vroegsignalering)
        let page = try GegevensPage(body: Data(Voorbeelden.bytes("meervoudigVoorbeeld.json")).wrappedAsPage, stream: .vroegsignalering)
        var counting = LeveringKwaliteitAnalysis(model: model, periodeStart: "2025-01-01", periodeEind: "2025-01-31", today: "2026-07-01")
        var listing = LeveringKwaliteitAnalysis(
            model: model, periodeStart: "2025-01-01", periodeEind: "2025-01-31", today: "2026-07-01", listsPlaces: true)
        _ = counting.add(page, schema: model.schema.validate(page.gegevens))
        _ = listing.add(page, schema: model.schema.validate(page.gegevens))
        #expect(counting.finish().findings == listing.finish().findings)
        #expect(counting.finish().geplaatst == nil)
        #expect(listing.finish().geplaatstTotaal == 4)
    }
}

extension Data {
    /// A page `{"gegevens": …}` around this document.
    var wrappedAsPage: Data { Data("{\"gegevens\":".utf8) + self + Data("}".utf8) }
}
