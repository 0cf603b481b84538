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

@testable import RegieApp

@Suite("Onboarding of a gemeente: DPIA, consent, supplier switch")
struct OnboardingAPITests {
    struct Detail: Decodable {
        let fase: String
        let versie: Int
        let toestemmingen: [Toestemming]
    }

    struct Toestemming: Decodable {
        let id: String
        let leverancier: String
        let stroom: String
        let actief: Bool
        let ingetrokkenOp: String?
    }

    static let hash = String(repeating: "ab", count: 32)
    static let dpia =
        #"{"besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "DPIA-2025-17", "documentSha256": "\#(hash)"}"#

    static func consent(_ supplier: String = "xxllnc", from: String = "2025-11-01") -> String {
        #"{"leverancier": "\#(supplier)", "stromen": ["VS"], "besluitdatum": "2025-10-15", "besluitvormendOrgaan": "college van B&W", "documentreferentie": "B&W-2025-88", "documentSha256": "\#(hash)", "geldigVan": "\#(from)"}"#
    }

    static func supplier(_ id: String) -> String {
        #"{"leverancier": "\#(id)", "organisatienaam": "Gemeente Amsterdam"}"#
    }

    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String, _ headers: HTTPFields
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: method, headers: headers + [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    @Test("the whole path: supplier set, DPIA, consent, revocation, consent again, supplier switch — each phase as the evidence says")
    func wholePath() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let base = "/v1/gemeenten/GM0363"
        try await app.application().test(.router) { client in
            func phase() async throws -> String {
                try await client.execute(uri: base, method: .get, headers: app.projectteam) { try $0.json(Detail.self).fase }
            }
            #expect(try await phase() == "aangemeld")
            var response = try await send(client, .put, base + "/leveranciers/VS", Self.supplier("xxllnc"), app.projectteam)
            #expect(response.status == .ok)

            response = try await send(client, .post, base + "/dpia-akkoorden", Self.dpia, gemeente)
            #expect(response.status == .created)
            #expect(try response.json(Detail.self).fase == "dpia_akkoord")

            response = try await send(client, .post, base + "/toestemmingen", Self.consent(), gemeente)
            #expect(response.status == .created)
            let given = try response.json(Detail.self)
            #expect(given.fase == "toestemming_gegeven")
            let consentID = try #require(given.toestemmingen.first { $0.actief }?.id)

            response = try await send(
                client, .post, base + "/toestemmingen/\(consentID)/intrekkingen", #"{"reden": "raadsbesluit"}"#, gemeente)
            #expect(response.status == .created)
            #expect(try response.json(Detail.self).fase == "toestemming_ingetrokken")
            response = try await send(client, .post, base + "/toestemmingen/\(consentID)/intrekkingen", #"{"reden": "nogmaals"}"#, gemeente)
            #expect(response.status == .conflict)

            response = try await send(client, .post, base + "/toestemmingen", Self.consent(), gemeente)
            #expect(response.status == .created)
            #expect(try response.json(Detail.self).fase == "toestemming_gegeven")

            // A new supplier: the consent to the old one no longer counts.
            response = try await send(client, .put, base + "/leveranciers/VS", Self.supplier("bkr"), app.projectteam)
            #expect(response.status == .ok)
            #expect(try response.json(Detail.self).fase == "dpia_akkoord")
            response = try await send(client, .post, base + "/toestemmingen", Self.consent("xxllnc"), gemeente)
            #expect(response.status == .conflict)
            #expect(response.problem()?.code == "not-current-supplier")
            response = try await send(client, .post, base + "/toestemmingen", Self.consent("bkr"), gemeente)
            #expect(response.status == .created)
            #expect(try response.json(Detail.self).fase == "toestemming_gegeven")
        }
        #expect(try await AuditLog().verify(pool: app.pool) != .intact(events: 0))
        if case .broken = try await AuditLog().verify(pool: app.pool) { Issue.record("the audit chain is broken") }
        let actions = try await app.pool.queryTrail("SELECT action FROM audit_events WHERE object_id = 'GM0363' ORDER BY seq").map {
            try $0.decode("action", as: String.self)
        }
        #expect(actions.contains("dpia.recorded"))
        #expect(actions.filter { $0 == "toestemming.gegeven" }.count == 3)
        #expect(actions.contains("toestemming.ingetrokken"))
        #expect(actions.filter { $0 == "gemeente.fase" }.count == 6)
        await app.pool.close()
    }

    @Test("consent valid from a later date is recorded but not active: the phase waits")
    func futureConsent() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, "/v1/gemeenten/GM0363/leveranciers/VS", Self.supplier("xxllnc"), app.projectteam)
            _ = try await send(client, .post, "/v1/gemeenten/GM0363/dpia-akkoorden", Self.dpia, gemeente)
            let response = try await send(client, .post, "/v1/gemeenten/GM0363/toestemmingen", Self.consent(from: "2099-01-01"), gemeente)
            #expect(response.status == .created)
            let detail = try response.json(Detail.self)
            #expect(detail.fase == "dpia_akkoord")
            #expect(detail.toestemmingen.count == 1)
            #expect(detail.toestemmingen.first?.actief == false)
        }
        await app.pool.close()
    }

    @Test("two concurrent consents for one gemeente, supplier and stream: one is registered, the other refused")
    func concurrentConsent() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, "/v1/gemeenten/GM0363/leveranciers/VS", Self.supplier("xxllnc"), app.projectteam)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await send(client, .post, "/v1/gemeenten/GM0363/toestemmingen", Self.consent(), gemeente).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.created, .conflict])
        }
        let open = try await app.pool.query("SELECT count(*) AS n FROM toestemmingen WHERE ingetrokken_op IS NULL")
        #expect(try open.first?.decode("n", as: Int.self) == 1)
        await app.pool.close()
    }

    @Test("ETag and If-Match: a stale version is 412 and changes nothing; the current one passes")
    func optimisticConcurrency() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let etag = try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: app.projectteam) { response in
                try #require(response.headers[.eTag])
            }
            var response = try await send(
                client, .post, "/v1/gemeenten/GM0363/fase-overgangen", #"{"naar": "opgeschort", "reden": "onderzoek"}"#,
                app.projectteam + [.ifMatch: etag])
            #expect(response.status == .created)
            #expect(response.headers[.eTag] != etag)
            // The same If-Match again is stale now.
            response = try await send(
                client, .post, "/v1/gemeenten/GM0363/fase-overgangen", #"{"naar": "geblokkeerd", "reden": "onderzoek"}"#,
                app.projectteam + [.ifMatch: etag])
            #expect(response.status == .preconditionFailed)
            #expect(response.problem()?.code == "precondition-failed")
            response = try await send(
                client, .post, "/v1/gemeenten/GM0363/fase-overgangen", #"{"naar": "aangemeld", "reden": "weer verder"}"#,
                app.projectteam + [.ifMatch: "\"x\""])
            #expect(response.status == .preconditionFailed)
            let fase = try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: app.projectteam) {
                try $0.json(Detail.self).fase
            }
            #expect(fase == "opgeschort")
        }
        await app.pool.close()
    }

    @Test("two concurrent moves with the same If-Match: one succeeds, the other gets 412, never both")
    func concurrentMoves() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let etag = try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: app.projectteam) { response in
                try #require(response.headers[.eTag])
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for target in ["opgeschort", "geblokkeerd"] {
                    group.addTask {
                        try await send(
                            client, .post, "/v1/gemeenten/GM0363/fase-overgangen", #"{"naar": "\#(target)", "reden": "onderzoek"}"#,
                            app.projectteam + [.ifMatch: etag]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.created, .preconditionFailed])
        }
        let moves = try await app.pool.queryTrail("SELECT count(*) AS n FROM audit_events WHERE action = 'gemeente.fase'")
        #expect(try moves.first?.decode("n", as: Int.self) == 1)
        await app.pool.close()
    }

    @Test("the project team's moves: side states need a reason; delivery phases are never set by hand; gemeenten may not move themselves")
    func projectteamMoves() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            let uri = "/v1/gemeenten/GM0363/fase-overgangen"
            var response = try await send(client, .post, uri, #"{"naar": "opgeschort"}"#, app.projectteam)
            #expect(response.status == .badRequest)
            #expect(response.problem()?.invalidParams?.map(\.name) == ["reden"])
            response = try await send(client, .post, uri, #"{"naar": "api_getest", "reden": "handmatig"}"#, app.projectteam)
            #expect(response.status == .conflict)
            #expect(response.problem()?.code == "transition-refused")
            response = try await send(client, .post, uri, #"{"naar": "opgeschort", "reden": "x"}"#, gemeente)
            #expect(response.status == .forbidden)
            response = try await send(client, .post, uri, #"{"naar": "opgeschort", "reden": "onderzoek"}"#, app.projectteam)
            #expect(response.status == .created)
            response = try await send(client, .post, uri, #"{"naar": "aangemeld", "reden": "afgerond"}"#, app.projectteam)
            #expect(response.status == .created)
            #expect(try response.json(Detail.self).fase == "aangemeld")
        }
        await app.pool.close()
    }

    @Test("invalid DPIA and consent bodies: one 400 listing every field; nothing recorded")
    func invalidBodies() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            var response = try await send(
                client, .post, "/v1/gemeenten/GM0363/dpia-akkoorden", #"{"besluitdatum": "2025-02-30", "documentSha256": "xyz"}"#, gemeente)
            #expect(response.status == .badRequest)
            #expect(
                Set(response.problem()?.invalidParams?.map(\.name) ?? []) == [
                    "besluitdatum", "goedkeurendeRol", "documentreferentie", "documentSha256",
                ])
            response = try await send(
                client, .post, "/v1/gemeenten/GM0363/toestemmingen",
                #"{"leverancier": "xxllnc", "stromen": ["VS", "XX"], "geldigVan": "2025-12-01", "geldigTot": "2025-01-01"}"#, gemeente)
            #expect(response.status == .badRequest)
            #expect(
                Set(response.problem()?.invalidParams?.map(\.name) ?? [])
                    == ["stromen", "geldigTot", "besluitdatum", "besluitvormendOrgaan", "documentreferentie", "documentSha256"])
            response = try await send(client, .post, "/v1/gemeenten/GM0518/dpia-akkoorden", Self.dpia, gemeente)
            #expect(response.status == .forbidden)
            // A misspelt field is refused, not ignored: "geldigtot" must not become consent without an end date.
            let misspelt = String(Self.consent().dropLast()) + #", "geldigtot": "2026-12-31"}"#
            response = try await send(client, .post, "/v1/gemeenten/GM0363/toestemmingen", misspelt, gemeente)
            #expect(response.status == .badRequest && response.problem()?.code == "invalid-body")
            #expect(response.problem()?.detail?.contains("1 field") == true)
            #expect(!response.text.contains("geldigtot"), "the unknown name is not echoed")
            #expect(response.problem()?.invalidParams?.first?.reason.contains("geldigTot") == true, "the known fields are listed")
        }
        let counts = try await app.pool.query("SELECT (SELECT count(*) FROM dpia_akkoorden) + (SELECT count(*) FROM toestemmingen) AS n")
        #expect(try counts.first?.decode("n", as: Int.self) == 0)
        await app.pool.close()
    }

    @Test("consent and DPIA records are never edited or deleted, not even by the tables' owner")
    func immutableConsent() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, "/v1/gemeenten/GM0363/leveranciers/VS", Self.supplier("xxllnc"), app.projectteam)
            _ = try await send(client, .post, "/v1/gemeenten/GM0363/dpia-akkoorden", Self.dpia, gemeente)
            _ = try await send(client, .post, "/v1/gemeenten/GM0363/toestemmingen", Self.consent(), gemeente)
        }
        let statements = [
            "UPDATE toestemmingen SET documentreferentie = 'anders'", "DELETE FROM toestemmingen",
            "UPDATE dpia_akkoorden SET goedkeurende_rol = 'anders'", "DELETE FROM dpia_akkoorden",
        ]
        #expect(try await app.pool.query("SELECT count(*) AS n FROM toestemmingen").first?.decode("n", as: Int.self) == 1)
        for statement in statements {
            let error = await #expect(throws: PostgresError.self, "\(statement)") { try await app.pool.query(statement) }
            #expect(error?.sqlState == "42501")
        }
        await app.pool.close()
    }
}

