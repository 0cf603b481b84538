import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

@testable import RegieApp

/// "Vroegsignalering in cijfers" as a client reads it.
struct CijfersBody: Decodable {
    struct Figuur: Decodable {
        let gemeenten: Int
        let records: Int?
        let zaken: Int?
        let verdelingen: [RapportBody.Verdeling]
        let perHerkomst: [Deel]?
        let zonderHerkomst: Int

        /// The count of `waarde` in `lijst`, nil when suppressed or absent.
        func aantal(_ lijst: String, _ waarde: String) -> Int? {
            verdelingen.first { $0.lijst == lijst }?.waarden.first { $0.waarde == waarde }?.aantal
        }

        /// The counts of `herkomst`.
        func deel(_ herkomst: String) -> Deel? { perHerkomst?.first { $0.herkomst == herkomst } }
    }
    /// The counts of one herkomst.
    struct Deel: Decodable {
        let herkomst: String
        let records: Int?
        let zaken: Int?
        let verdelingen: [RapportBody.Verdeling]
    }
    struct Gebied: Decodable {
        let code: String
        let naam: String
        let cijfers: Figuur
    }
    struct Periode: Decodable {
        let periode: String
        let totaal: Figuur
        let perGebied: [Gebied]
    }
    let stroom: String
    let herkomst: String?
    let niveau: String
    let code: String?
    let naam: String
    let kleineAantallenOnderdrukt: Bool
    let perioden: [Periode]
}

@Suite("Vroegsignalering in cijfers: the figures from the latest deliveries, suppressed for all but the project team", .serialized)
struct CijfersTests {
    /// Three gemeenten delivered 2026-Q1 (one bad signaalpartner per page, counted), and the
    /// first delivered it again as a herlevering; `body` gets the fixture and the app.
    static func delivered(_ body: @Sendable (ExchangeFixture, KwaliteitApp) async throws -> Void) async throws {
        try await ExchangeFixture.with(gemeenten: 3, schemaViolations: .count, faults: DatakwaliteitLeveringTests.oneBadRecordPerPage) {
            fixture in
            try await fixture.enqueue(fixture.codes)
            try await fixture.drain()
            var again = LeveringFixtures.requests(
                [fixture.codes[0]], supplier: fixture.supplierOf[fixture.codes[0]] ?? "xxllnc", maxPogingen: 3,
                notBefore: fixture.clock.now.addingTimeInterval(-1))
            again = again.map {
                LeveringRequest(
                    gemeente: $0.gemeente, leverancierID: $0.leverancierID, stroom: $0.stroom, periode: $0.periode,
                    periodeStart: $0.periodeStart, periodeEind: $0.periodeEind, doel: "herlevering", maxPogingen: $0.maxPogingen,
                    notBefore: $0.notBefore)
            }
            #expect(try await LeveringQueue(pool: fixture.pool).enqueue(again) == 1)
            try await fixture.drain()
            try await body(fixture, try await KwaliteitApp(pool: fixture.pool))
        }
    }

    /// The stored findings of every successful delivery of `code`, by its purpose.
    static func findings(_ fixture: ExchangeFixture, _ code: Gemeentecode) async throws -> [String: KwaliteitBevindingen] {
        let rows = try await fixture.pool.query(
            "SELECT id, doel FROM leveringen WHERE gemeente_code = $1 AND status = 'geslaagd'", [code.rawValue])
        var found: [String: KwaliteitBevindingen] = [:]
        for row in rows {
            let stored = try #require(try await OpOrdeRapportStore(pool: fixture.pool).report(levering: try row.decode("id")))
            found[try row.decode("doel")] = try JSONDecoder().decode(KwaliteitBevindingen.self, from: Data(stored.bevindingen.utf8))
        }
        return found
    }

