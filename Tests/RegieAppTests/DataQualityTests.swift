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

/// The application over `pool` (an exchange fixture's database), with tokens per role.
struct KwaliteitApp {
    var dependencies: AppDependencies

    init(pool: PostgresPool) async throws {
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger)
        dependencies = try AppDependencies(
            pool: pool, workflows: try TestPostgres.workflows, schedule: try TestPostgres.schedule,
            readiness: DatabaseReadiness(migrator: migrator), resources: TestPostgres.resources)
    }

    func headers(_ role: Role, scope: String? = nil) async throws -> HTTPFields {
        let token = try await dependencies.tokens.issue(role: role, scope: scope, expiresAt: nil, description: "tests", by: .commandLine)
        return [.authorization: "Bearer \(token.secret)"]
    }

    func application() -> some ApplicationProtocol {
        Application(router: buildRouter(dependencies), logger: TestPostgres.logger)
    }
}

/// The op-orde-rapport as a client reads it.
struct RapportBody: Decodable {
    struct Controle: Decodable {
        let code: String
        let ernst: String
        let bevindingen: Int?
        let eenheden: Int?
    }
    struct Aantal: Decodable {
        let waarde: String
        let aantal: Int?
    }
    struct Verdeling: Decodable {
        let lijst: String
        let totaal: Int?
        let waarden: [Aantal]
    }
    struct Voorstel: Decodable {
        let waarde: String
        let regel: String
        let tekst: String?
        let aantal: Int?
    }
    struct Suggesties: Decodable {
        let lijst: String
        let ongeldig: Int?
        let voorstellen: [Voorstel]
    }
    let oordeel: String
    let drempel: Double
    let records: Int?
    let eenheden: Int?
    let eenhedenMetFouten: Int?
    let foutaandeel: Double?
    let controles: [Controle]
    let verdelingen: [Verdeling]
    let volumePerMaand: [Aantal]
    let suggesties: [Suggesties]
    let kleineAantallenOnderdrukt: Bool
    struct Overtreding: Decodable {
        let pagina: Int
        let pointer: String
        let regel: String
    }
    let ondertekening: [String]
    let schemaBeleid: String?
    let schemaOvertredingenTotaal: Int?
    let schemaOvertredingen: [Overtreding]

    func controle(_ code: String) -> Controle? { controles.first { $0.code == code } }
}

@Suite("Data quality end to end: the threshold, the op-orde-rapport and who may read it", .serialized)
struct DatakwaliteitLeveringTests {
    /// Every page's first vroegsignaal names a signaalpartner outside the code list.
    static let oneBadRecordPerPage: @Sendable ([Gemeentecode]) -> [FaultRule] = { _ in
        [FaultRule(.schemaViolation(.valueOutsideCodeList))]
    }

