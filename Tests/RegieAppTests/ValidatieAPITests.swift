import AsyncHTTPClient
import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import EmbeddedPostgres
@testable import RegieApp

/// The official examples, shipped with the exchange tests (`Tests/DDASExchangeTests/Fixtures/Voorbeelden`).
enum OfficieleVoorbeelden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DDASExchangeTests/Fixtures/Voorbeelden")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
}

/// The report as a client reads it.
struct ValidatieRapportBody: Decodable {
    struct Item: Decodable, Hashable {
        let code: String
        let pointer: String
        let uitleg: String
        let ernst: String
    }

    let vorm: String
    let bevindingen: [Item]
    let bevindingenTotaal: Int
}

@Suite("POST /v1/validaties: the check of an export as a call")
struct ValidatieAPITests {
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test(
        "a supplier posts meervoudigVoorbeeld and reads the misspelt field and the failing BSN at their pointers; the call is audited with counts only"
    )
    func supplierChecksExample() async throws {
        let app = try await TestApp.make()
        let headers = try await app.headers(.leverancier, scope: "xxllnc")
        let body = try OfficieleVoorbeelden.bytes("meervoudigVoorbeeld.json")
        try await app.application().test(.router) { client in
            try await client.execute(
                uri: "/v1/validaties?stroom=VS", method: .post, headers: headers.merging(Self.json), body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .ok)
                let rapport = try response.json(ValidatieRapportBody.self)
                #expect(rapport.bevindingenTotaal == 4 && rapport.vorm == "uitwisselmodel")
                #expect(
                    Set(rapport.bevindingen.map { "\($0.code) \($0.pointer)" }) == [
                        "schema /leveringen/0/vroegsignaalzaken/0/startdatumMatchtingperiode",
                        "schema /leveringen/1/vroegsignaalzaken/0/startdatumMatchtingperiode",
                        "bsn_elfproef /leveringen/0/vroegsignalen/0/client/burgerservicenummer",
                        "bsn_elfproef /leveringen/0/vroegsignalen/1/client/burgerservicenummer",
                    ])
                #expect(!response.text.contains("111111111"))
                #expect(response.text.contains("\"schemaBeleid\":\"reject\""), "the stream's schema policy, as the pulls apply it")
            }
        }
        let events = try await app.pool.queryTrail(
            "SELECT action, object_type, after::text AS after FROM audit_events WHERE action = 'validatie.uitgevoerd'")
        #expect(events.count == 1)
        let after = try #require(try events.first?.decode("after", as: String.self))
        #expect(after.contains("\"bevindingen\": \"4\"") || after.contains("\"bevindingen\":\"4\""), "\(after)")
        #expect(!after.contains("111111111") && !after.contains("VS-2025"), "counts only")
        await app.pool.close()
    }

    @Test("the project team may call it; a gemeente, an admin and a scheduler get 403, no token 401")
    func roles() async throws {
        let app = try await TestApp.make()
        let body = ByteBuffer(data: try OfficieleVoorbeelden.bytes("enkelvoudigVoorbeeld.json"))
        var refused: [Role: HTTPFields] = [:]
        for role in Role.allCases where !ValidatieController.roles.contains(role) {
            refused[role] = try await app.headers(role, scope: role == .gemeente ? "GM0363" : nil)
        }
        let others = refused
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/validaties", method: .post, headers: app.projectteam.merging(Self.json), body: body) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/validaties", method: .post, headers: Self.json, body: body) {
                #expect($0.status == .unauthorized)
                #expect($0.problem()?.code == "unauthorized")
            }
            for (role, headers) in others {
                try await client.execute(uri: "/v1/validaties", method: .post, headers: headers.merging(Self.json), body: body) {
                    #expect($0.status == .forbidden, "\(role)")
                    _ = $0.problem()
                }
            }
        }
        await app.pool.close()
    }

    @Test("bad input is a problem: not JSON, cut off, an array, an empty body, another media type, unknown or bad parameters")
    func badInput() async throws {
        let app = try await TestApp.make()
        let whole = try OfficieleVoorbeelden.bytes("enkelvoudigVoorbeeld.json")
        let bodies: [(String, Data)] = [
            ("not JSON", Data("geen json".utf8)), ("cut off", whole.prefix(whole.count / 2)), ("an array", Data("[1,2]".utf8)),
            ("empty", Data()), ("a string", Data("\"111111111\"".utf8)),
        ]
        let queries = [
            "stroom=XX", "stroom=", "versie=9.9", "versie=abc", "versie=", "periode=2026-Q5", "periode=2026-13", "periode=0999-01",
            "gemeente=GM00000", "gemeente=0000", "onbekend=1",
        ]
        try await app.application().test(.router) { client in
            for (name, body) in bodies {
                try await client.execute(
                    uri: "/v1/validaties", method: .post, headers: app.projectteam.merging(Self.json), body: ByteBuffer(data: body)
                ) { response in
                    #expect(response.status == .badRequest, "\(name)")
                    let problem = response.problem()
                    #expect(problem?.code == "invalid-body", "\(name)")
                    #expect(problem?.detail?.contains("111111111") == false)
                }
            }
            for query in queries {
                try await client.execute(
                    uri: "/v1/validaties?\(query)", method: .post, headers: app.projectteam.merging(Self.json),
                    body: ByteBuffer(data: whole)
                ) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.problem()?.code == "invalid-parameters", "\(query)")
                }
            }
            try await client.execute(
                uri: "/v1/validaties", method: .post, headers: app.projectteam.merging([.contentType: "text/plain"]),
                body: ByteBuffer(data: whole)
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                _ = response.problem()
            }
            try await client.execute(
                uri: "/v1/validaties?stroom=SHV&versie=1.0&periode=2026-H1&gemeente=GM0363", method: .post,
                headers: app.projectteam.merging(Self.json), body: ByteBuffer(data: whole)
            ) { response in
                #expect(response.status == .ok, "every parameter at a valid value")
                let rapport = try? response.json(ValidatieRapportBody.self)
                #expect((rapport?.bevindingenTotaal ?? 0) > 0, "a VS export breaks the SHV model")
            }
        }
        await app.pool.close()
    }

    @Test("a body up to the limit is checked; one byte more is 413")
    func sizeLimit() async throws {
        let app = try await TestApp.make()
        let whole = try OfficieleVoorbeelden.bytes("enkelvoudigVoorbeeld.json")
        var dependencies = app.dependencies
        dependencies.validatieLimiet = whole.count
        let router = buildRouter(dependencies)
        try await app.application(router: router).test(.router) { client in
            try await client.execute(
                uri: "/v1/validaties", method: .post, headers: app.projectteam.merging(Self.json), body: ByteBuffer(data: whole)
            ) { #expect($0.status == .ok, "exactly the limit") }
            try await client.execute(
                uri: "/v1/validaties", method: .post, headers: app.projectteam.merging(Self.json),
                body: ByteBuffer(data: whole + Data(" ".utf8))
            ) { response in
                #expect(response.status == .contentTooLarge, "one byte more")
                #expect(response.problem()?.code == "content-too-large")
            }
        }
        await app.pool.close()
    }

    @Test("after a served check of a payload with known BSNs, neither pg_dump of the database nor the service's log holds one")
    func nothingAtRest() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        let token = try await TokenStore(pool: pool).issue(
            role: .projectteam, scope: nil, expiresAt: nil, description: "privacy", by: .commandLine)
        let port = try RegieProcess.freePort()
        // A state folder of its own: the default (.ddas in the working tree) made here, owner-only,
        // would keep a later embedded `serve` run as root from reaching its data folder.
        let state = try TestPostgres.temporaryFolder("ddas-validatie-state")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try RegieProcess.start(
            ["serve", "--database-url", database.connectionString, "--state-dir", state, "--port", String(port), "--log-level", "trace"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Valid BSNs (elfproef) and one that fails it, each written once into the payload.
        let known = ["123456782", "111222333", "111111111"]
        var text = String(decoding: try OfficieleVoorbeelden.bytes("meervoudigVoorbeeld.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"burgerservicenummer\": \"111111111\"", with: "\"burgerservicenummer\": \"BSN\"")
        for bsn in known {
            text = text.replacingOccurrences(of: "\"BSN\"", with: "\"\(bsn)\"", options: [], range: text.range(of: "\"BSN\""))
        }
        text = text.replacingOccurrences(
            of: "\"huisnummer\": \"5\"", with: "\"huisnummer\": \"5\", \"burgerservicenummer\": \"\(known[2])\"")
        #expect(known.allSatisfy { text.contains("\"\($0)\"") }, "the payload holds every known BSN")
        do {
            #expect(
                try await CommandLineTests().waitForReady(client: client, port: port, server: server), "\(server.output().suffix(1_500))")
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/validaties")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token.secret)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
            let response = try await client.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(answer.contains("bsn_elfproef"), "\(answer.prefix(300))")
            kill(server.pid, SIGTERM)
            #expect(await server.exitStatus() == 0)
            let installation = try await PostgresInstallation.find()
            let dump = try await ProcessRunner.run(installation.binDirectory + "/pg_dump", ["--dbname=\(database.connectionString)"])
            #expect(dump.status == 0, "\(dump.output.prefix(500))")
            #expect(dump.output.contains("validatie.uitgevoerd"), "the dump holds the audit event of the check")
            let log = server.output()
            #expect(log.contains("/v1/validaties"), "the log is of the run that checked")
            let found = PrivacyTests.nineDigitRuns(in: dump.output).union(PrivacyTests.nineDigitRuns(in: log))
            #expect(found.intersection(known).isEmpty, "no BSN of the payload at rest")
            #expect(!dump.output.contains("VS-2025-0001") && !log.contains("VS-2025-0001"), "no other value either")
        } catch {
            kill(server.pid, SIGTERM)
            _ = await server.exitStatus()
            try await client.shutdown()
            await pool.close()
            throw error
        }
        try await client.shutdown()
        await pool.close()
    }
}

@Suite("ddas-regie valideer: the offline check of an export")
struct ValideerCommandTests {
    @Test("the official examples: each finding with file, pointer, rule code and Dutch explanation, never the value; exit 1")
    func examples() async throws {
        let meervoudig = OfficieleVoorbeelden.path("meervoudigVoorbeeld.json")
        let enkelvoudig = OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json")
        let result = try await RegieProcess.run(["valideer", enkelvoudig, meervoudig])
        #expect(result.status == 1, "\(result.output.prefix(1_000))")
        #expect(result.output.contains("\(meervoudig):/leveringen/0/vroegsignalen/0/client/burgerservicenummer: fout [bsn_elfproef] "))
        #expect(result.output.contains("\(meervoudig):/leveringen/1/vroegsignaalzaken/0/startdatumMatchtingperiode: fout [schema] "))
        #expect(result.output.contains("\(enkelvoudig):/leveringen/0/vroegsignaalzaken/0/startdatumMatchtingperiode: fout [schema] "))
        #expect(result.output.contains("\(meervoudig): VS 1.2, uitwisselmodel, 6 records en zaken: 4 bevindingen"))
        #expect(result.output.contains("\(meervoudig): schemabeleid reject: met 2 schemaovertredingen wordt de levering afgekeurd"))
        #expect(!result.output.contains("111111111"))
        let json = try await RegieProcess.run(["valideer", "--formaat", "json", meervoudig])
        #expect(json.status == 1)
        #expect(json.output.contains("\"code\" : \"bsn_elfproef\""), "\(json.output.prefix(500))")
        #expect(!json.output.contains("111111111"))
    }

    @Test("a clean file exits 0; an SHV file against the SHV model")
    func clean() async throws {
        let folder = try TestPostgres.temporaryFolder("ddas-valideer")
        let file = folder + "/schoon.json"
        var text = String(decoding: try OfficieleVoorbeelden.bytes("enkelvoudigVoorbeeld.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "startdatumMatchtingperiode", with: "startdatumMatchingperiode")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let result = try await RegieProcess.run(["valideer", "--periode", "2025-01", "--gemeente", "0344", file])
        #expect(result.status == 0, "\(result.output.prefix(1_000))")
        #expect(result.output.contains("geen bevindingen"))
        let shv = try await RegieProcess.run(["valideer", "--stroom", "SHV", file])
        #expect(shv.status == 1, "a VS file breaks the SHV model")
        #expect(shv.output.contains("SHV 1.0"))
    }

    @Test("unusable input: not JSON, cut off, too large, a folder, a missing file, an unknown version or stream: a message and exit 2")
    func unusable() async throws {
        let folder = try TestPostgres.temporaryFolder("ddas-valideer")
        let whole = try OfficieleVoorbeelden.bytes("enkelvoudigVoorbeeld.json")
        try Data("geen json".utf8).write(to: URL(fileURLWithPath: folder + "/tekst.json"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: folder + "/half.json"))
        // A sparse file of 1 GiB: its size is refused before any byte is read.
        let huge = folder + "/groot.json"
        FileManager.default.createFile(atPath: huge, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let cases: [([String], String)] = [
            ([folder + "/tekst.json"], "geen geldige JSON"), ([folder + "/half.json"], "geen geldige JSON"),
            ([huge], "256 MiB"), ([folder], "is een map"), ([folder + "/ontbreekt.json"], "bestaat niet"),
            (["--versie", "9.9", OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json")], "version '9.9'"),
            (["--stroom", "XX", OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json")], "--stroom"),
            (["--periode", "2026-Q5", OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json")], "--periode"),
            (["--gemeente", "GM00000", OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json")], "--gemeente"),
            ([], "Missing expected argument"),
        ]
        for (arguments, message) in cases {
            let result = try await RegieProcess.run(["valideer"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.output.prefix(500))")
            #expect(result.output.contains(message), "\(arguments): \(result.output.prefix(500))")
        }
        let mixed = try await RegieProcess.run([
            "valideer", OfficieleVoorbeelden.path("enkelvoudigVoorbeeld.json"), folder + "/ontbreekt.json",
        ])
        #expect(mixed.status == 2, "one unusable file makes the run unusable")
        #expect(mixed.output.contains("[schema]"), "the usable file is still reported")
    }
}

extension HTTPFields {
    /// These fields and `other`'s.
    fileprivate func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}
