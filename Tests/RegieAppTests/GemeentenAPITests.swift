import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("GET /v1/gemeenten")
struct GemeentenAPITests {
    struct List: Decodable {
        let gemeenten: [Item]
        let paginering: Paging
        var aantal: Int { paginering.totaal }
    }

    struct Paging: Decodable {
        let pagina: Int
        let paginaGrootte: Int
        let totaal: Int
        let aantalPaginas: Int
    }

    struct Item: Decodable {
        let gemeentecode: String
        let naam: String
        let provincie: String
        let provinciecode: String
        let fase: String
        let achterstallig: Bool
    }

    struct Detail: Decodable {
        let gemeentecode: String
        let naam: String
        let provincie: String
        let actief: Bool
        let fase: String
    }

    @Test("lists all 342 gemeenten, with the conventions' headers")
    func listsAll() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[.apiVersion] == "1.0.0")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.contentTypeOptions] == "nosniff")
                #expect(UUID(uuidString: response.headers[.requestID] ?? "") != nil)
                let list = try response.json(List.self)
                #expect(list.aantal == 342)
                #expect(list.gemeenten.count == 342)
                #expect(Set(list.gemeenten.map(\.gemeentecode)).count == 342)
                #expect(list.gemeenten.first?.gemeentecode == "GM0014")
            }
        }
        await app.pool.close()
    }

    @Test("filters by province, by name or code, in any case", arguments: ["Utrecht", "utrecht", "PV26", "pv26"])
    func filtersByProvince(value: String) async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten?provincie=\(value)", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                let list = try response.json(List.self)
                #expect(list.aantal == 26)
                #expect(list.gemeenten.allSatisfy { $0.provincie == "Utrecht" })
            }
            try await client.execute(uri: "/v1/gemeenten?provincie=Frysl%C3%A2n", method: .get, headers: app.projectteam) { response in
                let list = try response.json(List.self)
                #expect(list.aantal == 18)
            }
        }
        await app.pool.close()
    }

    @Test("pages: paginaGrootte and pagina cut the list, with Link next and prev; the filters fase and achterstallig apply")
    func pagesAndFilters() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten?paginaGrootte=100&pagina=2", method: .get, headers: app.projectteam) { response in
                let list = try response.json(List.self)
                #expect(list.gemeenten.count == 100)
                #expect(list.paginering.totaal == 342)
                #expect(list.paginering.aantalPaginas == 4)
                let link = response.headers[HTTPField.Name("Link")!] ?? ""
                #expect(link.contains("pagina=3"))
                #expect(link.contains("rel=\"next\""))
                #expect(link.contains("pagina=1"))
                #expect(link.contains("rel=\"prev\""))
            }
            try await client.execute(uri: "/v1/gemeenten?paginaGrootte=100&pagina=4", method: .get, headers: app.projectteam) { response in
                let list = try response.json(List.self)
                #expect(list.gemeenten.count == 42)
            }
            try await client.execute(uri: "/v1/gemeenten?fase=aangemeld&paginaGrootte=1", method: .get, headers: app.projectteam) {
                response in
                let list = try response.json(List.self)
                #expect(list.aantal == 342)
            }
            try await client.execute(uri: "/v1/gemeenten?fase=actief", method: .get, headers: app.projectteam) { response in
                let list = try response.json(List.self)
                #expect(list.aantal == 0)
            }
            // Every gemeente is still aangemeld, long after that phase's plan step: all overdue.
            try await client.execute(uri: "/v1/gemeenten?achterstallig=true", method: .get, headers: app.projectteam) { response in
                let list = try response.json(List.self)
                #expect(list.aantal == 342)
            }
            try await client.execute(
                uri: "/v1/gemeenten?pagina=0&paginaGrootte=501&fase=klaar&achterstallig=ja", method: .get, headers: app.projectteam
            ) { response in
                #expect(response.status == .badRequest)
                #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == ["pagina", "paginaGrootte", "fase", "achterstallig"])
            }
        }
        await app.pool.close()
    }

    @Test("an unknown province and an unknown parameter are one 400 naming both")
    func badQuery() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten?provincie=Atlantis&pagine=2", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .badRequest)
                let problem = try #require(response.problem())
                #expect(problem.code == "invalid-parameters")
                #expect(Set(problem.invalidParams?.map(\.name) ?? []) == ["provincie", "pagine"])
                #expect(response.headers[.apiVersion] == "1.0.0")
            }
        }
        await app.pool.close()
    }

    @Test("one gemeente by GM0363 or 0363")
    func showsOne() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            for code in ["GM0363", "0363"] {
                try await client.execute(uri: "/v1/gemeenten/\(code)", method: .get, headers: app.projectteam) { response in
                    #expect(response.status == .ok)
                    let item = try response.json(Detail.self)
                    #expect(item.gemeentecode == "GM0363")
                    #expect(item.naam == "Amsterdam")
                    #expect(item.provincie == "Noord-Holland")
                    #expect(item.actief)
                    #expect(item.fase == "aangemeld")
                    #expect(response.headers[.eTag] == "\"1\"")
                }
            }
        }
        await app.pool.close()
    }

    @Test("a supplier sees the gemeenten that gave it consent, in the list and one by one; another is 403 and audited")
    func supplierScope() async throws {
        let app = try await TestApp.make()
        let codes = try LeveringFixtures.gemeenten(3)
        try await LeveringFixtures.grantConsent([codes[0], codes[1]], pool: app.pool)
        try await LeveringFixtures.grantConsent([codes[2]], supplier: "bkr", pool: app.pool)
        let xxllnc = try await app.headers(.leverancier, scope: "xxllnc")
        try await app.application().test(.router) { client in
            for uri in ["/v1/gemeenten", "/v1/gemeenten?paginaGrootte=500"] {
                try await client.execute(uri: uri, method: .get, headers: xxllnc) { response in
                    #expect(response.status == .ok)
                    let listed = try response.json(List.self).gemeenten.map(\.gemeentecode)
                    #expect(listed.sorted() == [codes[0].rawValue, codes[1].rawValue].sorted())
                }
            }
            try await client.execute(uri: "/v1/gemeenten/\(codes[0].rawValue)", method: .get, headers: xxllnc) { response in
                #expect(response.status == .ok)
            }
            for other in [codes[2].rawValue, "GM0363"] {
                try await client.execute(uri: "/v1/gemeenten/\(other)", method: .get, headers: xxllnc) { response in
                    #expect(response.status == .forbidden && response.problem()?.code == "forbidden")
                }
            }
        }
        // Both refusals, counted per token, action and minute.
        let refused = try await app.pool.queryTrail(
            """
            SELECT coalesce(sum(coalesce(w.aantal, 1)), 0)::int AS n FROM audit_events e
            LEFT JOIN audit_weigeringen w ON w.audit_seq = e.seq
            WHERE e.result = 'refused' AND e.actor_role = 'leverancier'
            """)
        #expect(try refused.first?.decode("n", as: Int.self) == 2)
        await app.pool.close()
    }

    @Test("a malformed code is 400, an unknown one 404, both problem+json")
    func badCodes() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            for code in ["GM036", "Amsterdam", "GM03633", "%20"] {
                try await client.execute(uri: "/v1/gemeenten/\(code)", method: .get, headers: app.projectteam) { response in
                    #expect(response.status == .badRequest, "\(code)")
                    #expect(response.problem()?.code == "invalid-gemeentecode")
                }
            }
            try await client.execute(uri: "/v1/gemeenten/GM9999", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .notFound)
                let problem = try #require(response.problem())
                #expect(problem.code == "gemeente-not-found")
                #expect(problem.detail?.contains("GM9999") == true)
            }
        }
        await app.pool.close()
    }
}