    @Test("below the threshold a delivery is handed over and its report shows the errors; above it nothing is handed over")
    func thresholdDecides() async throws {
        try await ExchangeFixture.with(gemeenten: 1, schemaViolations: .count, faults: Self.oneBadRecordPerPage) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "geslaagd", "\(delivery)")
            #expect(fixture.sinkFiles(delivery.id).contains("manifest.json"))
            let stored = try #require(try await OpOrdeRapportStore(pool: fixture.pool).report(levering: delivery.id))
            #expect(stored.oordeel == .onderDrempel)
            let pages = try await LeveringQueue(pool: fixture.pool).pages(delivery.id).count
            #expect(pages >= 2)
            #expect(stored.eenhedenMetFouten == pages, "one bad record on each of the \(pages) pages")
            #expect(stored.eenheden > 100)
        }
        try await ExchangeFixture.with(gemeenten: 1, maxErrorShare: 0.001, schemaViolations: .count, faults: Self.oneBadRecordPerPage) {
            fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.pogingen == 1, "\(delivery)")
            #expect(delivery.klasse == "validation")
            #expect(delivery.fout?.contains("above the threshold of 0.1%") == true, "\(delivery.fout ?? "")")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
            #expect(try await LeveringQueue(pool: fixture.pool).pages(delivery.id).isEmpty)
            #expect(fixture.staged().isEmpty)
            let stored = try #require(try await OpOrdeRapportStore(pool: fixture.pool).report(levering: delivery.id))
            #expect(stored.oordeel == .bovenDrempel && stored.drempel == 0.001)
        }
    }

    @Test(
        "under the specification's policy one value outside a code list rejects the delivery as schema; its report lists each violation by page, pointer and rule"
    )
    func schemaRejected() async throws {
        try await ExchangeFixture.with(gemeenten: 1, faults: Self.oneBadRecordPerPage) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.pogingen == 1 && delivery.klasse == "schema", "\(delivery)")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
            #expect(try await LeveringQueue(pool: fixture.pool).pages(delivery.id).isEmpty)
            #expect(fixture.staged().isEmpty)
            let app = try await KwaliteitApp(pool: fixture.pool)
            let uri = "/v1/leveringen/\(delivery.id.uuidString.lowercased())/op-orde-rapport"
            let team = try await app.headers(.projectteam)
            try await app.application().test(.router) { client in
                let report = try await client.execute(uri: uri, method: .get, headers: team) { response in
                    #expect(response.status == .ok)
                    return try response.json(RapportBody.self)
                }
                #expect(report.schemaBeleid == "reject")
                #expect(report.ondertekening == ["kp-apis"])
                let pages = Set(report.schemaOvertredingen.map(\.pagina))
                #expect(pages.count >= 2, "one violation on each page, each listed with its page")
                #expect(report.schemaOvertredingenTotaal == report.schemaOvertredingen.count)
                for violation in report.schemaOvertredingen {
                    #expect(violation.pointer.hasPrefix("/leveringen/0/vroegsignalen/0/"), "\(violation.pointer)")
                    #expect(violation.regel.hasSuffix("/enum"), "\(violation.regel)")
                }
                var asking = team
                asking[.accept] = "text/html"
                let html = try await client.execute(uri: uri, method: .get, headers: asking) { response in
                    String(buffer: response.body)
                }
                #expect(html.contains("id=\"schema-overtredingen\""))
                #expect(!html.contains("Telefonie"), "the value itself is never shown")
            }
        }
    }

    @Test("the report as JSON: full counts for the project team, small cells suppressed for the gemeente and its supplier")
    func reportJSON() async throws {
        try await ExchangeFixture.with(gemeenten: 2, schemaViolations: .count, faults: Self.oneBadRecordPerPage) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            let app = try await KwaliteitApp(pool: fixture.pool)
            let uri = "/v1/leveringen/\(delivery.id.uuidString.lowercased())/op-orde-rapport"
            let team = try await app.headers(.projectteam)
            let gemeente = try await app.headers(.gemeente, scope: code.rawValue)
            let supplier = try await app.headers(.leverancier, scope: "xxllnc")
            try await app.application().test(.router) { client in
                let full = try await client.execute(uri: uri, method: .get, headers: team) { response in
                    #expect(response.status == .ok)
                    return try response.json(RapportBody.self)
                }
                #expect(full.oordeel == "onder_drempel" && !full.kleineAantallenOnderdrukt)
                let bad = try #require(full.controle("codelijst"))
                #expect(bad.bevindingen != nil && (bad.bevindingen ?? 0) < 5 && bad.ernst == "fout")
                #expect(full.controle("opgepakt_zonder_zaak")?.ernst == "waarschuwing")
                let partners = try #require(full.verdelingen.first { $0.lijst == "signaalpartner" })
                #expect(partners.waarden.first { $0.waarde == "ONGELDIG" }?.aantal == bad.bevindingen)
                #expect(partners.waarden.map(\.waarde).prefix(3) == ["Belastingdienst", "CAK Eigen bijdrage", "CAK Zorgverzekeringen"])
                let suggestion = try #require(full.suggesties.first { $0.lijst == "signaalpartner" })
                #expect(suggestion.ongeldig == bad.bevindingen)
                #expect(suggestion.voorstellen.map(\.waarde) == ["ONBEKEND"], "Telefonie is no signaalpartner: never guessed")
                #expect(suggestion.voorstellen.allSatisfy { $0.tekst == nil })
                #expect(full.volumePerMaand.map(\.waarde) == ["2026-01", "2026-02", "2026-03"])

                for headers in [gemeente, supplier] {
                    let shown = try await client.execute(uri: uri, method: .get, headers: headers) { response in
                        #expect(response.status == .ok)
                        return try response.json(RapportBody.self)
                    }
                    #expect(shown.kleineAantallenOnderdrukt)
                    #expect(shown.controle("codelijst")?.bevindingen == nil, "a count below 5 is not shown outside the team")
                    #expect(shown.eenhedenMetFouten == nil && shown.foutaandeel == nil)
                    #expect(shown.records == full.records, "large counts are shown")
                    let cells = shown.verdelingen.first { $0.lijst == "signaalpartner" }?.waarden.compactMap(\.aantal) ?? []
                    #expect(cells.allSatisfy { $0 == 0 || $0 >= 5 })
                }
            }
        }
    }

    @Test("the report: who may read it, and its bad inputs")
    func reportAccess() async throws {
        try await ExchangeFixture.with(gemeenten: 2) { fixture in
            try await fixture.enqueue([fixture.codes[0]])
            try await fixture.drain()
            let delivery = try await fixture.delivery(fixture.codes[0])
            let waiting = try await LeveringQueue(pool: fixture.pool).enqueue(
                LeveringFixtures.requests([fixture.codes[1]], maxPogingen: 1, notBefore: fixture.clock.now.addingTimeInterval(3600)))
            #expect(waiting == 1)
            let other = try await fixture.delivery(fixture.codes[1])
            let app = try await KwaliteitApp(pool: fixture.pool)
            let uri = "/v1/leveringen/\(delivery.id.uuidString.lowercased())/op-orde-rapport"
            let cases: [(HTTPFields, HTTPResponse.Status, String?)] = [
                ([:], .unauthorized, nil),
                (try await app.headers(.scheduler), .forbidden, nil),
                (try await app.headers(.admin), .forbidden, nil),
                (try await app.headers(.gemeente, scope: fixture.codes[1].rawValue), .forbidden, nil),
                (try await app.headers(.leverancier, scope: "bkr"), .forbidden, nil),
            ]
            try await app.application().test(.router) { client in
                for (headers, status, _) in cases {
                    try await client.execute(uri: uri, method: .get, headers: headers) { response in
                        #expect(response.status == status)
                        #expect(response.headers[.contentType] == "application/problem+json")
                    }
                }
                let team = try await app.headers(.projectteam)
                try await client.execute(uri: "/v1/leveringen/niet-een-id/op-orde-rapport", method: .get, headers: team) { response in
                    #expect(response.status == .badRequest && response.problem()?.code == "invalid-levering-id")
                }
                try await client.execute(uri: "/v1/leveringen/\(UUID())/op-orde-rapport", method: .get, headers: team) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(
                    uri: "/v1/leveringen/\(other.id.uuidString.lowercased())/op-orde-rapport", method: .get, headers: team
                ) { response in
                    #expect(response.status == .notFound && response.problem()?.code == "op-orde-rapport-not-found")
                }
                try await client.execute(uri: uri, method: .post, headers: team) { response in
                    #expect(response.status == .methodNotAllowed)
                }
            }
        }
    }

    @Test("the report as a Dutch HTML page, and the gemeente's error share over time")
    func reportHTMLAndTrend() async throws {
        try await ExchangeFixture.with(gemeenten: 2, schemaViolations: .count, faults: Self.oneBadRecordPerPage) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            let stored = try #require(try await OpOrdeRapportStore(pool: fixture.pool).report(levering: delivery.id))
            let app = try await KwaliteitApp(pool: fixture.pool)
            let team = try await app.headers(.projectteam)
            var asking = team
            asking[.accept] = "text/html"
            let html = asking
            try await app.application().test(.router) { client in
                let page = try await client.execute(
                    uri: "/v1/leveringen/\(delivery.id.uuidString.lowercased())/op-orde-rapport", method: .get, headers: html
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                    #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'sha256-") && !policy.contains("script"))
                    return String(buffer: response.body)
                }
                #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<html lang=\"nl\">"))
                #expect(page.contains("Overgedragen: er zijn fouten, maar niet meer dan de drempel."))
                #expect(page.contains("<dd id=\"met-fouten\">\(stored.eenhedenMetFouten)</dd>"))
                #expect(!page.contains("<script"))
                let text = try await BrowserCheck.visibleText(of: page)
                #expect(text.contains("Op-orde-rapport"))
                #expect(text.contains("Met fouten \(stored.eenhedenMetFouten) Foutaandeel"), "\(text.prefix(600))")
                #expect(text.contains("Drempel 5,0%"))
                #expect(text.contains("Verdeling van signaalpartner"))
                #expect(text.contains("Telefonie") == false)

                struct Trend: Decodable {
                    struct Item: Decodable {
                        let levering: String
                        let oordeel: String
                        let eenhedenMetFouten: Int?
                        let foutaandeel: Double?
                    }
                    let leveringen: [Item]
                }
                let trend = try await client.execute(uri: "/v1/gemeenten/\(code.rawValue)/datakwaliteit", method: .get, headers: team) {
                    response in
                    #expect(response.status == .ok)
                    return try response.json(Trend.self)
                }
                #expect(trend.leveringen.count == 1)
                #expect(trend.leveringen.first?.levering == delivery.id.uuidString.lowercased())
                #expect(trend.leveringen.first?.eenhedenMetFouten == stored.eenhedenMetFouten)
                #expect(trend.leveringen.first?.oordeel == "onder_drempel")
                let own = try await app.headers(.gemeente, scope: code.rawValue)
                let suppressed = try await client.execute(uri: "/v1/gemeenten/\(code.rawValue)/datakwaliteit", method: .get, headers: own) {
                    response in
                    #expect(response.status == .ok)
                    return try response.json(Trend.self)
                }
                #expect(suppressed.leveringen.first?.eenhedenMetFouten == nil && suppressed.leveringen.first?.foutaandeel == nil)
                let stranger = try await app.headers(.gemeente, scope: fixture.codes[1].rawValue)
                try await client.execute(uri: "/v1/gemeenten/\(code.rawValue)/datakwaliteit", method: .get, headers: stranger) { response in
                    #expect(response.status == .forbidden)
                }
                // A supplier the gemeente gave no consent to does not see the gemeente at all.
                let otherSupplier = try await app.headers(.leverancier, scope: "bkr")
                try await client.execute(uri: "/v1/gemeenten/\(code.rawValue)/datakwaliteit", method: .get, headers: otherSupplier) {
                    response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/v1/gemeenten/Amsterdam/datakwaliteit", method: .get, headers: team) { response in
                    #expect(response.status == .badRequest)
                }
                try await client.execute(uri: "/v1/gemeenten/\(code.rawValue)/datakwaliteit?periode=2026", method: .get, headers: team) {
                    response in
                    #expect(response.status == .badRequest)
                }
            }
        }
    }
}

@Suite("Small-cell suppression")
struct SmallCellsTests {
    @Test("counts from 1 to 4 are hidden, zero and 5 or more shown; a lone hidden cell takes the next smallest with it")
    func suppression() {
        let outside = SmallCells(applies: true)
        #expect(outside.cell(0) == 0 && outside.cell(1) == nil && outside.cell(4) == nil && outside.cell(5) == 5)
        #expect(outside.group([3, 10, 7, 0]) == [nil, 10, nil, 0])
        #expect(outside.group([3, 2, 10, 7]) == [nil, nil, 10, 7])
        #expect(outside.group([12, 9]) == [12, 9])
        #expect(outside.group([4]) == [nil])
        let team = SmallCells(applies: false)
        #expect(team.group([3, 10, 7]) == [3, 10, 7])
    }
}
