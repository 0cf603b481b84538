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

@Suite("Reporting: GET /v1/voortgang and the CSV downloads")
struct VoortgangAPITests {
    struct Report: Decodable {
        struct Fase: Decodable {
            let fase: String
            let aantal: Int
            let bereikt: Int
        }
        struct Groep: Decodable {
            let naam: String
            let totaal: Int
        }
        struct Mijlpaal: Decodable {
            let fase: String
            let deadline: String
            let bereikt: Int
            let opTijd: Int
            let teLaat: Int
            let achterstallig: Int
            let maxDagenAchterstallig: Int?
        }
        struct Reden: Decodable {
            let code: String
            let tekst: String
        }
        struct Aandacht: Decodable {
            let gemeentecode: String
            let redenen: [Reden]
        }
        struct Leveringen: Decodable {
            let stroom: String
            let periode: String
            let totaal: Int
            let perStatus: [String: Int]
        }
        struct Dienst: Decodable {
            let leverancier: String
            let stroom: String
            let fase: String
        }
        let gemeenten: Int
        let perFase: [Fase]
        let zijstaten: [String: Int]
        let perLeverancier: [Groep]
        let perProvincie: [Groep]
        let diensten: [Dienst]
        let planning: [Mijlpaal]
        let leveringen: [Leveringen]
        let aandacht: [Aandacht]

        func reasons(_ code: String) -> [String] { aandacht.first { $0.gemeentecode == code }?.redenen.map(\.code) ?? [] }
    }

    func send(_ client: some TestClientProtocol, _ uri: String, _ json: String, _ headers: HTTPFields, method: HTTPRequest.Method = .post)
        async throws -> HTTPResponse.Status
    {
        try await client.execute(
            uri: uri, method: method, headers: headers + [.contentType: "application/json"], body: ByteBuffer(string: json)
        ).status
    }