@Suite("Suppliers and their services")
struct LeveranciersAPITests {
    func send(_ client: some TestClientProtocol, _ uri: String, _ json: String, _ headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: headers + [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    @Test("a supplier reports its own steps with evidence; the project team confirms FSC steps; the conformance step is the service's")
    func supplierSteps() async throws {
        let app = try await TestApp.make()
        let xxllnc = try await app.headers(.leverancier, scope: "xxllnc")
        let bkr = try await app.headers(.leverancier, scope: "bkr")
        let uri = "/v1/leveranciers/xxllnc/diensten/VS/fase-overgangen"
        try await app.application().test(.router) { client in
            var response = try await send(client, uri, #"{"naar": "api_gebouwd"}"#, xxllnc)
            #expect(response.status == .conflict)
            #expect(response.problem()?.detail?.contains("spec_version_reported") == true)
            response = try await send(client, uri, #"{"naar": "api_gebouwd", "specificatieVersie": "1.2"}"#, bkr)
            #expect(response.status == .forbidden)
            response = try await send(client, uri, #"{"naar": "api_gebouwd", "specificatieVersie": "1.2"}"#, xxllnc)
            #expect(response.status == .ok)
            #expect(response.text.contains("\"specificatieVersie\":\"1.2\""))
            response = try await send(
                client, uri, #"{"naar": "fsc_acceptatie", "acceptatieDienst": "DDAS-vroegsignalering-ophaal-xxllnc"}"#, xxllnc)
            #expect(response.status == .ok)
            response = try await send(client, uri, #"{"naar": "cbs_test_geslaagd", "reden": "handmatig"}"#, app.projectteam)
            #expect(response.status == .conflict)
            #expect(response.problem()?.code == "transition-refused")
            try await client.execute(uri: "/v1/leveranciers", method: .get, headers: xxllnc) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"id\":\"xxllnc\""))
                #expect(!response.text.contains("\"id\":\"bkr\""))
            }
            try await client.execute(uri: "/v1/leveranciers/bkr", method: .get, headers: xxllnc) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/leveranciers/xxllnc", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"fase\":\"fsc_acceptatie\""))
            }
        }
        await app.pool.close()
    }
}

@Suite("History and the audit trail over the API")
struct AuditAPITests {
    struct Page: Decodable {
        struct Item: Decodable {
            let volgnummer: Int
            let actie: String
            let object: String
            let actorRol: String
        }
        struct Paging: Decodable { let totaal: Int }
        let auditGebeurtenissen: [Item]
        let paginering: Paging
    }