    /// The figures at `uri`, after checking the answer's status.
    static func get(
        _ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields, status: HTTPResponse.Status = .ok
    ) async throws -> CijfersBody? {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            #expect(response.status == status, "\(uri): \(String(buffer: response.body).prefix(300))")
            return response.status == .ok ? try response.json(CijfersBody.self) : nil
        }
    }

    @Test("the country's figures are the sum over gemeenten of their latest deliveries' op-orde-rapporten: a herlevering replaces")
    func countryIsTheSum() async throws {
        try await Self.delivered { fixture, app in
            var sum = CijfersTelling()
            for code in fixture.codes {
                let found = try await Self.findings(fixture, code)
                if code == fixture.codes[0] { #expect(found.keys.sorted() == ["herlevering", "regulier"]) }
                sum.add(try #require(found["herlevering"] ?? found["regulier"]))
            }
            let expected = sum
            let team = try await app.headers(.projectteam)
            try await app.application().test(.router) { client in
                let body = try #require(try await Self.get(client, "/v1/cijfers", team))
                #expect(body.niveau == "land" && body.stroom == "VS" && !body.kleineAantallenOnderdrukt)
                let period = try #require(body.perioden.first)
                #expect(body.perioden.count == 1 && period.periode == "2026-Q1")
                #expect(period.totaal.gemeenten == 3, "the herlevering replaces, it is not a fourth delivery")
                #expect(period.totaal.records == expected.records && period.totaal.zaken == expected.zaken)
                #expect(expected.records > 300)
                for (list, counts) in expected.verdelingen {
                    for (value, count) in counts { #expect(period.totaal.aantal(list, value) == count, "\(list) \(value)") }
                }
                #expect(period.totaal.verdelingen.contains { $0.lijst == "contactsoort" })
                #expect(period.totaal.verdelingen.contains { $0.lijst == "eindresultaat" })
                #expect(period.totaal.verdelingen.contains { $0.lijst == "signaalpartner" })
                #expect(period.perGebied.map(\.cijfers.gemeenten).reduce(0, +) == 3)
                #expect(period.perGebied.compactMap(\.cijfers.records).reduce(0, +) == expected.records)
                // A narrower filter gives the part of it; another stream or period nothing.
                let own = try #require(try await Self.get(client, "/v1/cijfers?gemeente=\(fixture.codes[1].rawValue)", team))
                let ownFindings = try #require(try await Self.findings(fixture, fixture.codes[1])["regulier"])
                #expect(own.niveau == "gemeente" && own.perioden.first?.totaal.records == ownFindings.records)
                #expect(try await Self.get(client, "/v1/cijfers?stroom=SHV", team)?.perioden.isEmpty == true)
                #expect(try await Self.get(client, "/v1/cijfers?periode=2026-Q2", team)?.perioden.isEmpty == true)
                #expect(try await Self.get(client, "/v1/cijfers?van=2025-Q4&tot=2026-Q1", team)?.perioden.count == 1)
            }
        }
    }

    @Test(
        "a gemeente sees its own figures and the country's with small cells suppressed, and none of them can be worked out by subtraction")
    func suppressedForAGemeente() async throws {
        try await Self.delivered { fixture, app in
            let code = fixture.codes[1]
            let team = try await app.headers(.projectteam)
            let gemeente = try await app.headers(.gemeente, scope: code.rawValue)
            try await app.application().test(.router) { client in
                let exactOwn = try #require(try await Self.get(client, "/v1/cijfers?gemeente=\(code.rawValue)", team)?.perioden.first)
                let exactCountry = try #require(try await Self.get(client, "/v1/cijfers", team)?.perioden.first)
                let own = try #require(try await Self.get(client, "/v1/cijfers?gemeente=\(code.rawValue)", gemeente))
                let country = try #require(try await Self.get(client, "/v1/cijfers", gemeente))
                #expect(own.kleineAantallenOnderdrukt && country.kleineAantallenOnderdrukt)
                #expect(country.perioden.first?.perGebied.isEmpty == true, "no breakdown outside the project team")
                let ownShown = try #require(own.perioden.first?.totaal)
                let countryShown = try #require(country.perioden.first?.totaal)
                // One bad signaalpartner per page: a handful of invalid values, not shown.
                let invalid = try #require(exactOwn.totaal.aantal("signaalpartner", "ONGELDIG"))
                #expect((1...4).contains(invalid))
                #expect(ownShown.aantal("signaalpartner", "ONGELDIG") == nil)
                #expect(ownShown.records == exactOwn.totaal.records, "large counts are shown")
                let views: [(CijfersBody.Figuur, CijfersBody.Figuur, CijfersBody.Figuur?)] = [
                    (ownShown, exactOwn.totaal, nil), (countryShown, exactCountry.totaal, exactOwn.totaal),
                ]
                for (shown, exact, besides) in views {
                    for list in exact.verdelingen {
                        let cells = try #require(shown.verdelingen.first { $0.lijst == list.lijst })
                        var hidden = 0
                        for (cell, value) in zip(cells.waarden, list.waarden) {
                            let count = try #require(value.aantal)
                            let rest = count - (besides?.aantal(list.lijst, value.waarde) ?? 0)
                            if let aantal = cell.aantal {
                                #expect(aantal == count)
                                #expect(!(1...4).contains(count) && !(1...4).contains(rest), "\(list.lijst) \(value.waarde)")
                            } else {
                                hidden += 1
                            }
                        }
                        // A total beside exactly one hidden cell would give it away.
                        if cells.totaal != nil { #expect(hidden != 1, "\(list.lijst): \(hidden) hidden") }
                    }
                }
            }
        }
    }

    @Test("bad inputs and edges are a 400 problem; other roles, another gemeente and a province for a gemeente are refused")
    func badInputsAndRoles() async throws {
        try await Self.delivered { fixture, app in
            let team = try await app.headers(.projectteam)
            let code = fixture.codes[0].rawValue
            let bad = [
                "stroom=XX", "stroom=", "periode=2026-13", "periode=2026-00", "periode=0999-01", "periode=0", "periode=-1",
                "periode=\(Int64.max)", "periode=\(Int64.min)", "periode=\(Int64.max)-Q1", "periode=99999999999999999999-01",
                "periode=2026-Q0", "periode=2026-Q5", "periode=2026-H3", "periode=2026", "van=2026-Q2&tot=2026-Q1",
                "periode=2026-Q1&van=2026-Q1", "gemeente=GM9999", "gemeente=\(Int64.min)",
                "gemeente=\(String(repeating: "9", count: 5000))",
                "provincie=Atlantis", "provincie=Utrecht&gemeente=\(code)", "onbekend=1", "herkomst=", "herkomst=CRISIS", "herkomst=crisis",
                "herkomst=vroegsignaal&herkomst=crisissignaal", "herkomst=vroegsignaal&herkomst=vroegsignaal",
                "stroom=SHV&herkomst=crisissignaal", "gemeente=\(code)&gemeente=\(code)", "pagina=0",
                "pagina=\(Int64.max)",
            ]
            try await app.application().test(.router) { client in
                for query in bad {
                    try await client.execute(uri: "/v1/cijfers?\(query)", method: .get, headers: team) { response in
                        #expect(response.status == .badRequest, "\(query)")
                        #expect(response.headers[.contentType] == "application/problem+json", "\(query)")
                    }
                }
                let refused: [(HTTPFields, String, HTTPResponse.Status)] = [
                    ([:], "", .unauthorized),
                    (try await app.headers(.scheduler), "", .forbidden),
                    (try await app.headers(.admin), "", .forbidden),
                    (try await app.headers(.leverancier, scope: "xxllnc"), "", .forbidden),
                    (try await app.headers(.gemeente, scope: fixture.codes[1].rawValue), "?gemeente=\(code)", .forbidden),
                    (try await app.headers(.gemeente, scope: code), "?provincie=Utrecht", .forbidden),
                ]
                for (headers, query, status) in refused {
                    try await client.execute(uri: "/v1/cijfers\(query)", method: .get, headers: headers) { response in
                        #expect(response.status == status, "\(query)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(!String(buffer: response.body).contains("\"records\""))
                    }
                }
                let audited = try await fixture.pool.queryTrail(
                    "SELECT count(*)::int AS n FROM audit_events WHERE action = 'cijfers.read' AND result = 'refused'"
                ).first?.decode("n", as: Int.self)
                #expect(audited == 2, "the refusals of another gemeente and of a province are audited")
            }
        }
    }

    @Test("the page and the CSV: exact for the project team, with suppressed cells for a gemeente")
    func pageAndCSV() async throws {
        try await Self.delivered { fixture, app in
            let code = fixture.codes[1].rawValue
            func session(_ role: Role, scope: String? = nil) async throws -> HTTPFields {
                let secret = try await app.dependencies.tokens.issue(
                    role: role, scope: scope, expiresAt: nil, description: "web", by: .commandLine
                ).secret
                let principal = try #require(try await app.dependencies.tokens.authenticate(secret: secret))
                return WebPagesTests.cookie(try await app.dependencies.webSessions.start(for: principal))
            }
            let team = try await session(.projectteam)
            let gemeente = try await session(.gemeente, scope: code)
            let supplier = try await session(.leverancier, scope: "xxllnc")
            let api = try await app.headers(.projectteam)
            try await app.application().test(.router) { client in
                let exact = try #require(try await Self.get(client, "/v1/cijfers", api)?.perioden.first)
                let page = try await client.execute(uri: "/cijfers", method: .get, headers: team) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
                    return String(buffer: response.body)
                }
                #expect(page.contains("<h1>Vroegsignalering in cijfers</h1>") && page.contains("<svg role=\"img\""))
                #expect(page.contains("<dd id=\"records-2026-Q1\">\(HTMLPage.count(exact.totaal.records))</dd>"))
                #expect(page.contains("href=\"/cijfers\">Cijfers</a>") && page.contains("id=\"per-gebied-2026-Q1\""))
                #expect(!page.contains("id=\"onderdrukt\"") && !page.contains("<script"))
                let text = try await BrowserCheck.visibleText(of: page)
                #expect(text.contains("Contactpogingen per soort") && text.contains("Download als CSV"), "\(text.prefix(600))")

                let own = try await client.execute(uri: "/cijfers?gemeente=\(code)&van=&tot=", method: .get, headers: gemeente) {
                    response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                #expect(own.contains("id=\"onderdrukt\"") && own.contains("<td class=\"getal\">x</td>"))
                #expect(!own.contains("id=\"per-gebied-"))
                try await client.execute(uri: "/cijfers?periode=2026-13", method: .get, headers: team) { response in
                    #expect(response.status == .badRequest)
                }
                try await client.execute(uri: "/cijfers?gemeente=\(fixture.codes[0].rawValue)", method: .get, headers: gemeente) {
                    response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/cijfers", method: .get, headers: supplier) {
                    response in
                    #expect(response.status == .forbidden)
                }

                let csv = try await client.execute(uri: "/cijfers?formaat=csv", method: .get, headers: team) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/csv; charset=utf-8")
                    return String(buffer: response.body)
                }
                #expect(csv.hasPrefix("\u{FEFF}stroom;periode;gebied;naam;herkomst;cijfer;waarde;aantal\r\n"))
                #expect(csv.contains("VS;2026-Q1;NL;Nederland;alle;records;;\(exact.totaal.records ?? -1)\r\n"))
                let crisis = try #require(exact.totaal.deel("crisissignaal")?.records)
                #expect(csv.contains("VS;2026-Q1;NL;Nederland;crisissignaal;records;;\(crisis)\r\n"))
                #expect(!csv.contains(";x\r\n"))
                let ownCSV = try await client.execute(uri: "/cijfers?gemeente=\(code)&formaat=csv", method: .get, headers: gemeente) {
                    response in String(buffer: response.body)
                }
                #expect(ownCSV.contains(";signaalpartner;ONGELDIG;x\r\n"))
                var spreadsheet = api
                spreadsheet[.accept] = "text/csv"
                try await client.execute(uri: "/v1/cijfers?gemeente=\(code)", method: .get, headers: spreadsheet) {
                    response in
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    #expect(String(buffer: response.body).contains(";\(code);"))
                }
            }
        }
    }
}
