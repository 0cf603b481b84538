import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Webhook subscriptions: the secret once, rotation with an overlap, and a service without a key")
struct AbonnementGeheimTests {
    typealias Rig = AbonnementenRig

    static func webhook(_ soorten: [String] = ["leverancier.storing"], adres: String = "https://hooks.xxllnc.example/ddas")
        -> [String: Any]
    {
        ["kanaal": "webhook", "adres": adres, "soorten": soorten, "omschrijving": "beheer"]
    }

    @Test("The secret is in the 201 of POST and of a rotation only; a rotation gives a new one and the old one signs 24 hours more")
    func secretOnce() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.xxllnc, Self.webhook())
            let id = try #require(made["id"] as? String)
            let uuid = try #require(UUID(uuidString: id))
            let first = try #require(made["geheim"] as? String)
            #expect(first.hasPrefix("whsec_") && made["geheimVersie"] as? Int == 1)
            #expect(first == rig.sleutel.webhookGeheim(abonnement: uuid, versie: 1).text)
            let read = [
                try await Rig.call(client, .get, "/v1/abonnementen/\(id)", rig.xxllnc),
                try await Rig.call(client, .get, "/v1/abonnementen", rig.xxllnc),
                try await Rig.call(client, .get, "/v1/abonnementen", rig.team),
            ]
            #expect(read.allSatisfy { $0.status == .ok && !$0.text.contains(first) && !$0.text.contains("geheim\"") })
            let moment = Date()
            let rotated = try await Rig.call(client, .post, "/v1/abonnementen/\(id)/geheim", rig.xxllnc)
            #expect(rotated.status == .created)
            let second = try #require(rotated.json["geheim"] as? String)
            #expect(second != first && second == rig.sleutel.webhookGeheim(abonnement: uuid, versie: 2).text)
            #expect(rotated.json["geheimVersie"] as? Int == 2)
            let shown = try await Rig.call(client, .get, "/v1/abonnementen/\(id)", rig.xxllnc)
            #expect(!shown.text.contains(second) && !shown.text.contains(first))
            // Messages are signed with both secrets until the overlap ends, then with the new one only.
            let abonnement = try #require(try await rig.dependencies.stores.abonnementen.find(uuid))
            let until = try #require(abonnement.vorigGeheimGeldigTot)
            #expect(abs(until.timeIntervalSince(moment) - 24 * 3600) < 60)
            #expect(rig.sleutel.webhookGeheimen(abonnement, at: moment).map(\.text) == [second, first])
            #expect(rig.sleutel.webhookGeheimen(abonnement, at: until.addingTimeInterval(1)).map(\.text) == [second])
            // Nothing stored holds a secret: not the subscription, not the audit trail, not the idempotency store.
            let events = try await rig.auditEvents(client, of: id)
            #expect(try await rig.count("audit_events") > 0)
            for secret in [first, second] {
                for table in ["melding_abonnementen", "audit_events", "audit_wachtrij"] {
                    #expect(try await rig.count("\(table) t", where: "strpos(t::text, $1) > 0", [secret]) == 0, "\(table)")
                }
            }
            #expect(events.compactMap { $0["actie"] as? String } == ["abonnement.aangemaakt", "abonnement.geheim_vernieuwd"])
            #expect((events.last?["na"] as? [String: String])?["geheim_versie"] == "2")
            #expect((events.first?["na"] as? [String: String])?["adres_domein"] == "hooks.xxllnc.example")
            // An e-mail subscription has no secret; a cancelled one no longer rotates.
            let mail = try await Rig.subscribe(client, rig.xxllnc, Rig.email(["leverancier.stil"], adres: "noc@xxllnc.example"))
            let noSecret = try await Rig.call(client, .post, "/v1/abonnementen/\(mail["id"] as? String ?? "")/geheim", rig.xxllnc)
            #expect(noSecret.status == .conflict && noSecret.code == "abonnement-geen-webhook")
            #expect(try await Rig.call(client, .delete, "/v1/abonnementen/\(id)", rig.team).status == .noContent)
            let cancelled = try await Rig.call(client, .post, "/v1/abonnementen/\(id)/geheim", rig.xxllnc)
            #expect(cancelled.status == .conflict && cancelled.code == "abonnement-opgezegd")
        }
        await rig.app.pool.close()
    }

    @Test("Idempotency-Key: an e-mail subscription is replayed as it was; a webhook's answer is never kept, its repeat is a 409")
    func idempotency() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "abonnement-1"]
            let mail = Rig.email(["leverancier.stil"], adres: "noc@xxllnc.example")
            let first = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: mail, extra: key)
            let again = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: mail, extra: key)
            #expect(first.status == .created && again.status == .created && again.text == first.text, "\(first.text) \(again.text)")
            #expect(again.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            let hookKey: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "abonnement-2"]
            let hook = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Self.webhook(), extra: hookKey)
            let secret = try #require(hook.json["geheim"] as? String)
            #expect(hook.headers[IdempotencyMiddleware.secretField] == nil)
            let repeated = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Self.webhook(), extra: hookKey)
            #expect(repeated.status == .conflict && repeated.code == "idempotent-replay-without-secret")
            #expect(!repeated.text.contains(secret))
            #expect(try await rig.count("melding_abonnementen") == 2)
            #expect(try await rig.count("idempotency_keys", where: "strpos(convert_from(response_body, 'UTF8'), $1) > 0", [secret]) == 0)
            let rotateKey: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "rotatie-1"]
            let uri = "/v1/abonnementen/\(hook.json["id"] as? String ?? "")/geheim"
            let rotated = try await Rig.call(client, .post, uri, rig.xxllnc, extra: rotateKey)
            let replay = try await Rig.call(client, .post, uri, rig.xxllnc, extra: rotateKey)
            #expect(rotated.status == .created && replay.status == .conflict)
            #expect(!replay.text.contains(rotated.json["geheim"] as? String ?? "-"))
            let stored = try #require(
                try await rig.dependencies.stores.abonnementen.find(UUID(uuidString: hook.json["id"] as? String ?? "")!))
            #expect(stored.geheimVersie == 2)
        }
        await rig.app.pool.close()
    }

    @Test("Without a key for meldingen, a webhook cannot be subscribed or rotated (503 meldingen-niet-ingericht); e-mail still works")
    func notConfigured() async throws {
        let rig = try await Rig.make(sleutel: false)
        try await rig.test { client in
            let refused = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Self.webhook())
            #expect(refused.status == .serviceUnavailable && refused.isProblem && refused.code == "meldingen-niet-ingericht")
            #expect(try await rig.count("melding_abonnementen") == 0)
            let mail = try await Rig.subscribe(client, rig.xxllnc, Rig.email(["leverancier.stil"], adres: "noc@xxllnc.example"))
            #expect(mail["kanaal"] as? String == "email")
            // A webhook made while there was a key cannot be rotated without one.
            let hook = try await rig.dependencies.stores.abonnementen.create(
                try MeldingAbonnementAanvraag(
                    kanaal: "webhook", adres: "https://hooks.xxllnc.example/ddas", soorten: ["leverancier.stil"], omschrijving: nil,
                    partij: .leverancier), for: .leverancier("xxllnc"), by: .commandLine)
            let rotation = try await Rig.call(client, .post, "/v1/abonnementen/\(hook.id.uuidString)/geheim", rig.xxllnc)
            #expect(rotation.status == .serviceUnavailable && rotation.code == "meldingen-niet-ingericht")
            #expect(try await rig.dependencies.stores.abonnementen.find(hook.id)?.geheimVersie == 1)
        }
        await rig.app.pool.close()
    }
}
