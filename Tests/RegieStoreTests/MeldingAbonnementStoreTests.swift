import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The subscriptions' store over a real database: each change with its audit event, in one transaction.
@Suite("Subscription store")
struct MeldingAbonnementStoreTests {
    let moment = Date(timeIntervalSince1970: 1_796_000_000)

    func webhook() throws -> MeldingAbonnementAanvraag {
        try MeldingAbonnementAanvraag(
            kanaal: "webhook", adres: "https://hooks.bkr.example/ddas", soorten: ["leverancier.stil"], omschrijving: "noc",
            partij: .leverancier)
    }

    /// The actions of the events on subscription `id`, oldest first.
    func actions(_ id: UUID, _ pool: PostgresPool) async throws -> [String] {
        try await AuditTrail(pool: pool).events(
            objectType: "melding_abonnement", objectID: id.uuidString.lowercased(), from: nil, until: nil, offset: 0, limit: 50
        ).events.map(\.event.action)
    }

    @Test("Cancelling twice keeps the first time and writes one event; a cancelled subscription is neither changed nor rotated")
    func cancelOnce() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let store = MeldingAbonnementStore(pool: pool)
        let made = try await store.create(try webhook(), for: .leverancier("bkr"), by: .commandLine, now: moment)
        let first = try await store.cancel(made.id, by: .commandLine, now: moment.addingTimeInterval(60))
        let second = try await store.cancel(made.id, by: .commandLine, now: moment.addingTimeInterval(120))
        #expect(first?.opgezegdOp == moment.addingTimeInterval(60) && second?.opgezegdOp == first?.opgezegdOp)
        await #expect(throws: MeldingAbonnementStore.Refusal.opgezegd) {
            try await store.change(made.id, by: .commandLine) { _ in try self.webhook() }
        }
        await #expect(throws: MeldingAbonnementStore.Refusal.opgezegd) { try await store.rotateSecret(made.id, by: .commandLine) }
        #expect(try await actions(made.id, pool) == ["abonnement.aangemaakt", "abonnement.opgezegd"])
        #expect(try await store.cancel(UUID(), by: .commandLine) == nil)
        #expect(try await store.list(status: .actief).isEmpty)
        #expect(try await store.list(status: .opgezegd).map(\.id) == [made.id])
        await pool.close()
    }

    @Test("Each rotation bumps the version and keeps the previous secret 24 hours from that rotation; a refused change changes nothing")
    func rotations() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let store = MeldingAbonnementStore(pool: pool)
        let made = try await store.create(try webhook(), for: .leverancier("bkr"), by: .commandLine, now: moment)
        #expect(made.geheimVersie == 1 && made.vorigGeheimGeldigTot == nil)
        _ = try await store.rotateSecret(made.id, by: .commandLine, now: moment.addingTimeInterval(3600))
        let twice = try #require(try await store.rotateSecret(made.id, by: .commandLine, now: moment.addingTimeInterval(7200)))
        #expect(twice.geheimVersie == 3)
        #expect(twice.vorigGeheimGeldigTot == moment.addingTimeInterval(7200 + MeldingAbonnementStore.rotationOverlap))
        let mail = try await store.create(
            try MeldingAbonnementAanvraag(
                kanaal: "email", adres: "noc@bkr.example", soorten: ["leverancier.stil"], omschrijving: nil, partij: .leverancier),
            for: .leverancier("bkr"), by: .commandLine, now: moment)
        await #expect(throws: MeldingAbonnementStore.Refusal.geenWebhook) { try await store.rotateSecret(mail.id, by: .commandLine) }
        await #expect(throws: MeldingAbonnementAanvraag.Invalid.self) {
            try await store.change(mail.id, by: .commandLine) { current in
                try MeldingAbonnementAanvraag(wijziging: current, adres: "geen adres", soorten: nil, omschrijving: nil)
            }
        }
        #expect(try await store.find(mail.id) == mail)
        #expect(
            try await actions(made.id, pool) == ["abonnement.aangemaakt", "abonnement.geheim_vernieuwd", "abonnement.geheim_vernieuwd"])
        #expect(try await actions(mail.id, pool) == ["abonnement.aangemaakt"])
        #expect(try await store.list(of: .leverancier("bkr")).count == 2)
        #expect(try await store.list(of: .leverancier("xxllnc")).isEmpty)
        await pool.close()
    }
}
