import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("The web pages: sign-in with a cookie, the dashboard, a gemeente's page")
struct WebPagesTests {
    static func form(_ fields: [String: String], cookie: String? = nil, crossSite: Bool = false) -> (HTTPFields, ByteBuffer) {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        if crossSite { headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site" }
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return (headers, ByteBuffer(string: body))
    }

    /// The secret of a new token of `role`.
    static func secret(_ app: TestApp, _ role: Role, scope: String? = nil) async throws -> String {
        try await app.dependencies.tokens.issue(role: role, scope: scope, expiresAt: nil, description: "web", by: .commandLine).secret
    }

    /// The id of a session of a new token of `role`, as signing in starts it.
    static func session(_ app: TestApp, _ role: Role, scope: String? = nil) async throws -> String {
        let secret = try await secret(app, role, scope: scope)
        let principal = try #require(try await app.dependencies.tokens.authenticate(secret: secret))
        return try await app.dependencies.webSessions.start(for: principal)
    }

    /// The `Cookie` header of a session.
    static func cookie(_ session: String) -> HTTPFields { [.cookie: "\(WebSession.cookieName)=\(session)"] }

    @Test(
        "sign-in: a token starts a session in a __Host- cookie, HttpOnly, Secure, SameSite=Strict; wrong tokens, API-only roles and cross-site posts are refused"
    )
    func signIn() async throws {
        let app = try await TestApp.make()
        let team = try await Self.secret(app, .projectteam)
        let scheduler = try await Self.secret(app, .scheduler)
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/aanmelden")
            }
            try await client.execute(uri: "/aanmelden", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                #expect(
                    page.contains("<label for=\"token\">API-token</label>")
                        && page.contains("id=\"token\" name=\"token\" type=\"password\""))
                #expect(!page.contains("<script"))
            }
            for (fields, crossSite, status) in [
                (["token": "ddas_onzin"], false, HTTPResponse.Status.unauthorized), (["token": scheduler], false, .forbidden),
                (["token": team], true, .forbidden), ([:], false, .unauthorized),
            ] {
                let (headers, body) = Self.form(fields, crossSite: crossSite)
                try await client.execute(uri: "/aanmelden", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status)
                    #expect(response.headers[.setCookie] == nil)
                }
            }
            let (headers, body) = Self.form(["token": team])
            let session = try await client.execute(uri: "/aanmelden", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/dashboard")
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.hasPrefix("__Host-ddas_sessie="))
                #expect(
                    cookie.contains("; HttpOnly") && cookie.contains("; Secure") && cookie.contains("; SameSite=Strict")
                        && cookie.contains("; Path=/;") && !cookie.lowercased().contains("domain="))
                return try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
            }
            try await client.execute(uri: "/dashboard", method: .get, headers: Self.cookie(session)) { response in
                #expect(response.status == .ok)
            }
            // The API does not take the cookie: only bearer tokens.
            try await client.execute(uri: "/v1/gemeenten", method: .get, headers: Self.cookie(session)) { response in
                #expect(response.status == .unauthorized)
            }
        }
        await app.pool.close()
    }

    @Test("the dashboard: the funnel, the plan, the attention list and the filtered table; only for the project team")
    func dashboard() async throws {
        let app = try await TestApp.make()
        let team = try await Self.session(app, .projectteam)
        let utrecht = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
            .gemeenten.filter { $0.province == "Utrecht" }.count
        try await app.application().test(.router) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: Self.cookie(team)) { response in
                #expect(response.status == .ok)
                let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(policy.contains("default-src 'none'") && !policy.contains("script"))
                return String(buffer: response.body)
            }
            #expect(page.contains("<h1>Dashboard DDAS</h1>") && page.contains("342 gemeenten"))
            #expect(page.contains("<svg role=\"img\" aria-labelledby=\"trechter-grafiek-t trechter-grafiek-d\""))
            #expect(page.contains("<tr id=\"fase-aangemeld\"><th scope=\"row\">aangemeld</th><td class=\"getal\">342</td>"))
            #expect(page.contains("<caption>342 gemeenten</caption>"))
            #expect(page.contains("<label for=\"provincie\">Provincie</label>"))
            #expect(!page.contains("<script"))
            let filtered = try await client.execute(
                uri: "/dashboard?provincie=Utrecht&achterstallig=ja", method: .get, headers: Self.cookie(team)
            ) {
                response in String(buffer: response.body)
            }
            #expect(filtered.contains("<caption>\(utrecht) gemeenten</caption>"))
            #expect(filtered.contains("<option value=\"Utrecht\" selected>Utrecht</option>"))
            let text = try await BrowserCheck.visibleText(of: page)
            #expect(text.contains("Trechter per fase") && text.contains("aangemeld 342 342"), "\(text.prefix(400))")
            #expect(text.contains("Aandacht nodig") && text.contains("dpia_akkoord had eind 2025-12 bereikt moeten zijn"))
            let screenshot = TestPostgres.repositoryRoot.appendingPathComponent(".build/screenshots/dashboard.png")
            try await BrowserCheck.screenshot(of: page, to: screenshot)
            let size = (try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "a screenshot of the dashboard")
            print("dashboard screenshot: \(screenshot.path) (\(size) bytes)")
            #expect(text.contains("vandaag"))
        }
        await app.pool.close()
    }

    @Test("a gemeente sees its own page and what the next step asks, nothing else; sign-out needs the page's CSRF token")
    func gemeente() async throws {
        let app = try await TestApp.make()
        let amsterdam = try await Self.session(app, .gemeente, scope: "GM0363")
        let team = try await Self.session(app, .projectteam)
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: Self.cookie(amsterdam)) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/gemeenten/GM0363")
            }
            for uri in ["/dashboard", "/gemeenten/GM0014"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie(amsterdam)) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
            let page = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: Self.cookie(amsterdam)) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("<h1>Amsterdam (GM0363)</h1>") && page.contains("<dd id=\"fase\">aangemeld</dd>"))
            #expect(page.contains("Leg het akkoord van uw privacy officer (FG) op de model-DPIA vast."))
            #expect(page.contains("dpia_akkoord uiterlijk eind 2025-12"))
            try await client.execute(uri: "/gemeenten/GM0014", method: .get, headers: Self.cookie(team)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/gemeenten/GM9999", method: .get, headers: Self.cookie(team)) { response in
                #expect(response.status == .notFound)
            }

            let csrf = try #require(
                page.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" }.description)
            let cookie = "\(WebSession.cookieName)=\(amsterdam)"
            for fields in [[:], ["csrf": "0000"]] as [[String: String]] {
                let (headers, body) = Self.form(fields, cookie: cookie)
                try await client.execute(uri: "/afmelden", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden)
                }
            }
            let (headers, body) = Self.form(["csrf": csrf], cookie: cookie)
            try await client.execute(uri: "/afmelden", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/aanmelden")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
        }
        // Another gemeente's page is a refusal in the audit trail, from the pages.
        let refused = try await app.pool.queryTrail(
            "SELECT action, origin FROM audit_events WHERE result = 'refused' AND object_type = 'gemeente' AND object_id = 'GM0014'")
        #expect(refused.count == 1)
        #expect(try refused.first?.decode("action", as: String.self) == "gemeente.read")
        #expect(try refused.first?.decode("origin", as: String.self) == "web")
        await app.pool.close()
    }

    @Test("a delivery's op-orde-rapport page: the project team, the gemeente and its supplier; small cells hidden outside the team")
    func reportPage() async throws {
        let app = try await TestApp.make()
        let queue = LeveringQueue(pool: app.pool)
        #expect(try await queue.enqueue(LeveringFixtures.requests([Gemeentecode("GM0363")!], notBefore: Date())) == 1)
        let id: UUID = try #require(try await app.pool.query("SELECT id FROM leveringen").first?.decode("id"))
        var findings = KwaliteitBevindingen(stroom: "VS", modelVersie: "1.2")
        findings.records = 120
        findings.eenhedenMetFouten = 3
        findings.bevindingen = ["bsn_elfproef": 3]
        findings.eenhedenPerControle = ["bsn_elfproef": 3]
        let encoded = String(decoding: try JSONEncoder().encode(findings), as: UTF8.self)
        try await OpOrdeRapportStore(pool: app.pool).record(
            StoredOpOrdeRapport(
                leveringID: id, poging: 1, gemaaktOp: Date(), eenheden: 120, eenhedenMetFouten: 3, drempel: 0.05, oordeel: .onderDrempel,
                bevindingen: encoded, suggesties: #"{"tabelversie": 0, "lijsten": {}}"#))
        let uri = "/leveringen/\(id.uuidString.lowercased())/op-orde-rapport"
        let cases: [(String, HTTPResponse.Status, String?)] = [
            (try await Self.session(app, .projectteam), .ok, "<dd id=\"met-fouten\">3</dd>"),
            (try await Self.session(app, .gemeente, scope: "GM0363"), .ok, "<dd id=\"met-fouten\">&lt; 5</dd>"),
            (try await Self.session(app, .leverancier, scope: "xxllnc"), .ok, "<dd id=\"met-fouten\">&lt; 5</dd>"),
            (try await Self.session(app, .gemeente, scope: "GM0014"), .forbidden, nil),
            (try await Self.session(app, .leverancier, scope: "bkr"), .forbidden, nil),
        ]
        try await app.application().test(.router) { client in
            for (session, status, figure) in cases {
                try await client.execute(uri: uri, method: .get, headers: Self.cookie(session)) { response in
                    #expect(response.status == status)
                    if let figure { #expect(String(buffer: response.body).contains(figure)) }
                }
            }
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .seeOther)
            }
            let page = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: Self.cookie(cases[0].0)) {
                String(buffer: $0.body)
            }
            #expect(page.contains("<a href=\"\(uri)\">rapport</a>"), "the gemeente's page links the delivery's report")
        }
        await app.pool.close()
    }
}

