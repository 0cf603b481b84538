import DDASExchange
import Foundation
import Testing

/// The semantic checks, one by one, on the valid fixtures with one thing changed.
@Suite("Data quality: the semantic checks")
struct KwaliteitTests {
    /// Analyses `pages` (each a `gegevens`) as one delivery of the first quarter of 2026.
    static func analyse(
        _ pages: [JSONValue], stream: ExchangeStroom = .vroegsignalering, periode: (String, String) = ("2026-01-01", "2026-03-31"),
        today: String = "2026-04-02"
    ) throws -> (findings: KwaliteitBevindingen, invalid: InvalidCodeValues, structural: StructuralViolations?) {
        let model = try shippedModel(stream)
        var analysis = LeveringKwaliteitAnalysis(model: model, periodeStart: periode.0, periodeEind: periode.1, today: today)
        for gegevens in pages {
            let page = try GegevensPage(body: DDASFixtures.response(gegevens), stream: stream)
            if let structural = analysis.add(page, schema: model.schema.validate(page.gegevens)) {
                return (analysis.finish().findings, analysis.finish().invalidValues, structural)
            }
        }
        let quality = analysis.finish()
        return (quality.findings, quality.invalidValues, nil)
    }

    static let signal = "/leveringen/0/vroegsignalen/0"
    static let zaak = "/leveringen/0/vroegsignaalzaken/0"

    /// The findings of the VS fixture with `pointer` set to `value`.
    static func vs(_ pointer: String, _ value: JSONValue?) throws -> KwaliteitBevindingen {
        let result = try analyse([DDASFixtures.vroegsignalering.replacing(pointer, with: value)])
        #expect(result.structural == nil)
        return result.findings
    }

    @Test("the valid fixtures have no findings, and every record is counted")
    func validFixtures() throws {
        let vs = try Self.analyse([DDASFixtures.vroegsignalering]).findings
        #expect(vs.bevindingen.isEmpty)
        #expect(vs.records == 2 && vs.zaken == 1 && vs.eenhedenMetFouten == 0 && vs.foutaandeel == 0)
        #expect(vs.verdelingen["signaalstatus"] == ["Opgepakt": 1, "Nog niet opgepakt": 1])
        #expect(vs.verdelingen["contactsoort"] == ["Brief": 1, "SMS/Whatsapp": 1])
        #expect(vs.verdelingen["eindresultaat"] == ["Vervolghulp en/of verwijzing financieel": 1])
        #expect(vs.volumePerMaand == ["2026-01": 1, "2026-02": 1])
        let shv = try Self.analyse(
            [DDASFixtures.schuldhulpverlening], stream: .schuldhulpverlening, periode: ("2026-01-01", "2026-06-30"),
            today: "2026-07-01"
        ).findings
        #expect(shv.bevindingen.isEmpty)
        #expect(shv.records == 2 && shv.eenhedenMetFouten == 0)
        #expect(shv.verdelingen["oplossingssoort"] == ["Schuldbemiddeling": 1])
    }