    /// Amsterdam with a supplier, DPIA and consent; Groningen blocked; Almere's last delivery given up.
    func prepare(_ app: TestApp, _ client: some TestClientProtocol) async throws {
        let hash = String(repeating: "ab", count: 32)
        let amsterdam = try await app.headers(.gemeente, scope: "GM0363")
        #expect(
            try await send(
                client, "/v1/gemeenten/GM0363/leveranciers/VS", #"{"leverancier": "xxllnc", "organisatienaam": "Gemeente Amsterdam"}"#,
                app.projectteam, method: .put) == .ok)
        #expect(
            try await send(
                client, "/v1/gemeenten/GM0363/dpia-akkoorden",
                #"{"besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "DPIA-1", "documentSha256": "\#(hash)"}"#,
                amsterdam) == .created)
        #expect(
            try await send(
                client, "/v1/gemeenten/GM0363/toestemmingen",
                #"{"leverancier": "xxllnc", "stromen": ["VS"], "besluitdatum": "2025-10-15", "besluitvormendOrgaan": "college", "documentreferentie": "B-1", "documentSha256": "\#(hash)", "geldigVan": "2025-11-01"}"#,
                amsterdam) == .created)
        #expect(
            try await send(
                client, "/v1/gemeenten/GM0014/fase-overgangen", #"{"naar": "geblokkeerd", "reden": "onderzoek"}"#, app.projectteam)
                == .created)
        let queue = LeveringQueue(pool: app.pool)
        #expect(try await queue.enqueue(LeveringFixtures.requests([Gemeentecode("GM0034")!], notBefore: Date())) == 1)
        try await app.pool.query(
            "UPDATE leveringen SET status = 'opgegeven', laatste_fout_klasse = 'signature', laatste_fout = '-page 1 failed the signature check', afgerond_op = now()"
        )
    }

    @Test("the funnel, the plan's due months, the latest period's deliveries and who needs attention, with the reason")
    func report() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await prepare(app, client)
            let report = try await client.execute(uri: "/v1/voortgang", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                return try response.json(Report.self)
            }
            #expect(report.gemeenten == 342)
            let phases = Dictionary(uniqueKeysWithValues: report.perFase.map { ($0.fase, $0) })
            #expect(phases["aangemeld"]?.bereikt == 342 && phases["aangemeld"]?.aantal == 340)
            #expect(phases["dpia_akkoord"]?.bereikt == 1 && phases["dpia_akkoord"]?.aantal == 0)
            #expect(phases["toestemming_gegeven"]?.aantal == 1 && phases["api_getest"]?.bereikt == 0)
            #expect(report.perFase.map(\.bereikt) == report.perFase.map(\.bereikt).sorted(by: >), "a funnel never widens")
            #expect(report.zijstaten["geblokkeerd"] == 1)
            #expect(report.perLeverancier.first { $0.naam == "xxllnc" }?.totaal == 1)
            #expect(report.perProvincie.reduce(0) { $0 + $1.totaal } == 342 && report.perProvincie.count == 12)
            #expect(Set(report.diensten.map(\.leverancier)) == ["xxllnc", "bkr"])

            let dpia = try #require(report.planning.first { $0.fase == "dpia_akkoord" })
            #expect(dpia.deadline == "2025-12" && dpia.bereikt == 1 && dpia.teLaat == 1 && dpia.opTijd == 0)
            #expect(dpia.achterstallig == 341)
            let due = try #require(DueMonth("2025-12"))
            let expectedDays = Int(Date().timeIntervalSince(due.end()) / 86_400)
            #expect(abs((dpia.maxDagenAchterstallig ?? 0) - expectedDays) <= 1)

            #expect(report.leveringen.count == 1)
            #expect(report.leveringen.first?.periode == "2026-Q1" && report.leveringen.first?.perStatus == ["opgegeven": 1])
            #expect(report.reasons("GM0014") == ["achterstallig", "geblokkeerd"])
            #expect(report.reasons("GM0034") == ["achterstallig", "levering_opgegeven"])
            #expect(report.reasons("GM0363") == ["achterstallig"])
            #expect(
                Array(report.aandacht.prefix(2).map(\.gemeentecode)) == ["GM0014", "GM0034"], "two reasons first, then by days and code")
            let registered = try #require(report.planning.first { $0.fase == "aangemeld" })
            #expect(registered.bereikt == 342 && registered.opTijd == 342, "the initial phase is reached at registration")
            let amsterdam = report.aandacht.first { $0.gemeentecode == "GM0363" }?.redenen.first?.tekst ?? ""
            #expect(amsterdam.hasPrefix("api_getest had eind 2026-04 bereikt moeten zijn"), "\(amsterdam)")
        }
        await app.pool.close()
    }

    @Test("CSV for the spreadsheet: BOM, ';', Dutch header, one row per gemeente; the same filters and scope as the JSON")
    func csv() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await prepare(app, client)
            var csv = app.projectteam
            csv[.accept] = "text/csv"
            let asked = csv
            let (bytes, type) = try await client.execute(uri: "/v1/voortgang", method: .get, headers: asked) { response in
                #expect(response.status == .ok)
                return (Array(Data(buffer: response.body)), response.headers[.contentType])
            }
            #expect(type == "text/csv; charset=utf-8")
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF], "a byte order mark, so Excel reads UTF-8")
            let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 343)
            #expect(
                lines.first
                    == "gemeentecode;naam;provincie;leverancier;fase;fase sinds;volgende deadline;dagen achterstallig;toestemming sinds;laatste levering VS;status laatste levering VS;laatste levering SHV;status laatste levering SHV;volgende levering;laatste fout"
            )
            let rows = Dictionary(
                uniqueKeysWithValues: lines.dropFirst().map { line in
                    let fields = line.components(separatedBy: ";")
                    return (fields[0], fields)
                })
            let amsterdam = try #require(rows["GM0363"])
            #expect(amsterdam.count == 15)
            #expect(amsterdam[1] == "Amsterdam" && amsterdam[2] == "Noord-Holland" && amsterdam[3] == "VS: xxllnc")
            #expect(amsterdam[4] == "toestemming_gegeven" && amsterdam[6] == "2026-04" && (Int(amsterdam[7]) ?? 0) > 0)
            #expect(amsterdam[8] == "2025-11-01")
            let almere = try #require(rows["GM0034"])
            #expect(almere[9] == "2026-Q1" && almere[10] == "opgegeven" && almere[11] == "" && almere[12] == "")
            #expect(almere[14] == "'-page 1 failed the signature check", "a field a spreadsheet would read as a formula is defused")
            #expect(rows["GM0014"]?[4] == "geblokkeerd" && rows["GM0014"]?[6] == "2025-12")
            #expect(rows.values.allSatisfy { $0.count == 15 })

            let utrecht = try await client.execute(uri: "/v1/gemeenten?provincie=Utrecht", method: .get, headers: asked) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            }
            #expect(!utrecht.isEmpty && utrecht.allSatisfy { $0.components(separatedBy: ";")[2] == "Utrecht" })
            var own = try await app.headers(.gemeente, scope: "GM0363")
            own[.accept] = "text/csv"
            let ownAsked = own
            let mine = try await client.execute(uri: "/v1/gemeenten", method: .get, headers: ownAsked) { response in
                String(buffer: response.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            }
            #expect(mine.count == 2 && mine.last?.hasPrefix("GM0363;Amsterdam;") == true)
        }
        await app.pool.close()
    }

    @Test("who may read the report, and its bad input")
    func access() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let refused: [(HTTPFields, HTTPResponse.Status)] = [
                (HTTPFields(), .unauthorized), (try await app.headers(.gemeente, scope: "GM0363"), .forbidden),
                (try await app.headers(.leverancier, scope: "xxllnc"), .forbidden), (try await app.headers(.scheduler), .forbidden),
                (try await app.headers(.admin), .forbidden),
            ]
            for (headers, status) in refused {
                try await client.execute(uri: "/v1/voortgang", method: .get, headers: headers) { response in
                    #expect(response.status == status)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            try await client.execute(uri: "/v1/voortgang?fase=actief", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .badRequest && response.problem()?.invalidParams?.first?.name == "fase")
            }
            try await client.execute(uri: "/v1/voortgang", method: .post, headers: app.projectteam) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
        await app.pool.close()
    }

    @Test("a CSV field is quoted when it holds ';', '\"' or a line break, and defused when it starts like a formula")
    func csvFields() {
        #expect(CSVTable.field("Amsterdam") == "Amsterdam")
        #expect(CSVTable.field("a;b") == "\"a;b\"")
        #expect(CSVTable.field("zei \"ja\"") == "\"zei \"\"ja\"\"\"")
        #expect(CSVTable.field("regel\r\nnieuw") == "\"regel\r\nnieuw\"")
        #expect(CSVTable.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVTable.field("+31") == "'+31" && CSVTable.field("@x") == "'@x" && CSVTable.field("-1") == "'-1")
        #expect(CSVTable.field("'s-Hertogenbosch") == "'s-Hertogenbosch")
    }
}

