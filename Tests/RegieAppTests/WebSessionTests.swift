import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Web sessions: the cookie holds a session id, never the token; sign-out, revocation and expiry end it on the server")
struct WebSessionTests {
    /// The app over `clock`, as a browser sees it.
    static func application(_ app: TestApp, clock: TestClock) -> some ApplicationProtocol {
        var dependencies = app.dependencies
        dependencies.now = { clock.now }
        return app.application(router: buildRouter(dependencies))
    }

    /// Signs in with `secret` through the form; the session id from `Set-Cookie`.
    static func signIn(_ client: some TestClientProtocol, _ secret: String) async throws -> String {
        let (headers, body) = WebPagesTests.form(["token": secret])
        return try await client.execute(uri: "/aanmelden", method: .post, headers: headers, body: body) { response in
            #expect(response.status == .seeOther)
            let cookie = try #require(response.headers[.setCookie])
            let pair = try #require(cookie.split(separator: ";").first).split(separator: "=", maxSplits: 1)
            try #require(pair.count == 2 && pair[0] == "__Host-ddas_sessie")
            return String(pair[1])
        }
    }

    /// The status of the gemeente's own page with `session`, and where a redirect goes.
    static func page(_ client: some TestClientProtocol, _ session: String) async throws -> (HTTPResponse.Status, String?) {
        try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: WebPagesTests.cookie(session)) { response in
            (response.status, response.headers[.location])
        }
    }

    static func idleEnd(_ app: TestApp) async throws -> Date? {
        try await app.pool.query("SELECT idle_expires_at FROM web_sessies").first?.decode("idle_expires_at", as: Date.self)
    }

    static func sessionRows(_ app: TestApp) async throws -> Int {
        try await app.pool.query("SELECT count(*) AS n FROM web_sessies").first?.decode("n", as: Int.self) ?? -1
    }

    @Test("the cookie is not the token: it does not contain it, does not work as a bearer token, and only its hash is stored")
    func cookieIsNotTheToken() async throws {
        let app = try await TestApp.make()
        let secret = try await WebPagesTests.secret(app, .gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            let session = try await Self.signIn(client, secret)
            #expect(session != secret && !session.contains(secret.dropFirst(TokenStore.prefix.count)))
            #expect(session.count == 43, "256 random bits, base64url")
            #expect(try await Self.page(client, session).0 == .ok)
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: [.authorization: "Bearer \(session)"]) {
                #expect($0.status == .unauthorized)
            }
            // The token itself in the cookie is not a session.
            #expect(try await Self.page(client, secret) == (.seeOther, "/aanmelden"))
            let stored = try await app.pool.query("SELECT id_sha256 FROM web_sessies").map { try $0.decode("id_sha256", as: Data.self) }
            #expect(stored == [Data(SHA256.hash(data: Data(session.utf8)))])
        }
        await app.pool.close()
    }

    @Test("a forged or unknown session id is refused: the sign-in page, nothing else")
    func forgedSession() async throws {
        let app = try await TestApp.make()
        _ = try await WebPagesTests.session(app, .gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            for forged in [String(repeating: "A", count: 43), "x", String(repeating: "-", count: 43), "' OR 1=1 --"] {
                let answer = try await Self.page(client, forged)
                #expect(answer == (.seeOther, "/aanmelden"), "\(forged)")
            }
        }
        await app.pool.close()
    }

    @Test("sign-out ends the session on the server: the old cookie, replayed, gets the sign-in page")
    func signOutEndsSession() async throws {
        let app = try await TestApp.make()
        let secret = try await WebPagesTests.secret(app, .gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            let session = try await Self.signIn(client, secret)
            let other = try await Self.signIn(client, secret)
            #expect(try await Self.sessionRows(app) == 2)
            let (headers, body) = WebPagesTests.form(
                ["csrf": WebSession.csrfToken(for: session)], cookie: "\(WebSession.cookieName)=\(session)")
            try await client.execute(uri: "/afmelden", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/aanmelden")
            }
            #expect(try await Self.page(client, session) == (.seeOther, "/aanmelden"))
            #expect(try await Self.sessionRows(app) == 1)
            #expect(try await Self.page(client, other).0 == .ok, "another sign-in of the same token goes on")
        }
        await app.pool.close()
    }

    @Test("revoking the token ends its sessions in the same step; other tokens' sessions go on")
    func revocationEndsSessions() async throws {
        let app = try await TestApp.make()
        let token = try await app.dependencies.tokens.issue(
            role: .gemeente, scope: "GM0363", expiresAt: nil, description: "web", by: .commandLine)
        let admin = try await app.headers(.admin)
        try await app.application().test(.router) { client in
            let session = try await Self.signIn(client, token.secret)
            let other = try await Self.signIn(client, try await WebPagesTests.secret(app, .gemeente, scope: "GM0363"))
            try await client.execute(uri: "/v1/tokens/\(token.record.id.uuidString.lowercased())", method: .delete, headers: admin) {
                #expect($0.status == .noContent)
            }
            #expect(try await Self.page(client, session) == (.seeOther, "/aanmelden"))
            #expect(try await Self.sessionRows(app) == 1)
            #expect(try await Self.page(client, other).0 == .ok)
        }
        await app.pool.close()
    }

    @Test("a session ends after 30 minutes without use, and after 8 hours however much it is used")
    func expiry() async throws {
        let app = try await TestApp.make()
        let clock = TestClock()
        let secret = try await WebPagesTests.secret(app, .gemeente, scope: "GM0363")
        try await Self.application(app, clock: clock).test(.router) { client in
            let idle = try await Self.signIn(client, secret)
            clock.advance(29 * 60)
            #expect(try await Self.page(client, idle).0 == .ok, "29 minutes idle")
            clock.advance(29 * 60)
            #expect(try await Self.page(client, idle).0 == .ok, "use moved the idle end")
            let moved = try #require(try await Self.idleEnd(app))
            clock.advance(30)
            #expect(try await Self.page(client, idle).0 == .ok)
            #expect(try await Self.idleEnd(app) == moved, "within a minute the idle end is not written again")
            clock.advance(31 * 60)
            #expect(try await Self.page(client, idle) == (.seeOther, "/aanmelden"), "31 minutes idle")

            let busy = try await Self.signIn(client, secret)
            #expect(try await Self.sessionRows(app) == 1, "signing in removed the ended session")
            for _ in 0..<23 {
                clock.advance(20 * 60)
                #expect(try await Self.page(client, busy).0 == .ok)
            }
            clock.advance(20 * 60)
            #expect(try await Self.page(client, busy) == (.seeOther, "/aanmelden"), "at 8 hours")
        }
        await app.pool.close()
    }

    @Test("a session ends when its token expires")
    func tokenExpiry() async throws {
        let app = try await TestApp.make()
        let clock = TestClock()
        let token = try await app.dependencies.tokens.issue(
            role: .gemeente, scope: "GM0363", expiresAt: clock.now.addingTimeInterval(600), description: "web", by: .commandLine)
        try await Self.application(app, clock: clock).test(.router) { client in
            let session = try await Self.signIn(client, token.secret)
            clock.advance(540)
            #expect(try await Self.page(client, session).0 == .ok)
            clock.advance(120)
            #expect(try await Self.page(client, session) == (.seeOther, "/aanmelden"))
        }
        await app.pool.close()
    }
}
