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

@Suite("Idempotency-Key")
struct IdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotency-Replayed")!

    func post(
        _ client: some TestClientProtocol, _ uri: String, _ json: String, _ headers: HTTPFields
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: headers + [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    @Test("a repeated POST with the same key gets the first answer and changes nothing; another request under the key is 422")
    func repeatIsReplayed() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            _ = try await client.execute(
                uri: "/v1/gemeenten/GM0363/leveranciers/VS", method: .put, headers: app.projectteam + [.contentType: "application/json"],
                body: ByteBuffer(string: OnboardingAPITests.supplier("xxllnc")))
            let uri = "/v1/gemeenten/GM0363/toestemmingen"
            let first = try await post(client, uri, OnboardingAPITests.consent(), gemeente + [Self.key: "besluit-88"])
            #expect(first.status == .created)
            #expect(first.headers[Self.replayed] == nil)
            let second = try await post(client, uri, OnboardingAPITests.consent(), gemeente + [Self.key: "besluit-88"])
            #expect(second.status == .created)
            #expect(second.headers[Self.replayed] == "true")
            #expect(second.text == first.text)
            #expect(second.headers[.location] == first.headers[.location])
            let other = try await post(client, uri, OnboardingAPITests.consent(from: "2026-01-01"), gemeente + [Self.key: "besluit-88"])
            #expect(other.status == .unprocessableContent)
            #expect(other.problem()?.code == "idempotency-key-reused")
            // Without a key, the repeat is a new request: refused, the record exists.
            let again = try await post(client, uri, OnboardingAPITests.consent(), gemeente)
            #expect(again.status == .conflict)
        }
        #expect(try await app.pool.query("SELECT count(*) AS n FROM toestemmingen").first?.decode("n", as: Int.self) == 1)
        await app.pool.close()
    }

    @Test("a refused request is replayed as refused; a token's secret is never replayed")
    func refusalsAndSecrets() async throws {
        let app = try await TestApp.make()
        let admin = try await app.headers(.admin)
        try await app.application().test(.router) { client in
            let bad = try await post(client, "/v1/tokens", #"{"rol": "baas"}"#, admin + [Self.key: "k1"])
            #expect(bad.status == .badRequest)
            let badAgain = try await post(client, "/v1/tokens", #"{"rol": "baas"}"#, admin + [Self.key: "k1"])
            #expect(badAgain.status == .badRequest)
            #expect(badAgain.headers[Self.replayed] == "true")
            let created = try await post(client, "/v1/tokens", #"{"rol": "scheduler"}"#, admin + [Self.key: "k2"])
            #expect(created.status == .created)
            #expect(created.text.contains("ddas_"))
            let repeated = try await post(client, "/v1/tokens", #"{"rol": "scheduler"}"#, admin + [Self.key: "k2"])
            #expect(repeated.status == .conflict)
            #expect(!repeated.text.contains("ddas_"))
            #expect(repeated.headers[.location] == created.headers[.location])
        }
        let stored = try await app.pool.query("SELECT response_body FROM idempotency_keys WHERE key = 'k2'")
        #expect(stored.first?.isNull("response_body") == true)
        #expect(try await app.dependencies.tokens.list().filter { $0.role == .scheduler }.count == 1)
        await app.pool.close()
    }

    @Test("a claim left by a request whose process died holds its key only for the claim's lease, then the key works again")
    func abandonedClaimExpires() async throws {
        let app = try await TestApp.make()
        let store = IdempotencyStore(pool: app.pool)
        let digest = Data(repeating: 7, count: 32)
        let claimedAt = Date()
        #expect(try await store.begin(tokenID: "t", key: "k", requestDigest: digest, now: claimedAt) == .claimed)
        // The process died before it answered: within the lease the key is in progress.
        let within = claimedAt.addingTimeInterval(IdempotencyStore.claimLease - 1)
        #expect(try await store.begin(tokenID: "t", key: "k", requestDigest: digest, now: within) == .inProgress)
        // After the lease the next request takes the key over and runs.
        let after = claimedAt.addingTimeInterval(IdempotencyStore.claimLease + 1)
        #expect(try await store.begin(tokenID: "t", key: "k", requestDigest: digest, now: after) == .claimed)
        // An answered key is never taken over: it is replayed for a day.
        try await store.finish(tokenID: "t", key: "k", answer: .init(status: 201, body: nil, headers: [:]), now: after)
        let muchLater = after.addingTimeInterval(IdempotencyStore.claimLease * 10)
        #expect(
            try await store.begin(tokenID: "t", key: "k", requestDigest: digest, now: muchLater)
                == .replay(.init(status: 201, body: nil, headers: [:])))
        await app.pool.close()
    }
}
