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

@Suite("Authentication and roles")
struct AuthorizationTests {
    @Test("no token, an unknown, an expired and a revoked token all get the same 401")
    func sameUnauthorized() async throws {
        let app = try await TestApp.make()
        let expired = try await app.headers(.projectteam, expiresAt: Date().addingTimeInterval(-1))
        let revokedToken = try await app.dependencies.tokens.issue(
            role: .projectteam, scope: nil, expiresAt: nil, description: "", by: .commandLine)
        _ = try await app.dependencies.tokens.revoke(id: revokedToken.record.id, by: .commandLine)
        let unknown = TokenStore.prefix + String(repeating: "A", count: 43)
        let cases: [HTTPFields] = [
            [:], [.authorization: "Bearer \(unknown)"], expired, [.authorization: "Bearer \(revokedToken.secret)"],
            [.authorization: "Basic dXNlcjpwYXNz"], [.authorization: "Bearer"],
        ]
        try await app.application().test(.router) { client in
            var bodies: Set<String> = []
            for headers in cases {
                try await client.execute(uri: "/v1/gemeenten", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[HTTPField.Name("WWW-Authenticate")!] == "Bearer realm=\"ddas-regie\"")
                    let problem = try #require(response.problem())
                    bodies.insert("\(problem.code) \(problem.title) \(problem.detail ?? "")")
                }
            }
            #expect(bodies.count == 1)
        }
        await app.pool.close()
    }

    /// A concrete URI for a route, with path parameters that exist and are in the caller's scope.
    func uri(_ path: String, tokenID: String) -> String {
        let id = path.hasPrefix("/v1/tokens") ? tokenID : path.hasPrefix("/v1/leveranciers") ? "xxllnc" : UUID().uuidString.lowercased()
        return path.replacingOccurrences(of: ":gemeentecode", with: "GM0363").replacingOccurrences(of: ":id", with: id)
            .replacingOccurrences(of: ":stroom", with: "VS")
    }

    @Test("every route answers every role as it declares: allowed roles pass, others get 403, no token 401")
    func authorizationMatrix() async throws {
        let app = try await TestApp.make()
        // A supplier reads the gemeenten that gave it consent: GM0363 did, to xxllnc.
        try await DeliveryFixtures.grantConsent([try #require(Gemeentecode("GM0363"))], pool: app.pool)
        let routes = buildRoutes(app.dependencies).routes
        #expect(routes.count >= 8)
        var headersByRole: [Role: HTTPFields] = [:]
        for role in Role.allCases {
            let scope: String? = role == .gemeente ? "GM0363" : role == .leverancier ? "xxllnc" : nil
            headersByRole[role] = try await app.headers(role, scope: scope)
        }
        let target = try await app.dependencies.tokens.issue(
            role: .scheduler, scope: nil, expiresAt: nil, description: "", by: .commandLine)
        let tokenID = target.record.id.uuidString.lowercased()
        let roleHeaders = headersByRole
        try await app.application().test(.router) { client in
            for route in routes {
                let uri = uri(route.path, tokenID: tokenID)
                let documented = Set(
                    OpenAPIDocument.operations.first {
                        $0.method == route.method.rawValue.lowercased() && $0.path == ContractTests.openAPIPath(route.path)
                    }?.responses ?? [])
                // Without a token: 401 for every protected route, never for a public one.
                try await client.execute(uri: uri, method: route.method) { response in
                    if route.roles == nil {
                        #expect(response.status != .unauthorized, "\(route.method) \(route.path)")
                    } else {
                        #expect(response.status == .unauthorized, "\(route.method) \(route.path)")
                    }
                }
                // A gemeente token on another gemeente: 403 wherever the role may otherwise pass.
                if route.path.contains(":gemeentecode"), route.roles?.contains(.gemeente) == true {
                    let other = uri.replacingOccurrences(of: "GM0363", with: "GM0518")
                    try await client.execute(uri: other, method: route.method, headers: roleHeaders[.gemeente] ?? [:]) { response in
                        #expect(
                            response.status == .forbidden, "gemeente on another gemeente: \(route.method) \(route.path): \(response.status)"
                        )
                    }
                }
                for role in Role.allCases {
                    try await client.execute(uri: uri, method: route.method, headers: roleHeaders[role] ?? [:]) { response in
                        #expect(
                            documented.contains(Int(response.status.code)),
                            "\(role) \(route.method) \(route.path): undocumented \(response.status)")
                        let allowed = route.roles?.contains(role) ?? true
                        if allowed {
                            #expect(
                                ![.unauthorized, .forbidden].contains(response.status),
                                "\(role) \(route.method) \(route.path): \(response.status)")
                        } else {
                            #expect(response.status == .forbidden, "\(role) \(route.method) \(route.path): \(response.status)")
                        }
                    }
                }
            }
        }
        await app.pool.close()
    }

    @Test("a gemeente token sees its own gemeente only; another one is 403 and audited")
    func gemeenteScope() async throws {
        let app = try await TestApp.make()
        let own = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: own) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/gemeenten", method: .get, headers: own) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"totaal\":1"))
                #expect(response.text.contains("GM0363"))
            }
            try await client.execute(uri: "/v1/gemeenten/GM0518", method: .get, headers: own) { response in
                #expect(response.status == .forbidden)
                #expect(response.problem()?.code == "forbidden")
            }
        }
        let refused = try await app.pool.query(
            "SELECT actor_role, action, object_id FROM audit_events WHERE result = 'refused'")
        #expect(refused.count == 1)
        #expect(try refused.first?.decode("object_id", as: String.self) == "GM0518")
        #expect(try refused.first?.decode("actor_role", as: String.self) == "gemeente")
        await app.pool.close()
    }

    @Test("the scope guard fails closed: a route that forgot its roles still answers 401 without a token")
    func scopeGuardFailsClosed() async throws {
        let app = try await TestApp.make()
        let scopeGuard = ScopeGuard(refusals: Refusals(audit: app.dependencies.audit, now: { Date() }), pool: app.pool)
        let router = Router(context: RegieRequestContext.self)
        router.add(middleware: APIConventionsMiddleware())
        router.add(middleware: AuthenticationMiddleware(tokens: app.dependencies.tokens))
        let routes = APIRoutes(router: router, refusals: nil)
        routes.get("/v1/proef/:gemeentecode", roles: nil) { _, context in
            _ = try await scopeGuard.gemeente(in: context, action: "proef")
            return Response(status: .ok)
        }
        routes.finish()
        let own = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/proef/GM0363", method: .get) { response in
                #expect(response.status == .unauthorized && response.problem()?.code == "unauthorized")
            }
            try await client.execute(uri: "/v1/proef/GM0363", method: .get, headers: own) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/proef/GM0014", method: .get, headers: own) { #expect($0.status == .forbidden) }
        }
        await app.pool.close()
    }

    @Test("403s outside the scope guard are audited too: a controller's own checks and a role's refusal")
    func controllerRefusalsAudited() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let supplier = try await app.headers(.leverancier, scope: "xxllnc")
        let scheduler = try await app.headers(.scheduler)
        try await app.application().test(.router) { client in
            for (uri, headers) in [
                ("/v1/leveringen?gemeente=GM0014", gemeente), ("/v1/leveranciers/bkr", supplier), ("/v1/tokens", scheduler),
            ] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .forbidden && response.problem()?.code == "forbidden", "\(uri)")
                }
            }
        }
        let refused = try await app.pool.query(
            "SELECT actor_role, action, object_type, object_id, origin FROM audit_events WHERE result = 'refused' ORDER BY seq"
        ).map {
            [
                try $0.decode("actor_role", as: String.self), try $0.decode("action", as: String.self),
                try $0.decode("object_type", as: String.self), try $0.decode("object_id", as: String.self),
                try $0.decode("origin", as: String.self),
            ]
        }
        #expect(
            refused == [
                ["gemeente", "levering.list", "gemeente", "GM0014", "api"],
                ["leverancier", "leverancier.read", "leverancier", "bkr", "api"],
                ["scheduler", "GET /v1/tokens", "route", "GET /v1/tokens", "api"],
            ])
        await app.pool.close()
    }

    @Test("50 refusals of one token in one minute are one audit event that says 50, not 50 events")
    func refusalsCounted() async throws {
        let app = try await TestApp.make()
        let clock = TestClock()
        var dependencies = app.dependencies
        dependencies.now = { clock.now }
        let own = try await app.headers(.gemeente, scope: "GM0363")
        let before = try await AuditLog().verify(pool: app.pool)
        try await app.application(router: buildRouter(dependencies)).test(.router) { client in
            for _ in 0..<50 {
                try await client.execute(uri: "/v1/gemeenten/GM0518", method: .get, headers: own) { #expect($0.status == .forbidden) }
            }
            let trail = try await client.execute(
                uri: "/v1/audit-gebeurtenissen?objecttype=gemeente&object=GM0518", method: .get, headers: app.projectteam
            ) { response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(trail.contains("\"resultaat\":\"refused\"") && trail.contains("\"aantal\":50"), "\(trail)")
            #expect(trail.contains("\"totaal\":1"))
            // The next minute starts a new count.
            clock.advance(60)
            try await client.execute(uri: "/v1/gemeenten/GM0518", method: .get, headers: own) { #expect($0.status == .forbidden) }
        }
        let rows = try await app.pool.query("SELECT count(*) AS n FROM audit_events WHERE result = 'refused'").first?.decode(
            "n", as: Int.self)
        #expect(rows == 2)
        let counts = try await app.pool.query("SELECT aantal FROM audit_weigeringen ORDER BY minuut").map {
            try $0.decode("aantal", as: Int.self)
        }
        #expect(counts == [50, 1])
        guard case .intact(let events) = try await AuditLog().verify(pool: app.pool), case .intact(let earlier) = before else {
            Issue.record("the audit chain is broken")
            return
        }
        #expect(events == earlier + 2, "the trail grew by two events, and stays intact")
        await app.pool.close()
    }
}
