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

    /// The objects of one scope: the caller's own, or another's.
    struct Scope {
        let gemeente: String
        let leverancier: String
        let levering: String
    }

    /// A concrete URI for a route, with path parameters of `scope`; a list of deliveries asks
    /// for the scope's gemeente (a gemeente caller) or supplier (a supplier caller).
    static func uri(_ entry: RouteEntry, _ scope: Scope, role: Role?, tokenID: String) -> String {
        let path = entry.path
        let id: String
        if path.hasPrefix("/v1/tokens") {
            id = tokenID
        } else if path.hasPrefix("/v1/leveranciers") || path.hasPrefix("/leveranciers") {
            id = scope.leverancier
        } else if path.hasPrefix("/v1/leveringen") || path.hasPrefix("/leveringen") {
            id = scope.levering
        } else {
            id = UUID().uuidString.lowercased()
        }
        var uri = path.replacingOccurrences(of: ":gemeentecode", with: scope.gemeente).replacingOccurrences(of: ":id", with: id)
            .replacingOccurrences(of: ":stroom", with: "VS")
        if entry.scope == .leveringenLijst {
            if role == .gemeente { uri += "?gemeente=\(scope.gemeente)" }
            if role == .leverancier { uri += "?leverancier=\(scope.leverancier)" }
        }
        return uri
    }

    @Test(
        "every route of the table, API and web, answers every caller as the table says: no token 401 (or the sign-in page), other roles and other scopes 403 and audited, allowed roles pass"
    )
    func authorizationMatrix() async throws {
        let app = try await TestApp.make()
        let own = try #require(Gemeentecode("GM0363"))
        let other = try #require(Gemeentecode("GM0014"))
        // A supplier reads the gemeenten that gave it consent: GM0363 did, to xxllnc; GM0014 gave none.
        try await LeveringFixtures.grantConsent([own], pool: app.pool)
        let queue = LeveringQueue(pool: app.pool)
        _ = try await queue.enqueue(LeveringFixtures.requests([own], notBefore: Date()))
        _ = try await queue.enqueue(LeveringFixtures.requests([other], supplier: "bkr", notBefore: Date()))
        func levering(_ code: Gemeentecode) async throws -> String {
            try #require(
                try await app.pool.query("SELECT id FROM leveringen WHERE gemeente_code = $1", [code.rawValue]).first?.decode(
                    "id", as: UUID.self)
            ).uuidString.lowercased()
        }
        let scopes = (
            own: Scope(gemeente: own.rawValue, leverancier: "xxllnc", levering: try await levering(own)),
            other: Scope(gemeente: other.rawValue, leverancier: "bkr", levering: try await levering(other))
        )
        let (router, apiRoutes, registered) = buildRoutes(app.dependencies)
        #expect(Set(registered) == Set(RouteTable.entries), "every entry of the table is registered, and nothing else")
        #expect(apiRoutes.count >= 30 && registered.count > apiRoutes.count)
        var headersOf: [RouteCaller: HTTPFields] = [
            .anonymous: [:], .unknown: [.authorization: "Bearer \(TokenStore.prefix + String(repeating: "A", count: 43))"],
        ]
        var sessionOf: [RouteCaller: String] = [.unknown: String(repeating: "x", count: 43)]
        for role in Role.allCases {
            let scope: String? = role == .gemeente ? own.rawValue : role == .leverancier ? "xxllnc" : nil
            headersOf[.role(role)] = try await app.headers(role, scope: scope)
            sessionOf[.role(role)] = try await WebPagesTests.session(app, role, scope: scope)
        }
        let apiHeaders = headersOf
        let sessions = sessionOf
        let callers: [RouteCaller] = [.anonymous, .unknown] + Role.allCases.map { .role($0) }
        @Sendable func refusals() async throws -> Int {
            try await app.pool.query("SELECT coalesce(sum(aantal), 0)::int AS n FROM audit_weigeringen").first?.decode("n", as: Int.self)
                ?? -1
        }
        let cells = try await app.application(router: router).test(.router) { client in
            var cells = 0
            // Asks `entry` as `caller` in `scope` and checks the answer against `expected`.
            func check(_ entry: RouteEntry, _ caller: RouteCaller, _ scope: Scope, expected: RouteAnswer, label: String) async throws {
                // A token to read or revoke for /v1/tokens/{id}: never one the matrix uses.
                let target = try await app.dependencies.tokens.issue(
                    role: .scheduler, scope: nil, expiresAt: nil, description: "", by: .commandLine)
                var role: Role?
                if case .role(let named) = caller { role = named }
                let uri = Self.uri(entry, scope, role: role, tokenID: target.record.id.uuidString.lowercased())
                var headers: HTTPFields
                var body: ByteBuffer?
                switch entry.surface {
                case .api:
                    headers = apiHeaders[caller] ?? [:]
                    if [.post, .put, .patch].contains(entry.method) {
                        headers[.contentType] = "application/json"
                        body = ByteBuffer(string: "{}")
                    }
                case .web:
                    // The public pages are asked without a session: signing out would end one.
                    let session = entry.roles == nil ? nil : sessions[caller]
                    var fields: [String: String] = [:]
                    if let session { fields["csrf"] = WebSession.csrfToken(for: session) }
                    let (formHeaders, formBody) = WebPagesTests.form(fields, cookie: session.map { "\(WebSession.cookieName)=\($0)" })
                    headers = formHeaders
                    body = entry.method == .get ? nil : formBody
                }
                let before = try await refusals()
                let (status, location) = try await client.execute(uri: uri, method: entry.method, headers: headers, body: body) {
                    ($0.status, $0.headers[.location])
                }
                let cell = "\(label) \(caller) \(entry.method) \(uri): \(status.code)"
                switch expected {
                case .unauthorized:
                    #expect(status == .unauthorized, "\(cell), expected 401")
                case .signIn:
                    #expect(status == .seeOther && location == "/aanmelden", "\(cell), expected the sign-in page")
                case .forbidden:
                    #expect(status == .forbidden, "\(cell), expected 403")
                    #expect(try await refusals() == before + 1, "\(cell): the refusal is in the audit trail")
                case .handled:
                    #expect(status.code < 500, "\(cell)")
                    if entry.roles != nil {
                        #expect(![.unauthorized, .forbidden].contains(status), "\(cell), expected to pass")
                        #expect(location != "/aanmelden", "\(cell), expected to pass")
                    } else if entry.surface == .api {
                        #expect(![.unauthorized, .forbidden].contains(status), "\(cell) on a public route")
                    }
                }
            }
            for entry in RouteTable.entries {
                for caller in callers {
                    try await check(entry, caller, scopes.own, expected: entry.answer(for: caller), label: "own")
                    cells += 1
                    if case .role(let role) = caller, let expected = entry.answerInAnotherScope(for: role) {
                        try await check(entry, caller, scopes.other, expected: expected, label: "another's")
                        cells += 1
                    }
                }
            }
            return cells
        }
        #expect(cells > RouteTable.entries.count * callers.count)
        await app.pool.close()
    }

    @Test("a route answers only if it is in the table: the router holds nothing else but 405s on the table's API paths")
    func nothingOutsideTheTable() async throws {
        let app = try await TestApp.make()
        let router = buildRouter(app.dependencies)
        // The router writes a path's parameters as {name}.
        let declared = Set(RouteTable.entries.map { "\($0.method.rawValue) \(RouterPath($0.path))" })
        let apiPaths = Set(RouteTable.entries.filter { $0.surface == .api }.map { "\(RouterPath($0.path))" })
        var undeclared: [(method: HTTPRequest.Method, path: String)] = []
        for route in router.routes where !declared.contains("\(route.method.rawValue) \(route.path)") {
            if route.method == .head && declared.contains("GET \(route.path)") { continue }
            undeclared.append((route.method, "\(route.path)"))
        }
        let extra = undeclared
        #expect(!router.routes.isEmpty)
        let outside = extra.filter { !apiPaths.contains($0.path) }.map { "\($0.method) \($0.path)" }
        #expect(outside.isEmpty, "routes outside the table: \(outside)")
        // The rest answer 405 and nothing else.
        try await app.application(router: router).test(.router) { client in
            for route in extra where apiPaths.contains(route.path) {
                let uri = route.path.replacingOccurrences(of: "{gemeentecode}", with: "GM0363").replacingOccurrences(
                    of: "{id}", with: UUID().uuidString.lowercased()
                ).replacingOccurrences(of: "{stroom}", with: "VS")
                try await client.execute(uri: uri, method: route.method, headers: app.projectteam) { response in
                    #expect(response.status == .methodNotAllowed, "\(route.method) \(route.path): \(response.status)")
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
        let refused = try await app.pool.queryTrail(
            "SELECT actor_role, action, object_id FROM audit_events WHERE result = 'refused'")
        #expect(refused.count == 1)
        #expect(try refused.first?.decode("object_id", as: String.self) == "GM0518")
        #expect(try refused.first?.decode("actor_role", as: String.self) == "gemeente")
        await app.pool.close()
    }

    @Test(
        "the guard fails closed: a scoped token without its scope, and a scope whose parameter the path lacks, are refused and audited"
    )
    func guardFailsClosed() async throws {
        let app = try await TestApp.make()
        let accessGuard = AccessGuard(
            refusals: Refusals(audit: app.dependencies.audit, now: { Date() }), scopes: ScopeStore(pool: app.pool),
            sessions: app.dependencies.webSessions, now: { Date() })
        let router = Router(context: RegieRequestContext.self)
        router.add(middleware: APIConventionsMiddleware())
        router.add(middleware: AuthenticationMiddleware(tokens: app.dependencies.tokens))
        let table = [
            RouteEntry(.get, "/v1/proef/:gemeentecode", roles: [.gemeente, .projectteam], scope: .gemeente, action: "proef"),
            // A gemeente scope on a path without a gemeente: it cannot be decided.
            RouteEntry(.get, "/v1/proef", roles: [.gemeente, .projectteam], scope: .gemeente, action: "proef"),
            RouteEntry(.get, "/v1/niemand", roles: [], action: "niemand"),
        ]
        let routes = APIRoutes(router: router, table: table, guard: accessGuard)
        for entry in table { routes.get(entry.path) { _, _ in Response(status: .ok) } }
        routes.finish()
        let own = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/proef/GM0363", method: .get) { response in
                #expect(response.status == .unauthorized && response.problem()?.code == "unauthorized")
            }
            try await client.execute(uri: "/v1/proef/GM0363", method: .get, headers: own) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/proef/GM0363", method: .get, headers: app.projectteam) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/proef/GM0014", method: .get, headers: own) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/proef", method: .get, headers: own) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/niemand", method: .get, headers: app.projectteam) { #expect($0.status == .forbidden) }
        }
        let refused = try await app.pool.queryTrail("SELECT count(*)::int AS n FROM audit_events WHERE result = 'refused'").first?.decode(
            "n", as: Int.self)
        #expect(refused == 3)
        // A gemeente token without its gemeente (the database does not allow one) is refused all the same.
        var parameters = Parameters()
        parameters["gemeentecode"] = "GM0363"
        let decision = try await accessGuard.decide(
            table[0], principal: Principal(tokenID: UUID().uuidString, role: .gemeente, scope: nil), parameters: parameters, query: [:])
        guard case .failure = decision else {
            Issue.record("a scoped token without a scope passed")
            return
        }
        await app.pool.close()
    }

    @Test("every 403 is audited: a list of another gemeente's deliveries, another supplier, and a role's refusal")
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
        let refused = try await app.pool.queryTrail(
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
        let rows = try await app.pool.queryTrail("SELECT count(*) AS n FROM audit_events WHERE result = 'refused'").first?.decode(
            "n", as: Int.self)
        #expect(rows == 2)
        let counts = try await app.pool.queryTrail("SELECT aantal FROM audit_weigeringen ORDER BY minuut").map {
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
