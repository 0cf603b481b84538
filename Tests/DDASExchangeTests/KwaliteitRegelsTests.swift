import DDASExchange
import Foundation
import Testing

/// The field rules at their edges, the code-list tables, and the vroegsignaal IDs across
/// pages: what the op-orde-rapport counts for the values on either side of each rule.
@Suite("Data quality: the rules at their edges")
struct KwaliteitRegelsTests {
    static let signal = KwaliteitTests.signal
    static let zaak = KwaliteitTests.zaak

    @Test("calendar dates: leap days, the first and last day writable, and forms that are no date")
    func dates() {
        for valid in ["2024-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2026-04-30", "2026-12-31", "2026-01-01"] {
            #expect(FieldRules.date(valid) == valid, "\(valid)")
        }
        for invalid in [
            "2023-02-29", "1900-02-29", "2026-00-10", "2026-04-31", "2026-02-30", "2026-01-32", "2026-1-1", "2026/01/01",
            "20260101", "2026-01-01T00:00", " 2026-01-01", "２026-01-01", "-026-01-01", "", "2026-0a-01",
        ] {
            #expect(FieldRules.date(invalid) == nil, "\(invalid)")
        }
    }

    @Test("postcodes: 1234AB only, in capitals, not starting with 0")
    func postcodes() {
        for valid in ["1234AB", "9999ZZ", "1000AA"] { #expect(FieldRules.isValidPostcode(valid), "\(valid)") }
        for invalid in ["1234 AB", "0123AB", "1234ab", "1234aB", "1234A", "12345B", "1234ÄB", "１234AB", "AB1234", "1234AB "] {
            #expect(!FieldRules.isValidPostcode(invalid), "\(invalid)")
        }
    }

    @Test("huisnummers: 1 to 99999 written plainly; 0, negatives and huge numbers are not")
    func huisnummers() {
        for valid in ["1", "99999", "10", "100"] { #expect(FieldRules.isValidHuisnummer(valid), "\(valid)") }
        for invalid in ["0", "-1", "00001", "100000", "\(Int64.max)", String(repeating: "9", count: 400), "+1", "1 ", "٣"] {
            #expect(!FieldRules.isValidHuisnummer(invalid), "\(invalid)")
        }
    }

    @Test("BSN: nine digits passing the elfproef, and nothing else")
    func bsn() {
        for valid in ["111222333", "123456782", "999999990"] { #expect(FieldRules.isValidBSN(valid), "\(valid)") }
        for invalid in ["000000000", "123456789", "12345678", "1234567820", "12345678a", "١٢٣٤٥٦٧٨٢", ""] {
            #expect(!FieldRules.isValidBSN(invalid), "\(invalid)")
        }
    }

    @Test("a code list finds its values by their exact code points, and nothing else")
    func codeListTable() throws {
        let model = try shippedModel(.vroegsignalering)
        for (name, list) in model.codeLists {
            for (position, value) in list.values.enumerated() {
                #expect(list.index(of: value) == position, "\(name): \(value)")
                #expect(!list.contains(value + " "), "\(name): \(value)")
                #expect(!list.contains(value.uppercased()) || value.uppercased() == value, "\(name): \(value)")
                #expect(!list.contains(String(value.dropLast())), "\(name): \(value)")
            }
        }
        let list = CodeListValues(["Brief", "Briefpost", "Tele", "Telefoon", "Telefoonnummer", "É"])
        #expect(list.index(of: "Telefoonnummer") == 4 && list.index(of: "Telefoon") == 3 && list.index(of: "Tele") == 2)
        #expect(list.index(of: "Telefoonnummex") == nil && list.index(of: "Briefpose") == nil && list.index(of: "") == nil)
        #expect(list.index(of: "E\u{301}") == nil, "a canonically equivalent text is another value")
        #expect(list.index(of: "É") == 5)
    }

    @Test("dates at the edges of plausibility: 0000-01-01 and 9999-12-31 are implausible, 2024-02-29 in range is not")
    func implausibleDates() throws {
        let cases: [(String, [String: Int])] = [
            ("0000-01-01", ["datum_onwaarschijnlijk": 1]), ("9999-12-31", ["datum_onwaarschijnlijk": 1]),
            ("1900-01-01", [:]), ("1899-12-31", ["datum_onwaarschijnlijk": 1]), ("2026-04-02", [:]),
            ("2026-04-03", ["datum_onwaarschijnlijk": 1]), ("2024-02-29", [:]),
        ]
        for (value, expected) in cases {
            let findings = try KwaliteitTests.vs("/leveringen/0/vroegsignalen/1/client/geboortedatum", .string(value))
            #expect(findings.bevindingen == expected, "\(value): \(findings.bevindingen)")
        }
        let leapDay = try KwaliteitTests.analyse(
            [DDASFixtures.vroegsignalering.replacing("\(Self.signal)/signaaldatum", with: "2024-02-29")],
            periode: ("2024-01-01", "2026-03-31")
        ).findings
        #expect(leapDay.bevindingen.isEmpty, "\(leapDay.bevindingen)")
        #expect(leapDay.volumePerMaand["2024-02"] == 1)
    }

    @Test("a period bound that is not a date is compared as text, as before")
    func textBounds() throws {
        let open = try KwaliteitTests.analyse([DDASFixtures.vroegsignalering], periode: ("", "9999"), today: "9999").findings
        #expect(open.bevindingen.isEmpty, "\(open.bevindingen)")
        let closed = try KwaliteitTests.analyse([DDASFixtures.vroegsignalering], periode: ("2026-02", "2026-02~"), today: "2026-1")
        // Text order: `2026-01-05` < `2026-02` (outside), `2026-02-27` between `2026-02` and `2026-02~`,
        // and every date before `2026-1`.
        #expect(closed.findings.bevindingen == ["datum_buiten_periode": 4], "\(closed.findings.bevindingen)")
        #expect(closed.findings.eenhedenPerControle == ["datum_buiten_periode": 2])
    }

    /// The VS fixture with its signals' IDs (and the zaak's references to them) set to `first` and `second`.
    static func withIDs(_ first: String, _ second: String, references: [String]? = nil) -> JSONValue {
        DDASFixtures.vroegsignalering.replacing("\(signal)/ID", with: .string(first))
            .replacing("/leveringen/0/vroegsignalen/1/ID", with: .string(second))
            .replacing("\(zaak)/vroegsignalen", with: .array((references ?? [first, second]).map { ["ID": .string($0)] }))
    }

    @Test("UUID IDs: a double across pages is found; the same UUID in capitals is another ID, as its text is")
    func uuidIDs() throws {
        let lower = "0f8fad5b-d9cb-469f-a165-70867728950e"
        let other = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
        let clean = try KwaliteitTests.analyse([Self.withIDs(lower, other)]).findings
        #expect(clean.bevindingen.isEmpty, "\(clean.bevindingen)")
        let page = Self.withIDs(lower, other)
        let twice = try KwaliteitTests.analyse([page, page.replacing("/leveringen/0/vroegsignaalzaken", with: [])]).findings
        #expect(twice.bevindingen == ["id_dubbel": 2])
        let cased = try KwaliteitTests.analyse([Self.withIDs(lower, lower.uppercased())]).findings
        #expect(cased.bevindingen.isEmpty, "\(cased.bevindingen)")
        let unresolved = try KwaliteitTests.analyse([Self.withIDs(lower, other, references: [lower, other.uppercased()])])
        #expect(unresolved.findings.bevindingen == ["zaak_verwijzing_onbekend": 1])
        let mixed = "0F8fad5b-d9cb-469f-a165-70867728950e"
        let mixedTwice = try KwaliteitTests.analyse([Self.withIDs(mixed, mixed, references: [mixed])]).findings
        #expect(mixedTwice.bevindingen == ["id_dubbel": 1])
    }

    @Test("IDs that are not UUIDs are compared as text: doubles, near-UUIDs and references across pages")
    func textIDs() throws {
        for (first, second) in [
            ("VS-1", "VS-1"), ("0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5b-d9cb-469f-a165-70867728950"),
            ("0f8fad5b_d9cb_469f_a165_70867728950e", "0f8fad5b_d9cb_469f_a165_70867728950e"), ("é", "e\u{301}"),
        ] {
            let findings = try KwaliteitTests.analyse([Self.withIDs(first, second, references: [first])]).findings
            #expect(findings.bevindingen == ["id_dubbel": 1], "\(first): \(findings.bevindingen)")
        }
        let near = try KwaliteitTests.analyse([
            Self.withIDs("0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5bzd9cb-469f-a165-70867728950e")
        ]).findings
        #expect(near.bevindingen.isEmpty, "\(near.bevindingen)")
        let base = Self.withIDs("VS-1", "1f8fad5b-d9cb-469f-a165-70867728950e")
        let first = base.replacing("/leveringen/0/vroegsignalen/1", with: nil)
        let second = base.replacing(Self.signal, with: nil).replacing("/leveringen/0/vroegsignaalzaken", with: [])
        #expect(try KwaliteitTests.analyse([first, second]).findings.bevindingen.isEmpty)
        #expect(try KwaliteitTests.analyse([first]).findings.bevindingen == ["zaak_verwijzing_onbekend": 1])
    }

    @Test("a model without a code list counts each text as its own value, and only non-texts as invalid")
    func modelWithoutCodeLists() throws {
        let shipped = try shippedModel(.vroegsignalering)
        let model = ExchangeModel(stream: shipped.stream, version: shipped.version, schema: shipped.schema)
        let gegevens = DDASFixtures.vroegsignalering.replacing("\(Self.zaak)/contactpogingen/0/soort", with: "tel.")
        let page = try GegevensPage(body: DDASFixtures.response(gegevens), stream: .vroegsignalering)
        var analysis = LeveringKwaliteitAnalysis(
            model: model, periodeStart: "2026-01-01", periodeEind: "2026-03-31", today: "2026-04-02")
        #expect(analysis.add(page, schema: model.schema.validate(page.gegevens)) == nil)
        let findings = analysis.finish().findings
        #expect(findings.bevindingen.isEmpty)
        #expect(findings.verdelingen["contactsoort"] == ["tel.": 1, "SMS/Whatsapp": 1])
        #expect(findings.verdelingen["signaalstatus"] == ["Opgepakt": 1, "Nog niet opgepakt": 1])
    }

    @Test("a listing places each finding of a record in the order of its checks, with its pointer")
    func placesInOrder() throws {
        let model = try shippedModel(.vroegsignalering)
        let second = "/leveringen/0/vroegsignalen/1"
        let gegevens = DDASFixtures.vroegsignalering.replacing("\(second)/client/huisnummer", with: "0")
            .replacing("\(second)/client/postcode", with: "1011 AB")
            .replacing("\(Self.signal)/bedrag", with: -1).replacing("\(Self.signal)/signaaldatum", with: "2025-12-31")
            .replacing("\(Self.signal)/client/burgerservicenummer", with: "123456789")
            .replacing("\(Self.zaak)/contactpogingen/1/datum", with: "2027-01-01")
        let report = try ExchangeDocumentCheck(model: model, periode: ("2026-01-01", "2026-03-31"), today: "2026-04-02")
            .check(gegevens).get()
        #expect(
            report.bevindingen.map { "\($0.code) \($0.pointer)" } == [
                "bedrag_negatief \(Self.signal)/bedrag", "datum_buiten_periode \(Self.signal)/signaaldatum",
                "bsn_elfproef \(Self.signal)/client/burgerservicenummer", "postcode_vorm \(second)/client/postcode",
                "huisnummer_ongeldig \(second)/client/huisnummer", "datum_onwaarschijnlijk \(Self.zaak)/contactpogingen/1/datum",
            ])
        #expect(report.telling.eenhedenMetFouten == 3 && report.bevindingenTotaal == 6)
    }
    @Test("strings written with escapes count as the text they stand for: IDs, code-list values, dates and keys")
    func escapedStrings() throws {
        let model = try shippedModel(.vroegsignalering)
        let gegevens = DDASFixtures.vroegsignalering.replacing("\(Self.zaak)/contactpogingen/1/soort", with: "tel.")
            .replacing("/leveringen/0/vroegsignalen/1/client/postcode", with: "1011 AB")
        let plain = String(decoding: DDASFixtures.response(gegevens), as: UTF8.self)
        let escaped = plain.replacingOccurrences(of: "\"Opgepakt\"", with: "\"Opge\\u0070akt\"")
            .replacingOccurrences(of: "\"VS-1\"", with: "\"VS\\u002d1\"").replacingOccurrences(of: "2026-01-05", with: "2026\\u002d01-05")
            .replacingOccurrences(of: "\"Brief\"", with: "\"Bri\\u0065f\"").replacingOccurrences(of: "\"tel.\"", with: "\"t\\u0065l.\"")
            .replacingOccurrences(of: "\"signaaldatum\"", with: "\"signaal\\u0064atum\"")
        #expect(escaped != plain)
        func findings(_ text: String) throws -> LeveringKwaliteit {
            let page = try GegevensPage(body: Array(text.utf8), stream: .vroegsignalering)
            var analysis = LeveringKwaliteitAnalysis(
                model: model, periodeStart: "2026-01-01", periodeEind: "2026-03-31", today: "2026-04-02", listsPlaces: true)
            #expect(analysis.add(page, schema: model.schema.validate(page.gegevens)) == nil)
            return analysis.finish()
        }
        let expected = try findings(plain)
        let found = try findings(escaped)
        #expect(expected.findings.bevindingen == ["codelijst": 1, "postcode_vorm": 1])
        #expect(found.findings == expected.findings)
        #expect(found.geplaatst == expected.geplaatst)
        #expect(found.invalidValues.counts == ["contactsoort": ["tel.": 1]])
    }
    @Test("schema violations are attributed to records from the page's own validation, as validating each record gives")
    func schemaAttributionWithoutSecondPass() throws {
        let model = try shippedModel(.vroegsignalering)
        let gegevens = DDASFixtures.vroegsignalering.replacing("\(Self.signal)/signaaldatum", with: "05-01-2026")
            .replacing("/leveringen/0/vroegsignalen/1/bedrag", with: "veel").replacing("\(Self.zaak)/resultaat", with: "Onbekend")
            .replacing("\(Self.zaak)/contactpogingen/0/bereikt", with: "ja")
        let page = try GegevensPage(body: DDASFixtures.response(gegevens), stream: .vroegsignalering)
        let validated = model.schema.validate(page.gegevensOnTape)
        #expect(!validated.countsByRecord.isEmpty)
        let bare = SchemaValidationResult(
            violations: validated.violations, totalViolationCount: validated.totalViolationCount,
            countsByKeywordLocation: validated.countsByKeywordLocation)
        func findings(_ schema: SchemaValidationResult) -> KwaliteitBevindingen {
            var analysis = LeveringKwaliteitAnalysis(
                model: model, periodeStart: "2026-01-01", periodeEind: "2026-03-31", today: "2026-04-02")
            #expect(analysis.add(page, schema: schema) == nil)
            return analysis.finish().findings
        }
        let attributed = findings(validated)
        #expect(attributed == findings(bare))
        #expect(attributed.bevindingen == ["schema": 3, "codelijst": 1], "\(attributed.bevindingen)")
        #expect(attributed.eenhedenMetFouten == 3)
    }
}
