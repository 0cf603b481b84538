import AsyncHTTPClient
import Foundation
import Testing

@testable import SupplierSimulator

@Suite("OAuth2 and bearer tokens")
struct TokenFlowTests {
    @Test("no token: 401 with WWW-Authenticate Bearer and ERROR_CODE_ACCESS_TOKEN_MISSING")
    func missingToken() async throws {
        try await Fixture.withSimulator { harness async throws in
            let reply = try await harness.post(harness.base() + "/gegevens", body: "{}", headers: ["Content-Type": "application/json"])
            reply.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_MISSING")
            #expect(reply.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(reply.json["domain"] as? String == "ERROR_DOMAIN_INWAY")
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(outcome: .refused(status: 401)) == 1)
        }
    }

    @Test("a token nobody issued, or one of another supplier: ERROR_CODE_ACCESS_TOKEN_INVALID")
    func invalidToken() async throws {
        let other = Fixture.service(name: "bkr", basePath: "/bkr/v1")
        try await Fixture.withSimulator([Fixture.service(), other]) { harness async throws in
            let made = try await harness.gegevens(token: "sim_made-up")
            made.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID")
            let bkrToken = try await harness.token("bkr")
            let crossed = try await harness.gegevens(token: bkrToken)
            crossed.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID")
            #expect(try await harness.gegevens(token: bkrToken, supplier: "bkr").status == 200)
        }
    }

    @Test("the token answer has access_token, token_type Bearer and expires_in")
    func tokenAnswer() async throws {
        try await Fixture.withSimulator([Fixture.service(tokenLifetimeSeconds: 90)]) { harness async throws in
            let basic = Data("cbs:geheim-van-cbs".utf8).base64EncodedString()
            let reply = try await harness.post(
                harness.base() + "/oauth/token", body: "grant_type=client_credentials",
                headers: ["Authorization": "Basic \(basic)", "Content-Type": "application/x-www-form-urlencoded"])
            #expect(reply.status == 200)
            #expect(reply.json["token_type"] as? String == "Bearer")
            #expect(reply.json["expires_in"] as? Int == 90)
            let token = try #require(reply.json["access_token"] as? String)
            #expect(token.count >= 40)
            #expect(try await harness.gegevens(token: token).status == 200)
            #expect(try await harness.token() != token)
        }
    }

    @Test("a wrong secret or grant gets no token")
    func wrongCredentials() async throws {
        try await Fixture.withSimulator { harness async throws in
            let wrong = try await harness.post(
                harness.base() + "/oauth/token", body: "grant_type=client_credentials&client_id=cbs&client_secret=raden",
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(wrong.status == 401)
            #expect(wrong.json["error"] as? String == "invalid_client")
            #expect(wrong.json["access_token"] == nil)
            #expect(wrong.headers.first(name: "Fsc-Error-Code") == "ERROR_CODE_ACCESS_TOKEN_INVALID")
            #expect(wrong.json["code"] as? String == "ERROR_CODE_ACCESS_TOKEN_INVALID")
            #expect(wrong.json["domain"] as? String == "ERROR_DOMAIN_INWAY")
            #expect(wrong.json["status"] as? Int == 401)
            let grant = try await harness.post(
                harness.base() + "/oauth/token", body: "grant_type=password&client_id=cbs&client_secret=geheim-van-cbs",
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(grant.status == 400)
            #expect(grant.json["error"] as? String == "unsupported_grant_type")
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(endpoint: .token, outcome: .tokenIssued) == 0)
            #expect(counts.count(endpoint: .token) == 2)
        }
    }

    @Test("an expired token: 401 ERROR_CODE_ACCESS_TOKEN_EXPIRED; a new one works")
    func expiredToken() async throws {
        let clock = TestClock()
        try await Fixture.withSimulator([Fixture.service(tokenLifetimeSeconds: 60)], clock: clock) { harness async throws in
            let token = try await harness.token()
            #expect(try await harness.gegevens(token: token).status == 200)
            clock.advance(seconds: 61)
            let expired = try await harness.gegevens(token: token)
            expired.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_EXPIRED")
            #expect(try await harness.gegevens().status == 200)
        }
    }
}