@Suite("ddas-regie rapport: the status report in the terminal")
struct RapportCommandTests {
    @Test("tables of the funnel, the suppliers and the attention list, or the JSON of /v1/voortgang")
    func rapport() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        try await PostgresGemeenteStore(pool: pool).load(
            try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)))
        await pool.close()
        let text = try await RegieProcess.run(["rapport", "--database-url", database.connectionString])
        #expect(text.status == 0, "\(text.output.prefix(500))")
        #expect(text.output.contains(": 342 gemeenten"))
        let lines = text.output.components(separatedBy: "\n")
        #expect(lines.contains { $0.hasPrefix("fase ") && $0.contains("bereikt") && $0.contains("deadline") })
        #expect(lines.contains { $0.hasPrefix("aangemeld ") && $0.contains(" 342 ") && $0.contains("2025-04") })
        #expect(text.output.contains("aandacht: 342 gemeenten (de eerste 25; --alle toont ze allemaal)"))
        #expect(lines.filter { $0.hasPrefix("GM") }.count == 25)
        let all = try await RegieProcess.run(["rapport", "--alle", "--database-url", database.connectionString])
        #expect(all.output.components(separatedBy: "\n").filter { $0.hasPrefix("GM") }.count == 342)
        let csv = try await RegieProcess.run(["rapport", "--formaat", "csv", "--database-url", database.connectionString])
        #expect(csv.status == 0 && csv.output.hasPrefix("\u{FEFF}gemeentecode;naam;provincie;"))
        #expect(csv.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 343)
        let bad = try await RegieProcess.run(["rapport", "--formaat", "pdf", "--database-url", database.connectionString])
        #expect(bad.status != 0 && bad.output.contains("--formaat"))
        let json = try await RegieProcess.run(["rapport", "--formaat", "json", "--database-url", database.connectionString])
        #expect(json.status == 0)
        let decoded = try JSONDecoder().decode(VoortgangAPITests.Report.self, from: Data(json.output.utf8))
        #expect(decoded.gemeenten == 342 && decoded.aandacht.count == 342)
    }
}
