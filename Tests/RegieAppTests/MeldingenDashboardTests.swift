import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("The dashboard's section on the outbox of meldingen")
struct MeldingenDashboardTests {
    @Test("the project team sees the messages per status, the oldest waiting time and the last failed ones with soort, receiver and reason")
    func projectteam() async throws {
        let app = try await TestApp.make()
        let now = Date()
        let team = try await OutboxFixtures.subscribe(.projectteam, adres: "ddas@projectteam.example", now: now - 600, pool: app.pool)
        try await OutboxFixtures.subscribe(
            .leverancier("xxllnc"), kanaal: .webhook, adres: "https://xxllnc.example/ddas?a=1&b=<2>", now: now - 600, pool: app.pool)
        let melding = OutboxFixtures.opgegeven(Gemeentecode("GM0363")!, at: now - 600)
        try await app.dependencies.meldingen.record(melding, now: now - 600)
        let messages = try await OutboxFixtures.messages(of: melding.sleutel, pool: app.pool)
        let failed = try #require(messages[team])
        try await OutboxFixtures.fail(failed, reden: "smtp_550 <postbus onbekend>", pogingen: 8, at: now - 60, pool: app.pool)
        let session = try await WebPagesTests.session(app, .projectteam)
        try await app.application().test(.router) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: WebPagesTests.cookie(session)) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("<h2 id=\"meldingen\">Meldingen</h2>"))
            #expect(page.contains("<tr id=\"meldingen-wachtend\"><th scope=\"row\">wachtend</th><td class=\"getal\">1</td></tr>"))
            #expect(page.contains("<tr id=\"meldingen-mislukt\"><th scope=\"row\">mislukt</th><td class=\"getal\">1</td></tr>"))
            #expect(page.contains("<tr id=\"meldingen-verzonden\"><th scope=\"row\">verzonden</th><td class=\"getal\">0</td></tr>"))
            #expect(page.contains("Er wacht 1 bericht; het oudste wacht 10 minuten."))
            #expect(page.contains("<caption>Het laatste mislukte bericht</caption>"))
            #expect(
                page.contains("<td>levering.opgegeven</td><td>GM0363, xxllnc</td><td>projectteam<br>email: ddas@projectteam.example</td>"))
            #expect(page.contains("<td class=\"getal\">8</td><td>smtp_550 &lt;postbus onbekend&gt;</td>"))
            #expect(page.contains("<code>\(failed.uuidString.lowercased())</code>"))
            #expect(page.contains("ddas-regie meldingen retry --alle-mislukt"))
            #expect(!page.contains("<postbus"))
            let text = try await BrowserCheck.visibleText(of: page)
            #expect(text.contains("Meldingen") && text.contains("wachtend 1") && text.contains("mislukt 1"), "\(text.prefix(400))")
            let screenshot = TestPostgres.repositoryRoot.appendingPathComponent(".build/screenshots/dashboard-meldingen.png")
            try await BrowserCheck.screenshot(of: page, to: screenshot)
            print("dashboard screenshot with meldingen: \(screenshot.path)")
        }
        await app.pool.close()
    }

    @Test("an empty outbox says that nothing waits and nothing failed")
    func empty() async throws {
        let app = try await TestApp.make()
        let session = try await WebPagesTests.session(app, .projectteam)
        try await app.application().test(.router) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: WebPagesTests.cookie(session)) { response in
                String(buffer: response.body)
            }
            #expect(page.contains("Er wachten geen berichten."))
            #expect(page.contains("<p id=\"meldingen-mislukt\">Geen mislukte berichten.</p>"))
            #expect(MeldingBezorgStatus.allCases.allSatisfy { page.contains("<tr id=\"meldingen-\($0.rawValue)\">") })
        }
        await app.pool.close()
    }

    @Test("a gemeente or a supplier never sees the section, nor any address of the outbox")
    func otherRoles() async throws {
        let app = try await TestApp.make()
        let now = Date()
        let team = try await OutboxFixtures.subscribe(.projectteam, adres: "ddas@projectteam.example", now: now, pool: app.pool)
        let melding = OutboxFixtures.opgegeven(Gemeentecode("GM0363")!, at: now)
        try await app.dependencies.meldingen.record(melding, now: now)
        let failed = try #require(try await OutboxFixtures.messages(of: melding.sleutel, pool: app.pool)[team])
        try await OutboxFixtures.fail(failed, reden: "smtp_550", pogingen: 8, at: now, pool: app.pool)
        let visitors = [
            (try await WebPagesTests.session(app, .gemeente, scope: "GM0363"), "/gemeenten/GM0363"),
            (try await WebPagesTests.session(app, .leverancier, scope: "xxllnc"), "/leveranciers/xxllnc"),
        ]
        try await app.application().test(.router) { client in
            for (session, home) in visitors {
                try await client.execute(uri: "/", method: .get, headers: WebPagesTests.cookie(session)) { response in
                    #expect(response.status == .seeOther && response.headers[.location] == home)
                }
                for uri in ["/dashboard", home] {
                    try await client.execute(uri: uri, method: .get, headers: WebPagesTests.cookie(session)) { response in
                        #expect(response.status == (uri == home ? .ok : .forbidden), "\(uri)")
                        let page = String(buffer: response.body)
                        #expect(!page.contains("id=\"meldingen\"") && !page.contains("ddas@projectteam.example"), "\(uri)")
                        #expect(!page.contains("smtp_550") && !page.contains(failed.uuidString.lowercased()), "\(uri)")
                    }
                }
            }
        }
        await app.pool.close()
    }

    @Test(
        "a waiting time reads in the largest unit that keeps it readable",
        arguments: [
            (0.0, "0 seconden"), (1, "1 seconde"), (119.9, "119 seconden"), (120, "2 minuten"), (7_199, "119 minuten"), (7_200, "2 uur"),
            (172_799, "47 uur"), (172_800, "2 dagen"), (-5, "0 seconden"), (.infinity, "0 seconden"), (.nan, "0 seconden"),
            (1e300, "11574074 dagen"),
        ])
    func duur(seconds: Double, text: String) {
        #expect(MeldingenSection.duur(seconds) == text)
    }
}
