import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Who gets a message: active subscriptions of the receiving party only; the unsubscribe link stops them")
struct AfmeldLinkTests {
    typealias Rig = AbonnementenRig

    /// A melding for Amsterdam that reaches the gemeente and the project team.
    static func achterstand(_ mijlpaal: String) -> Melding {
        Melding.gemeenteAchterstand(
            gemeente: Gemeentecode("GM0363")!, gemeenteNaam: "Amsterdam", mijlpaal: mijlpaal,
            uiterlijk: KalenderDag(year: 2026, month: 10, day: 1)!, at: Date())
    }

    /// How many messages the outbox holds for subscription `id`.
    static func messages(_ rig: Rig, for id: String) async throws -> Int {
        try await rig.count("melding_bezorgingen", where: "abonnement_id = $1::uuid", [id])
    }

    @Test("A cancelled subscription and another gemeente's get no message of a melding for this gemeente; an active one gets one")
    func onlyActiveOwnSubscriptions() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let active = try #require(try await Rig.subscribe(client, rig.amsterdam, Rig.email())["id"] as? String)
            let cancelled = try #require(try await Rig.subscribe(client, rig.amsterdam, Rig.email())["id"] as? String)
            let utrecht = try #require(try await Rig.subscribe(client, rig.utrecht, Rig.email())["id"] as? String)
            let team = try #require(try await Rig.subscribe(client, rig.team, Rig.email(["gemeente.achterstand"]))["id"] as? String)
            let otherSoort = try #require(
                try await Rig.subscribe(client, rig.amsterdam, Rig.email(["toestemming.verloopt"]))["id"] as? String)
            #expect(try await Rig.call(client, .delete, "/v1/abonnementen/\(cancelled)", rig.amsterdam).status == .noContent)
            #expect(try await rig.dependencies.meldingen.record(Self.achterstand("eerste_levering")))
            #expect(try await Self.messages(rig, for: active) == 1)
            #expect(try await Self.messages(rig, for: team) == 1)
            #expect(try await Self.messages(rig, for: cancelled) == 0)
            #expect(try await Self.messages(rig, for: utrecht) == 0)
            #expect(try await Self.messages(rig, for: otherSoort) == 0)
            #expect(try await rig.count("melding_bezorgingen") == 2)
        }
        await rig.app.pool.close()
    }

    @Test("The link's page shows the subscription and a button; a wrong code or id is a 404 page and changes nothing")
    func page() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.amsterdam, Rig.email(["gemeente.achterstand", "toestemming.verlopen"]))
            let id = try #require(UUID(uuidString: made["id"] as? String ?? ""))
            let link = rig.sleutel.afmeldLink(basis: "https://regie.example.nl/", abonnement: id)
            let path = try Self.path(of: link)
            let shown = try await Rig.call(client, .get, path, [:])
            #expect(shown.status == .ok && shown.headers[.contentType] == "text/html; charset=utf-8")
            #expect(shown.text.contains("meldingen@gemeente.nl") && shown.text.contains(MeldingSoort.toestemmingVerlopen.omschrijving))
            #expect(shown.text.contains("<form method=\"post\" action=\"\(path.replacingOccurrences(of: "&", with: "&amp;"))\">"))
            let before = try await rig.subscriptions()
            let other = UUID()
            let wrong = [
                String(path.dropLast()) + (path.last == "A" ? "B" : "A"), "/meldingen/afmelden/\(id.uuidString.lowercased())",
                "/meldingen/afmelden/\(id.uuidString.lowercased())?code=",
                "/meldingen/afmelden/\(other.uuidString.lowercased())?code=\(rig.sleutel.afmeldCode(abonnement: other))",
                "/meldingen/afmelden/niet-een-id?code=\(rig.sleutel.afmeldCode(abonnement: id))",
                "/meldingen/afmelden/\(id.uuidString.lowercased())?code=\(rig.sleutel.afmeldCode(abonnement: other))",
                "/meldingen/afmelden/\(id.uuidString.lowercased())?code=" + String(repeating: "A", count: 5000),
            ]
            for uri in wrong {
                for method in [HTTPRequest.Method.get, .post] {
                    let answer = try await Self.post(client, uri, method: method)
                    #expect(answer.status == .notFound && answer.text.contains("Afmeldlink ongeldig"), "\(method) \(uri.prefix(80))")
                }
            }
            #expect(try await rig.subscriptions() == before)
        }
        await rig.app.pool.close()
    }

    @Test("One click from a mail client, without session or CSRF token and from another site, unsubscribes: audited, and no more messages")
    func oneClick() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.amsterdam, Rig.email())
            let idText = try #require(made["id"] as? String)
            let id = try #require(UUID(uuidString: idText))
            let link = rig.sleutel.afmeldLink(basis: "http://127.0.0.1:8080", abonnement: id)
            let path = try Self.path(of: link)
            let done = try await Self.post(client, path, crossSite: true)
            #expect(done.status == .ok && done.text.contains("U bent afgemeld"))
            let stored = try #require(try await rig.dependencies.stores.abonnementen.find(id))
            #expect(!stored.isActief)
            let again = try await Self.post(client, path, crossSite: true)
            #expect(again.status == .ok && again.text.contains("al opgezegd"))
            let events = try await rig.auditEvents(client, of: idText)
            let cancelled = try #require(events.last)
            #expect(events.compactMap { $0["actie"] as? String } == ["abonnement.aangemaakt", "abonnement.opgezegd"])
            #expect(cancelled["actor"] as? String == "afmeldlink" && cancelled["actorRol"] as? String == "system")
            #expect(cancelled["herkomst"] as? String == "web")
            #expect(try await rig.dependencies.meldingen.record(Self.achterstand("actief")))
            #expect(try await Self.messages(rig, for: idText) == 0)
            let page = try await Rig.call(client, .get, path, [:])
            #expect(
                page.status == .ok && page.text.contains("al opgezegd") && !page.text.contains("<form method=\"post\" action=\"/meldingen"))
        }
        await rig.app.pool.close()
    }

    /// The path and query of an unsubscribe link.
    static func path(of link: String) throws -> String {
        let start = try #require(link.range(of: "/meldingen/afmelden/"))
        return String(link[start.lowerBound...])
    }

    /// Sends the one-click POST (RFC 8058) of a mail client, or another method, without a session.
    static func post(
        _ client: some TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .post, crossSite: Bool = false
    ) async throws -> Rig.Answer {
        var headers: HTTPFields = [:]
        if crossSite {
            headers[HTTPField.Name("Origin")!] = "https://mail.example"
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
        }
        if method == .post { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: method == .post ? ByteBuffer(string: "List-Unsubscribe=One-Click") : nil
        ) { response in
            Rig.Answer(status: response.status, json: [:], text: String(buffer: response.body), headers: response.headers)
        }
    }
}
