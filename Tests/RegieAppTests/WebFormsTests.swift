import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("The gemeente's forms: DPIA sign-off, consent and revocation, CSRF-protected, refusals in Dutch beside the field")
struct WebFormsTests {
    static let hash = String(repeating: "ab", count: 32)

    /// What a test counts to show that a refused form changed nothing.
    static func footprint(_ app: TestApp) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["dpia_akkoorden", "toestemmingen", "audit_events WHERE result = 'ok'"] {
            counts.append(try await app.pool.queryTrail("SELECT count(*) AS n FROM \(table)").first?.decode("n", as: Int.self) ?? -1)
        }
        return counts
    }

    static func phase(_ app: TestApp) async throws -> String? {
        try await app.pool.query("SELECT fase FROM gemeenten WHERE code = 'GM0363'").first?.decode("fase")
    }

    @Test("the whole path through the pages: refused input changes nothing, then DPIA, consent, and a confirmed revocation")
    func wholePath() async throws {
        let app = try await TestApp.make()
        let session = try await WebPagesTests.session(app, .gemeente, scope: "GM0363")
        let other = try await WebPagesTests.session(app, .gemeente, scope: "GM0014")
        let cookie = "\(WebSession.cookieName)=\(session)"
        let csrf = WebSession.csrfToken(for: session)
        try await app.application().test(.router) { client in
            func post(_ uri: String, _ fields: [String: String], cookie: String = cookie) async throws -> (
                HTTPResponse.Status, String, String?
            ) {
                let (headers, body) = WebPagesTests.form(fields, cookie: cookie)
                return try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    (response.status, String(buffer: response.body), response.headers[.location])
                }
            }
            let page = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: [.cookie: cookie]) { response in
                String(buffer: response.body)
            }
            #expect(page.contains("<form method=\"post\" action=\"/gemeenten/GM0363/dpia-akkoord\">"))
            #expect(page.contains("<label for=\"dpia-besluitdatum\">Datum van het akkoord</label>"))

            let before = try await Self.footprint(app)
            let (status, refused, _) = try await post(
                "/gemeenten/GM0363/dpia-akkoord", ["csrf": csrf, "versie": "1", "goedkeurendeRol": "FG", "documentSha256": "xyz"])
            #expect(status == .badRequest)
            #expect(refused.contains("<p class=\"melding\" id=\"dpia-besluitdatum-fout\">Vul dit veld in.</p>"))
            #expect(refused.contains("Vul de SHA-256 van het document in: 64 tekens 0-9 en a-f."))
            #expect(refused.contains("value=\"FG\" required aria-describedby"), "what was entered stays")
            #expect(refused.contains("aria-invalid=\"true\""))
            for (fields, cookieUsed) in [
                (["csrf": "0000", "besluitdatum": "2025-10-01"], cookie), ([:], cookie),
                (["csrf": WebSession.csrfToken(for: other), "besluitdatum": "2025-10-01"], "\(WebSession.cookieName)=\(other)"),
            ] as [([String: String], String)] {
                let (denied, _, _) = try await post("/gemeenten/GM0363/dpia-akkoord", fields, cookie: cookieUsed)
                #expect(denied == .forbidden)
            }
            #expect(try await Self.footprint(app) == before, "a refused form changes nothing")
            let refusals = try await app.pool.queryTrail(
                "SELECT action FROM audit_events WHERE result = 'refused' AND origin = 'web' AND object_id = 'GM0363' ORDER BY seq"
            ).map { try $0.decode("action", as: String.self) }
            #expect(Set(refusals) == ["web.csrf", "gemeente.formulier"], "each refusal is in the audit trail, counted per action")

            let dpia = [
                "csrf": csrf, "besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "DPIA-1",
                "documentSha256": Self.hash,
            ]
            let (stale, stalePage, _) = try await post("/gemeenten/GM0363/dpia-akkoord", dpia.merging(["versie": "99"]) { $1 })
            #expect(stale == .badRequest && stalePage.contains("intussen gewijzigd"))
            let (done, donePage, location) = try await post("/gemeenten/GM0363/dpia-akkoord", dpia)
            #expect(done == .seeOther && location == "/gemeenten/GM0363?gelukt=dpia", "\(donePage.suffix(3000))")
            #expect(try await Self.phase(app) == "dpia_akkoord")
            let origin = try await app.pool.queryTrail("SELECT origin FROM audit_events WHERE action = 'dpia.recorded'").first?.decode(
                "origin", as: String.self)
            #expect(origin == "web")
            try await client.execute(uri: "/gemeenten/GM0363?gelukt=dpia", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("Het DPIA-akkoord is vastgelegd."))
            }

            var json = app.projectteam
            json[.contentType] = "application/json"
            let (headers, body) = (json, ByteBuffer(string: #"{"leverancier": "xxllnc", "organisatienaam": "Gemeente Amsterdam"}"#))
            try await client.execute(uri: "/v1/gemeenten/GM0363/leveranciers/VS", method: .put, headers: headers, body: body) { response in
                #expect(response.status == .ok)
            }
            let consentPage = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: [.cookie: cookie]) { response in
                String(buffer: response.body)
            }
            #expect(consentPage.contains("Toestemming geven aan xxllnc"))
            #expect(consentPage.contains("name=\"stromen\" value=\"VS\" checked"))
            let consent = [
                "csrf": csrf, "leverancier": "xxllnc", "stromen": "VS", "besluitdatum": "2025-10-15",
                "besluitvormendOrgaan": "college van B&W",
                "documentreferentie": "B-1", "documentSha256": Self.hash, "geldigVan": "2025-11-01", "geldigTot": "2025-10-01",
            ]
            let (backwards, backwardsPage, _) = try await post("/gemeenten/GM0363/toestemming", consent)
            #expect(backwards == .badRequest && backwardsPage.contains("Deze datum mag niet vóór &#39;geldig van&#39; liggen."))
            let (given, _, _) = try await post("/gemeenten/GM0363/toestemming", consent.merging(["geldigTot": ""]) { $1 })
            #expect(given == .seeOther)
            #expect(try await Self.phase(app) == "toestemming_gegeven")

            let id: UUID = try #require(try await app.pool.query("SELECT id FROM toestemmingen").first?.decode("id"))
            let revoke = "/gemeenten/GM0363/toestemmingen/\(id.uuidString.lowercased())/intrekken"
            let confirmation = try await client.execute(uri: revoke, method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(confirmation.contains("Ja, trek de toestemming in") && confirmation.contains("Lopende leveringen stoppen direct"))
            let (noReason, noReasonPage, _) = try await post(revoke, ["csrf": csrf])
            #expect(noReason == .badRequest && noReasonPage.contains("Vul dit veld in."))
            #expect(try await Self.phase(app) == "toestemming_gegeven")
            let (revoked, _, revokedLocation) = try await post(revoke, ["csrf": csrf, "reden": "besluit herzien"])
            #expect(revoked == .seeOther && revokedLocation == "/gemeenten/GM0363?gelukt=intrekking")
            #expect(try await Self.phase(app) == "toestemming_ingetrokken")
            let (again, _, _) = try await post(revoke, ["csrf": csrf, "reden": "nog eens"])
            #expect(again == .conflict)
        }
        await app.pool.close()
    }
}
