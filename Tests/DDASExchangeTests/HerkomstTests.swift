import DDASExchange
import Foundation
import Testing

/// The op-orde-rapport's count per herkomst: vroegsignalen and crisissignalen, and their zaken.
@Suite("Data quality: the counts per herkomst")
struct HerkomstTests {
    /// The counts of `herkomst` in `findings`.
    static func split(_ findings: KwaliteitBevindingen, _ herkomst: Herkomst) throws -> HerkomstAantallen {
        try #require(findings.perHerkomst?[herkomst.rawValue])
    }

    /// Whether the herkomsten add up to the totals, count for count.
    static func addsUp(_ findings: KwaliteitBevindingen) -> Bool {
        var sum = HerkomstAantallen()
        for counts in findings.perHerkomst?.values.map({ $0 }) ?? [] { sum.add(counts) }
        return sum == HerkomstAantallen(records: findings.records, zaken: findings.zaken, verdelingen: findings.verdelingen)
    }

    @Test("a known page is split exactly: the crisissignaal and the zaak that refers to it apart from the plain vroegsignaal")
    func knownPage() throws {
        let findings = try KwaliteitTests.analyse([DDASFixtures.vroegsignalering]).findings
        #expect(findings.perHerkomst?.keys.sorted() == ["crisissignaal", "vroegsignaal"])
        let plain = try Self.split(findings, .vroegsignaal)
        let crisis = try Self.split(findings, .crisissignaal)
        #expect(
            plain
                == HerkomstAantallen(
                    records: 1, zaken: 0, verdelingen: ["signaalstatus": ["Opgepakt": 1], "signaalpartner": ["Energie": 1]]))
        #expect(
            crisis
                == HerkomstAantallen(
                    records: 1, zaken: 1,
                    verdelingen: [
                        "signaalstatus": ["Nog niet opgepakt": 1], "signaalpartner": ["CAK Zorgverzekeringen": 1],
                        "eindresultaat": ["Vervolghulp en/of verwijzing financieel": 1],
                        "contactsoort": ["Brief": 1, "SMS/Whatsapp": 1], "dagdeel": ["Ochtend": 1, "Avond": 1],
                    ]))
        #expect(Self.addsUp(findings))
    }

    @Test("crisissignaal false or absent is a vroegsignaal, and so is the zaak that refers to none")
    func falseOrAbsent() throws {
        for value: JSONValue? in [false, nil] {
            let findings = try KwaliteitTests.vs("/leveringen/0/vroegsignalen/1/crisissignaal", value)
            #expect(try Self.split(findings, .crisissignaal) == HerkomstAantallen())
            let plain = try Self.split(findings, .vroegsignaal)
            #expect(plain.records == 2 && plain.zaken == 1 && plain.verdelingen["contactsoort"] == ["Brief": 1, "SMS/Whatsapp": 1])
            #expect(Self.addsUp(findings))
        }
        // A zaak that refers only to an ID the delivery does not hold: a vroegsignaal.
        let unknown = try KwaliteitTests.vs("\(KwaliteitTests.zaak)/vroegsignalen", [["ID": "VS-404"]])
        #expect(unknown.bevindingen["zaak_verwijzing_onbekend"] == 1)
        #expect(try Self.split(unknown, .vroegsignaal).zaken == 1 && Self.split(unknown, .crisissignaal).zaken == 0)
        #expect(Self.addsUp(unknown))
    }

    @Test("a zaak before its crisissignaal, on an earlier page, gets its herkomst when the signal comes")
    func zaakBeforeItsSignal() throws {
        let zaakOnly = DDASFixtures.vroegsignalering.replacing("/leveringen/0/vroegsignalen", with: [])
        let signalsOnly = DDASFixtures.vroegsignalering.replacing("/leveringen/0/vroegsignaalzaken", with: [])
        let findings = try KwaliteitTests.analyse([zaakOnly, signalsOnly]).findings
        #expect(findings.bevindingen.isEmpty, "\(findings.bevindingen)")
        let crisis = try Self.split(findings, .crisissignaal)
        #expect(crisis.records == 1 && crisis.zaken == 1)
        #expect(crisis.verdelingen["eindresultaat"] == ["Vervolghulp en/of verwijzing financieel": 1])
        #expect(try Self.split(findings, .vroegsignaal).zaken == 0)
        #expect(Self.addsUp(findings))
        // The same zaak pointing at the plain signal only: a vroegsignaal at the end.
        let plainZaak = zaakOnly.replacing("\(KwaliteitTests.zaak)/vroegsignalen", with: [["ID": "VS-1"]])
        let plain = try KwaliteitTests.analyse([plainZaak, signalsOnly]).findings
        #expect(try Self.split(plain, .vroegsignaal).zaken == 1 && Self.split(plain, .crisissignaal).zaken == 0)
        #expect(Self.addsUp(plain))
    }

    @Test("SHV has no herkomst split, and a report stored before the split decodes without one")
    func noSplit() throws {
        let shv = try KwaliteitTests.analyse(
            [DDASFixtures.schuldhulpverlening], stream: .schuldhulpverlening, periode: ("2026-01-01", "2026-06-30"), today: "2026-07-01"
        ).findings
        #expect(shv.perHerkomst == nil)
        let old =
            #"{"stroom":"VS","modelVersie":"1.2","records":2,"zaken":1,"eenhedenMetFouten":0,"eenhedenMetWaarschuwingen":0,"#
            + #""bevindingen":{},"eenhedenPerControle":{},"schemaRegels":{},"verdelingen":{"signaalstatus":{"Opgepakt":2}},"#
            + #""volumePerMaand":{"2026-01":2}}"#
        let decoded = try JSONDecoder().decode(KwaliteitBevindingen.self, from: Data(old.utf8))
        #expect(decoded.records == 2 && decoded.perHerkomst == nil)
    }
}
