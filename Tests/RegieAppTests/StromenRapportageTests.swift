import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// The reports with both streams: VS and SHV side by side on the dashboard, in
/// `/v1/voortgang` (JSON and CSV) and in `ddas-regie rapport`.
@Suite("Reporting both streams side by side")
struct StromenRapportageTests {
    static let amsterdam = Gemeentecode("GM0363")!
    static let almere = Gemeentecode("GM0034")!

    /// 2026-Q1 of both streams for Amsterdam and Almere: every VS delivery succeeded an hour
    /// ago; Almere's SHV delivery was given up since, Amsterdam's succeeded.
    static func deliveries(_ pool: PostgresPool) async throws {
        let codes = [amsterdam, almere]
        try await LeveringFixtures.grantConsent(codes, stroom: "VS", pool: pool)
        try await LeveringFixtures.grantConsent(codes, stroom: "SHV", pool: pool)
        let queue = LeveringQueue(pool: pool)
        for stroom in [Stroom.vs, .shv] {
            #expect(try await queue.enqueue(LeveringFixtures.requests(codes, stroom: stroom, notBefore: Date())) == 2)
        }
        try await pool.query(
            "UPDATE leveringen SET status = 'geslaagd', afgerond_op = now() - interval '1 hour' WHERE stroom = 'VS' OR gemeente_code = $1",
            [amsterdam.rawValue])
        try await pool.query(
            """
            UPDATE leveringen SET status = 'opgegeven', laatste_fout_klasse = 'schema', laatste_fout = 'SHV page 1 broke the model',
                afgerond_op = now() WHERE stroom = 'SHV' AND gemeente_code = $1
            """, [almere.rawValue])
    }

    @Test("the latest period per stream, each stream's services, each stream's last delivery per gemeente: JSON, CSV and dashboard")
    func voortgangAndDashboard() async throws {
        let app = try await TestApp.make()
        try await Self.deliveries(app.pool)
        let session = try await WebPagesTests.session(app, .projectteam)
        try await app.application().test(.router) { client in
            let report = try await client.execute(uri: "/v1/voortgang", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                return try response.json(VoortgangAPITests.Report.self)
            }
            #expect(report.leveringen.map(\.stroom) == ["VS", "SHV"] && report.leveringen.allSatisfy { $0.periode == "2026-Q1" })
            #expect(report.leveringen.first?.perStatus == ["geslaagd": 2])
            #expect(report.leveringen.last?.perStatus == ["geslaagd": 1, "opgegeven": 1])
            #expect(Set(report.diensten.map { "\($0.leverancier)/\($0.stroom)" }) == ["xxllnc/VS", "xxllnc/SHV", "bkr/VS", "bkr/SHV"])
            let almere = report.aandacht.first { $0.gemeentecode == Self.almere.rawValue }
            #expect(
                almere?.redenen.contains { $0.code == "levering_opgegeven" && $0.tekst.contains("(SHV 2026-Q1)") } == true,
                "a given-up SHV delivery needs attention although a VS delivery succeeded")

            var csv = app.projectteam
            csv[.accept] = "text/csv"
            let asked = csv
            let rows = try await client.execute(uri: "/v1/voortgang", method: .get, headers: asked) { response in
                String(decoding: Data(buffer: response.body).dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            }
            let almereRow = try #require(rows.first { $0.hasPrefix("GM0034;") }).components(separatedBy: ";")
            #expect(Array(almereRow[9...12]) == ["2026-Q1", "geslaagd", "2026-Q1", "opgegeven"])
            #expect(almereRow[14] == "SHV page 1 broke the model")
            let amsterdamRow = try #require(rows.first { $0.hasPrefix("GM0363;") }).components(separatedBy: ";")
            #expect(amsterdamRow[3] == "SHV: xxllnc, VS: xxllnc")
            #expect(Array(amsterdamRow[9...12]) == ["2026-Q1", "geslaagd", "2026-Q1", "geslaagd"] && amsterdamRow[14] == "")

            let page = try await client.execute(uri: "/dashboard", method: .get, headers: WebPagesTests.cookie(session)) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("<figcaption>VS 2026-Q1: 2 leveringen</figcaption>"))
            #expect(page.contains("<figcaption>SHV 2026-Q1: 2 leveringen</figcaption>"))
            #expect(page.contains("VS 2026-Q1: geslaagd, SHV 2026-Q1: opgegeven"))
        }
        await app.pool.close()
    }

    @Test("ddas-regie rapport lists each stream's latest period and each supplier's service of both streams")
    func terminal() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        try await LeveringFixtures.database(into: pool)
        try await Self.deliveries(pool)
        await pool.close()
        let text = try await RegieProcess.run(["rapport", "--alle", "--database-url", database.connectionString])
        #expect(text.status == 0, "\(text.output.prefix(500))")
        let lines = text.output.components(separatedBy: "\n")
        #expect(lines.contains("leveringen VS 2026-Q1: 2 (geslaagd 2)"))
        #expect(lines.contains("leveringen SHV 2026-Q1: 2 (geslaagd 1, opgegeven 1)"))
        #expect(lines.contains { $0.contains(" SHV ") && $0.contains("aangemeld") }, "the SHV services in the suppliers' table")
        #expect(lines.contains { $0.hasPrefix("GM0034 ") && $0.contains("laatste levering (SHV 2026-Q1) opgegeven") })
    }
}
