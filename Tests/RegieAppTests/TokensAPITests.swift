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

@Suite("/v1/tokens")
struct TokensAPITests {
    struct Created: Decodable {
        let id: String
        let rol: String
        let scope: String?
        let token: String
    }

    func post(_ json: String, headers: HTTPFields) -> (HTTPFields, ByteBuffer) {
        (headers + [.contentType: "application/json"], ByteBuffer(string: json))
    }

    @Test("admin creates a token: 201, Location, the secret once; it works; listing never shows it; DELETE revokes it at once")
    func lifecycle() async throws {
        let app = try await TestApp.make()
        let admin = try await app.headers(.admin)
        try await app.application().test(.router) { client in
            let (headers, body) = post(
                #"{"rol": "gemeente", "scope": "0363", "geldigheidInDagen": 30, "omschrijving": "koppeling"}"#, headers: admin)
            let created = try await client.execute(uri: "/v1/tokens", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .created)
                let created = try response.json(Created.self)
                #expect(response.headers[.location] == "/v1/tokens/\(created.id)")
                return created
            }
            #expect(created.rol == "gemeente")
            #expect(created.scope == "GM0363")
            #expect(created.token.hasPrefix("ddas_"))
            #expect(created.token.count == 48)
            let bearer: HTTPFields = [.authorization: "Bearer \(created.token)"]
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/tokens", method: .get, headers: admin) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(created.id))
                #expect(!response.text.contains(created.token))
            }
            try await client.execute(uri: "/v1/tokens/\(created.id)", method: .delete, headers: admin) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: bearer) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/tokens/\(created.id)", method: .get, headers: admin) { response in
                #expect(response.text.contains("\"status\":\"ingetrokken\""))
            }
        }
        let stored = try await app.pool.query("SELECT token_sha256 FROM api_tokens").map { try $0.decode("token_sha256", as: Data.self) }
        #expect(stored.allSatisfy { $0.count == 32 })
        let actions = try await app.pool.queryTrail("SELECT action FROM audit_events ORDER BY seq").map {
            try $0.decode("action", as: String.self)
        }
        #expect(actions.filter { $0 == "token.issued" }.count >= 3)
        #expect(actions.last == "token.revoked")
        await app.pool.close()
    }

    @Test("an invalid request is one 400 listing every invalid field, and creates nothing")
    func invalidRequest() async throws {
        let app = try await TestApp.make()
        let admin = try await app.headers(.admin)
        let before = try await app.dependencies.tokens.list().count
        try await app.application().test(.router) { client in
            let cases: [(String, Set<String>)] = [
                (#"{"rol": "baas", "geldigheidInDagen": 0}"#, ["rol", "geldigheidInDagen"]),
                (#"{"rol": "gemeente"}"#, ["scope"]),
                (#"{"rol": "gemeente", "scope": "GM9999"}"#, ["scope"]),
                (#"{"rol": "projectteam", "scope": "GM0363", "geldigheidInDagen": 1000}"#, ["scope", "geldigheidInDagen"]),
                (#"{"rol": "leverancier", "scope": "Not A Supplier!"}"#, ["scope"]),
                (#"{"rol": "leverancier", "scope": "onbekend"}"#, ["scope"]),
            ]
            for (json, fields) in cases {
                let (headers, body) = post(json, headers: admin)
                try await client.execute(uri: "/v1/tokens", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .badRequest, "\(json)")
                    #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == fields, "\(json)")
                }
            }
            try await client.execute(uri: "/v1/tokens/not-a-uuid", method: .delete, headers: admin) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/tokens/\(UUID().uuidString)", method: .delete, headers: admin) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await app.dependencies.tokens.list().count == before)
        await app.pool.close()
    }
}