    @Test("the BSN elfproef, the postcode and house-number forms, and calendar dates")
    func fieldRules() {
        #expect(FieldRules.isValidBSN("111222333"))
        #expect(FieldRules.isValidBSN("123456782"))
        #expect(!FieldRules.isValidBSN("123456789"))
        #expect(!FieldRules.isValidBSN("000000000"))
        #expect(!FieldRules.isValidBSN("12345678"))
        #expect(!FieldRules.isValidBSN("1234567820"))
        #expect(!FieldRules.isValidBSN("12345678a"))
        #expect(FieldRules.isValidPostcode("1011AB"))
        for bad in ["1011 AB", "0123AB", "1011ab", "101AB", "1011ABC", ""] { #expect(!FieldRules.isValidPostcode(bad), "\(bad)") }
        #expect(FieldRules.isValidHuisnummer("1") && FieldRules.isValidHuisnummer("12345"))
        for bad in ["0", "-3", "012", "123456", "12a", "", "1.5"] { #expect(!FieldRules.isValidHuisnummer(bad), "\(bad)") }
        #expect(FieldRules.date("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-04-31", "26-01-01", "2026-1-01", "2026-01-00"] {
            #expect(FieldRules.date(bad) == nil, "\(bad)")
        }
    }

    @Test("each record-level check finds what it is for, and is counted once per record")
    func recordChecks() throws {
        let cases: [(String, JSONValue?, String)] = [
            ("\(Self.signal)/client/burgerservicenummer", "123456789", "bsn_elfproef"),
            ("/leveringen/0/vroegsignalen/1/client/postcode", "1011 AB", "postcode_vorm"),
            ("/leveringen/0/vroegsignalen/1/client/huisnummer", "0", "huisnummer_ongeldig"),
            ("\(Self.signal)/signaaldatum", "2025-12-31", "datum_buiten_periode"),
            ("\(Self.signal)/signaaldatum", "2026-05-01", "datum_onwaarschijnlijk"),
            ("/leveringen/0/vroegsignalen/1/client/geboortedatum", "1899-12-31", "datum_onwaarschijnlijk"),
            ("\(Self.zaak)/matchingsdatum", "2026-04-01", "datum_buiten_periode"),
            ("\(Self.zaak)/contactpogingen/0/datum", "2025-11-30", "datum_buiten_periode"),
            ("\(Self.zaak)/einddatumMatchingperiode", "2025-12-31", "matchingperiode_omgekeerd"),
            ("\(Self.signal)/bedrag", -5, "bedrag_negatief"),
            ("\(Self.zaak)/vroegsignalen/1/ID", "VS-9", "zaak_verwijzing_onbekend"),
            ("\(Self.signal)/status", "Opgepakt door wijkteam", "codelijst"),
            ("\(Self.zaak)/resultaat", "Inwoner accepteert geen hulp", "codelijst"),
            ("\(Self.signal)/signaalpartner", ["naam": "Woonstichting"], "schema"),
        ]
        for (pointer, value, code) in cases {
            let findings = try Self.vs(pointer, value)
            #expect(findings.bevindingen == [code: 1], "\(pointer) → \(code): \(findings.bevindingen)")
            #expect(findings.eenhedenPerControle[code] == 1)
            #expect(findings.eenhedenMetFouten == 1, "\(code)")
        }
    }

    @Test("the warnings: Opgepakt without a zaak, contactpogingen without a resultaat; they do not count as errors")
    func warnings() throws {
        let lonely = try Self.vs("\(Self.zaak)/vroegsignalen", [["ID": "VS-2"]])
        #expect(lonely.bevindingen == ["opgepakt_zonder_zaak": 1])
        #expect(lonely.eenhedenMetWaarschuwingen == 1 && lonely.eenhedenMetFouten == 0)
        let silent = try Self.vs("\(Self.zaak)/resultaat", nil)
        #expect(silent.bevindingen == ["contact_zonder_resultaat": 1])
        #expect(silent.eenhedenMetFouten == 0 && silent.eenhedenMetWaarschuwingen == 1)
        #expect(silent.verdelingen["eindresultaat"] == ["LEEG": 1])
    }

    @Test("references and doubles are checked across pages: a signal on a later page resolves a zaak's reference")
    func acrossPages() throws {
        let base = DDASFixtures.vroegsignalering
        let first = base.replacing("/leveringen/0/vroegsignalen/1", with: nil)
        let second = base.replacing("/leveringen/0/vroegsignalen/0", with: nil).replacing("/leveringen/0/vroegsignaalzaken", with: [])
        let split = try Self.analyse([first, second]).findings
        #expect(split.bevindingen.isEmpty, "\(split.bevindingen)")
        #expect(split.records == 2 && split.zaken == 1)
        let twice = try Self.analyse([base, base.replacing("/leveringen/0/vroegsignaalzaken", with: [])]).findings
        #expect(twice.bevindingen == ["id_dubbel": 2])
        let missing = try Self.analyse([first]).findings
        #expect(missing.bevindingen == ["zaak_verwijzing_onbekend": 1])
    }

    @Test("invalid code-list values are counted in the distribution and kept, in memory, for the suggestions")
    func invalidValues() throws {
        let gegevens = DDASFixtures.vroegsignalering.replacing("\(Self.zaak)/contactpogingen/0/soort", with: "tel.")
            .replacing("\(Self.zaak)/contactpogingen/1/soort", with: "tel.")
        let result = try Self.analyse([gegevens])
        #expect(result.findings.bevindingen == ["codelijst": 2])
        #expect(result.findings.eenhedenMetFouten == 1)
        #expect(result.findings.verdelingen["contactsoort"] == ["ONGELDIG": 2])
        #expect(result.invalid.counts["contactsoort"] == ["tel.": 2])
        #expect(result.findings.schemaRegels.isEmpty)
    }

    @Test("schema violations inside records count per record and per rule; outside them the page is unreadable")
    func schemaAttribution() throws {
        let inside = try Self.vs("\(Self.signal)/signaaldatum", "05-01-2026")
        #expect(inside.bevindingen == ["schema": 1])
        #expect(inside.schemaRegels == ["/$defs/datum/format": 1])
        #expect(inside.volumePerMaand["onbekend"] == 1)
        let outside = try Self.analyse([DDASFixtures.vroegsignalering.replacing("/codeGegevensleverancier", with: nil)])
        #expect(outside.structural?.count == 1)
        #expect(outside.structural?.first?.keyword == .required)
        let levering = try Self.analyse([DDASFixtures.vroegsignalering.replacing("/leveringen/0/teller", with: "een")])
        #expect(levering.structural?.count == 1)
    }

    @Test("SHV: amounts, dates, periods, BSN and its code lists")
    func schuldhulp() throws {
        let traject = "/leveringen/0/schuldhulptrajecten/0"
        let cases: [(String, JSONValue?, String)] = [
            ("\(traject)/totaalSchuldbedragBijAanvangSchuld", -1, "bedrag_negatief"),
            ("\(traject)/oplossing/vtlb", -100, "bedrag_negatief"),
            ("\(traject)/client/0/Burgerservicenummer", "123456789", "bsn_elfproef"),
            ("\(traject)/client/0/Geboortedatum", "01-06-1975", "datum_vorm"),
            ("\(traject)/client/0/Geboortedatum", "1850-06-01", "datum_onwaarschijnlijk"),
            ("\(traject)/aanmelding/einddatum", "2026-01-01", "periode_omgekeerd"),
            ("\(traject)/uitstroom/datum", "2027-01-01", "datum_onwaarschijnlijk"),
            ("/leveringen/0/schuldhulptrajecten/1/client/0/Postcode", "1011", "postcode_vorm"),
            ("\(traject)/uitstroom/reden", "Verhuisd naar buitenland", "codelijst"),
        ]
        for (pointer, value, code) in cases {
            let result = try Self.analyse(
                [DDASFixtures.schuldhulpverlening.replacing(pointer, with: value)], stream: .schuldhulpverlening,
                periode: ("2026-01-01", "2026-06-30"), today: "2026-07-01")
            #expect(result.structural == nil)
            #expect(result.findings.bevindingen == [code: 1], "\(pointer) → \(code): \(result.findings.bevindingen)")
        }
    }

    @Test("every check has a stable code, a severity and a Dutch description; the findings hold no payload value")
    func catalogue() throws {
        #expect(Set(KwaliteitCheck.all.map(\.code)).count == KwaliteitCheck.all.count)
        #expect(KwaliteitCheck.all.allSatisfy { !$0.omschrijving.isEmpty && !$0.streams.isEmpty })
        #expect(KwaliteitCheck.checks(of: .vroegsignalering).filter { $0.severity == .warning }.count == 2)
        let damaged = DDASFixtures.vroegsignalering.replacing("\(Self.signal)/client/burgerservicenummer", with: "123456789")
            .replacing("\(Self.zaak)/resultaat", with: "Inwoner accepteert geen hulp")
        let findings = try Self.analyse([damaged]).findings
        let text = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        for value in DDASFixtures.strings(in: damaged) where value.count >= 4 && !Self.reportWords.contains(value) {
            #expect(!text.contains(value), "\(value) appears in the findings")
        }
    }

    /// Strings of the fixture that are also words of the report (code-list values, months).
    static let reportWords: Set<String> = [
        "Opgepakt", "Nog niet opgepakt", "Energie", "CAK Zorgverzekeringen", "Brief", "SMS/Whatsapp", "Ochtend", "Avond",
        "Vervolghulp en/of verwijzing financieel", "Vrouw",
    ]
}
