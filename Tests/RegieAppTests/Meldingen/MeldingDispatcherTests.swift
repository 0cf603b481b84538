import ChildProgram
import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SMTPClient
import Testing
import Webhooks

@testable import RegieApp

/// The dispatcher against independent implementations: the mail server is aiosmtpd (STARTTLS and
/// AUTH required), the webhook endpoint checks every signature with the `standardwebhooks`
/// library; both from PyPI, in `Tests/Interop`.
@Suite("Meldingen sent by e-mail and webhook, with retries and a final failure")
struct MeldingDispatcherTests {
    static let sleutel = MeldingSleutel(bytes: Array(repeating: UInt8(42), count: 32))!
    let moment = Date()

    @Test("a melding reaches the gemeente's mailbox over STARTTLS and AUTH, in Dutch, with its id and an unsubscribe link")
    func mail() async throws {
        let app = try await TestApp.make()
        try await withSMTPPeer { peer in
            let gemeente = try LeveringFixtures.gemeenten(1)[0]
            let abonnement = try await MeldingFixtures.abonneer(
                .gemeente(gemeente), kanaal: .email, adres: "vroegsignalering@gemeente.example", pool: app.pool)
            let melding = MeldingFixtures.opgegeven(gemeente, at: moment)
            try await app.dependencies.meldingen.record(melding, now: moment)
            let dispatcher = try dispatcher(app, mail: peer.bestemming())
            #expect(try await dispatcher.drain() == 1)
            let received = try peer.received()
            try #require(received.count == 1)
            #expect((received[0]["subject"] as? String)?.hasPrefix("Levering opgegeven: ") == true)
            #expect(
                (received[0]["list_unsubscribe"] as? String)?.contains("/meldingen/afmelden/\(abonnement.uuidString.lowercased())?code=")
                    == true)
            #expect(try peer.rawLines().contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            let id = try #require(try await MeldingFixtures.berichten(app.pool).first?.id)
            #expect((received[0]["message_id"] as? String)?.contains(id.uuidString.lowercased()) == true)
            #expect(received[0]["tls"] as? Bool == true)
            #expect(received[0]["authenticated"] as? Bool == true)
            #expect(received[0]["rcpt_tos"] as? [String] == ["vroegsignalering@gemeente.example"])
            #expect((received[0]["text"] as? String)?.contains("is opgegeven na 5 poging(en)") == true)
            #expect(try await MeldingFixtures.berichten(app.pool).map(\.status) == ["verzonden"])
        }
        await app.pool.close()
    }

    @Test("a 451 from the mail server waits and tries again; a 550 is given up at once with its code as the reason")
    func mailRefusals() async throws {
        let app = try await TestApp.make()
        try await withSMTPPeer { peer in
            let gemeenten = try LeveringFixtures.gemeenten(2)
            _ = try await MeldingFixtures.abonneer(
                .gemeente(gemeenten[0]), kanaal: .email, adres: "tijdelijk@gemeente.example", pool: app.pool)
            _ = try await MeldingFixtures.abonneer(
                .gemeente(gemeenten[1]), kanaal: .email, adres: "geweigerd@gemeente.example", pool: app.pool)
            for gemeente in gemeenten {
                try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeente, at: moment), now: moment)
            }
            #expect(try await dispatcher(app, mail: peer.bestemming()).drain() == 2)
            let berichten = try await MeldingFixtures.berichten(app.pool)
            let byStatus = Dictionary(grouping: berichten, by: \.status)
            #expect(byStatus["wachtend"]?.first?.laatsteFout == "smtp_transient 451")
            #expect(byStatus["wachtend"]?.first?.pogingen == 1)
            #expect(try #require(byStatus["wachtend"]?.first?.volgendePogingOp) > moment)
            #expect(byStatus["mislukt"]?.first?.laatsteFout == "smtp_permanent 550")
            #expect(try peer.received().isEmpty)
        }
        await app.pool.close()
    }

    @Test(
        "a webhook verifies with the standardwebhooks library; a 503 is retried after its backoff, with the same id, until the last attempt, then mislukt with its reason"
    )
    func webhooks() async throws {
        let app = try await TestApp.make()
        try await withWebhookPeer { peer in
            let gemeente = try LeveringFixtures.gemeenten(1)[0]
            let down = try await MeldingFixtures.abonneer(
                .leverancier("xxllnc"), kanaal: .webhook, adres: peer.url("503").absoluteString, pool: app.pool)
            try peer.setSecret(Self.sleutel.webhookGeheim(abonnement: down, versie: 1))
            try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeente, at: moment), now: moment)
            var clock = moment
            let outbox = MeldingOutbox(pool: app.pool, policy: RetryPolicy(baseDelay: 10, maxDelay: 10, maxAttempts: 3), jitter: { 1 })
            for _ in 1...3 {
                let dispatcher = MeldingDispatcher(
                    outbox: outbox, kanalen: kanalen(webhooks: peer.sender), notifications: nil, logger: TestPostgres.logger,
                    now: { [clock] in clock })
                // Before its backoff ended, nothing is sent.
                #expect(try await dispatcher.runOnce() == 1)
                #expect(try await dispatcher.runOnce() == 0)
                clock = clock.addingTimeInterval(11)
            }
            let received = try peer.received()
            #expect(received.count == 3)
            #expect(received.allSatisfy { $0["verified"] as? Bool == true && $0["path"] as? String == "/503" })
            let body = try #require(received.first?["body"] as? [String: Any])
            #expect(body["type"] as? String == "levering.opgegeven")
            let data = try #require(body["data"] as? [String: Any])
            #expect((data["gemeente"] as? [String: Any])?["code"] as? String == gemeente.rawValue)
            #expect(((data["feiten"] as? [String: Any])?["pogingen"] as? Int) == 5)
            // The body is what the OpenAPI document's `webhooks` describe, as python-jsonschema reads it.
            let document = try #require(
                try JSONSerialization.jsonObject(with: OpenAPIDocument.json(workflows: try? TestPostgres.workflows)) as? [String: Any])
            let post = (((document["webhooks"] as? [String: Any])?["melding"] as? [String: Any])?["post"] as? [String: Any])
            let schema = try #require(
                (((post?["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
            )
            #expect(try await MeldingFixtures.violations(of: body, against: schema) == [])
            let berichten = try await MeldingFixtures.berichten(app.pool)
            try #require(berichten.count == 1)
            #expect(Set(received.compactMap { $0["id"] as? String }) == ["msg_" + berichten[0].id.uuidString.lowercased()])
            #expect(berichten[0].status == "mislukt")
            #expect(berichten[0].laatsteFout == "webhook_http_503")
            #expect(berichten[0].pogingen == 3)
        }
        await app.pool.close()
    }

    @Test("a party that unsubscribed gets nothing, also for a message queued before; another gemeente's melding never reaches a gemeente")
    func unsubscribed() async throws {
        let app = try await TestApp.make()
        try await withWebhookPeer { peer in
            let gemeenten = try LeveringFixtures.gemeenten(2)
            let first = try await MeldingFixtures.abonneer(
                .gemeente(gemeenten[0]), kanaal: .webhook, adres: peer.url("ok").absoluteString, pool: app.pool)
            try peer.setSecret(Self.sleutel.webhookGeheim(abonnement: first, versie: 1))
            // A melding of the other gemeente: no message for the first.
            try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeenten[1], at: moment), now: moment)
            #expect(try await MeldingFixtures.berichten(app.pool).isEmpty)
            try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeenten[0], at: moment), now: moment)
            try await app.pool.query("UPDATE melding_abonnementen SET opgezegd_op = $1 WHERE id = $2", [moment, first])
            try await app.dependencies.meldingen.record(
                MeldingFixtures.opgegeven(gemeenten[0], at: moment.addingTimeInterval(1)), now: moment)
            #expect(try await dispatcher(app, webhooks: peer.sender).drain() == 1)
            #expect(try peer.received().isEmpty)
            #expect(try await MeldingFixtures.berichten(app.pool).map(\.laatsteFout) == ["abonnement_opgezegd"])
        }
        await app.pool.close()
    }

    @Test(
        "two dispatchers at once never take the same message; one that dies leaves it to the other after its lease, sent again with the same id"
    )
    func leases() async throws {
        let app = try await TestApp.make()
        try await withWebhookPeer { peer in
            let abonnement = try await MeldingFixtures.abonneer(
                .projectteam, kanaal: .webhook, adres: peer.url("ok").absoluteString, pool: app.pool)
            try peer.setSecret(Self.sleutel.webhookGeheim(abonnement: abonnement, versie: 1))
            let gemeenten = try LeveringFixtures.gemeenten(40)
            for gemeente in gemeenten {
                try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeente, at: moment), now: moment)
            }
            // A dispatcher that claimed two and died: nothing sent, leases running.
            let dead = try await app.dependencies.meldingen.claim(houder: "dood", limit: 2, lease: .seconds(30), now: moment)
            #expect(dead.count == 2)
            async let first = dispatcher(app, webhooks: peer.sender, houder: "a").drain()
            async let second = dispatcher(app, webhooks: peer.sender, houder: "b").drain()
            #expect(try await first + second == 38)
            #expect(try peer.received().count == 38)
            // After the lease: the other sends them, with the ids they had.
            let later = moment.addingTimeInterval(31)
            #expect(try await dispatcher(app, webhooks: peer.sender, now: later).drain() == 2)
            let received = try peer.received()
            #expect(received.count == 40)
            #expect(Set(received.compactMap { $0["id"] as? String }).count == 40)
            #expect(Set(dead.map { "msg_" + $0.id.uuidString.lowercased() }).isSubset(of: Set(received.compactMap { $0["id"] as? String })))
            #expect(try await MeldingFixtures.berichten(app.pool).allSatisfy { $0.status == "verzonden" })
        }
        await app.pool.close()
    }

    func kanalen(mail: MailBestemming? = nil, webhooks: WebhookSender? = nil) -> MeldingKanalen {
        MeldingKanalen(mail: mail, webhooks: webhooks, sleutel: Self.sleutel, publiekAdres: "https://regie.example")
    }

    func dispatcher(
        _ app: TestApp, mail: MailBestemming? = nil, webhooks: WebhookSender? = nil, houder: String = "test", now: Date? = nil
    ) throws -> MeldingDispatcher {
        let moment = now ?? self.moment
        return MeldingDispatcher(
            outbox: app.dependencies.meldingen, kanalen: kanalen(mail: mail, webhooks: webhooks),
            configuration: .init(houder: houder, concurrency: 4, lease: .seconds(30)), notifications: nil, logger: TestPostgres.logger,
            now: { moment })
    }
}