    @Test("a gemeente's detail shows its history; the project team filters the audit trail by object and period, page by page")
    func historyAndTrail() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            let json = OnboardingAPITests.dpia
            _ = try await client.execute(
                uri: "/v1/gemeenten/GM0363/dpia-akkoorden", method: .post, headers: gemeente + [.contentType: "application/json"],
                body: ByteBuffer(string: json))
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: gemeente) { response in
                #expect(response.text.contains("\"geschiedenis\":["))
                #expect(response.text.contains("\"actie\":\"dpia.recorded\""))
                #expect(response.text.contains("\"actie\":\"gemeente.fase\""))
            }
            try await client.execute(
                uri: "/v1/audit-gebeurtenissen?objecttype=gemeente&object=GM0363&paginaGrootte=1", method: .get, headers: app.projectteam
            ) { response in
                #expect(response.status == .ok)
                let page = try response.json(Page.self)
                #expect(page.paginering.totaal == 2)
                #expect(page.auditGebeurtenissen.map(\.actie) == ["dpia.recorded"])
                #expect(page.auditGebeurtenissen.first?.actorRol == "gemeente")
            }
            try await client.execute(uri: "/v1/audit-gebeurtenissen?van=2099-01-01", method: .get, headers: app.projectteam) { response in
                let page = try response.json(Page.self)
                #expect(page.paginering.totaal == 0)
            }
            try await client.execute(uri: "/v1/audit-gebeurtenissen?van=gisteren&tot=2020-01-01", method: .get, headers: app.projectteam) {
                response in
                #expect(response.status == .badRequest)
                #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == ["van"])
            }
            try await client.execute(uri: "/v1/audit-gebeurtenissen", method: .get, headers: gemeente) { response in
                #expect(response.status == .forbidden)
            }
        }
        await app.pool.close()
    }
}