@Suite("The supplier's page")
struct LeverancierPageTests {
    @Test("a supplier signs in to its own page: its services and the gemeenten with active consent for it; not another's")
    func supplierPage() async throws {
        let app = try await TestApp.make()
        try await LeveringFixtures.grantConsent([Gemeentecode("GM0363")!, Gemeentecode("GM0014")!], pool: app.pool)
        let token = try await WebPagesTests.secret(app, .leverancier, scope: "xxllnc")
        let xxllnc = try await WebPagesTests.session(app, .leverancier, scope: "xxllnc")
        try await app.application().test(.router) { client in
            let (headers, body) = WebPagesTests.form(["token": token])
            try await client.execute(uri: "/aanmelden", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/leveranciers/xxllnc")
            }
            let page = try await client.execute(uri: "/leveranciers/xxllnc", method: .get, headers: WebPagesTests.cookie(xxllnc)) {
                response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("<tr id=\"dienst-VS\"><th scope=\"row\">VS</th><td>aangemeld</td>"))
            #expect(
                page.contains("<caption>2 toestemmingen</caption>") && page.contains("Amsterdam (GM0363)")
                    && page.contains("Groningen (GM0014)"))
            for uri in ["/leveranciers/bkr", "/dashboard", "/gemeenten/GM0363"] {
                try await client.execute(uri: uri, method: .get, headers: WebPagesTests.cookie(xxllnc)) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
            try await client.execute(
                uri: "/leveranciers/onbekend", method: .get,
                headers: WebPagesTests.cookie(try await WebPagesTests.session(app, .projectteam))
            ) {
                response in
                #expect(response.status == .notFound)
            }
        }
        await app.pool.close()
    }
}
