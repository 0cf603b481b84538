import Foundation
import RegieDomain
import Testing

@Suite("A subscription request: every problem at once, each with its field")
struct MeldingAbonnementAanvraagTests {
    /// The problems of a request, as `field reason` pairs; empty when it is valid.
    func problems(
        kanaal: String? = "email", adres: String? = "meldingen@gemeente.nl", soorten: [String]? = ["levering.opgegeven"],
        omschrijving: String? = nil, partij: MeldingPartij.Soort = .gemeente
    ) -> [MeldingAbonnementAanvraag.Problem] {
        do {
            _ = try MeldingAbonnementAanvraag(kanaal: kanaal, adres: adres, soorten: soorten, omschrijving: omschrijving, partij: partij)
            return []
        } catch let invalid as MeldingAbonnementAanvraag.Invalid {
            return invalid.problems
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test("A valid e-mail request is taken as sent, with an empty note when none is given")
    func valid() throws {
        let aanvraag = try MeldingAbonnementAanvraag(
            kanaal: "email", adres: "meldingen@gemeente.nl", soorten: ["levering.opgegeven", "toestemming.verloopt"], omschrijving: nil,
            partij: .gemeente)
        #expect(aanvraag.kanaal == .email)
        #expect(aanvraag.soorten == [.leveringOpgegeven, .toestemmingVerloopt])
        #expect(aanvraag.omschrijving == "")
    }

    @Test("An empty request names every missing field at once")
    func everythingMissing() {
        let found = problems(kanaal: nil, adres: nil, soorten: nil).map(\.field)
        #expect(found == ["kanaal", "adres", "soorten"])
        #expect(problems(kanaal: "sms").map(\.field) == ["kanaal"])
        #expect(problems(kanaal: "EMAIL").map(\.field) == ["kanaal"])
    }

    @Test("Mailboxes: plain ASCII local@domain only, at most 254 characters")
    func mailboxes() {
        for good in [
            "meldingen@gemeente.nl", "team.ddas+regie@divosa.example", "a@b", "o'brien@x-y.nl", String(repeating: "a", count: 64) + "@x.nl",
            String(repeating: "a", count: 64) + "@" + Array(repeating: String(repeating: "d", count: 60), count: 3).joined(separator: ".")
                + "." + String(repeating: "e", count: 6),
        ] {
            #expect(MeldingAbonnementAanvraag.isMailbox(good), "\(good)")
        }
        let tooLong =
            String(repeating: "a", count: 64) + "@"
            + Array(repeating: String(repeating: "d", count: 62), count: 3).joined(
                separator: ".") + ".n"
        #expect(tooLong.count == 255)
        for bad in [
            "", "@", "a@", "@b.nl", "a b@c.nl", "<a@b.nl>", "Team <a@b.nl>", "a@b.nl\r\nBcc: x@y.nl", "a@b.nl\n", "a@@b.nl", "a@b@c.nl",
            "é@b.nl", "a@bé.nl", ".a@b.nl", "a.@b.nl", "a..b@c.nl", "a@.b.nl", "a@b..nl", "a@-b.nl", "a@b-.nl", "\"a\"@b.nl",
            "a(b)@c.nl", "a@[127.0.0.1]", "a@b_c.nl", String(repeating: "a", count: 65) + "@b.nl", tooLong, "a\u{0}@b.nl",
        ] {
            #expect(!MeldingAbonnementAanvraag.isMailbox(bad), "\(bad.debugDescription)")
        }
        #expect(problems(adres: "niet een adres").map(\.field) == ["adres"])
    }

    @Test("Webhook URLs: https, http only to loopback, no credentials or fragment, at most 2000 characters")
    func webhookURLs() {
        let base = "https://hooks.leverancier.example/ddas"
        for good in [
            base, "https://hooks.example:8443/a?b=c", "http://127.0.0.1:9000/hook", "http://localhost/hook", "http://[::1]:8080/hook",
            "HTTPS://Hooks.Example/x", "https://10.0.0.5/x", "https://a.example/p@th",
            base + "/" + String(repeating: "a", count: 2000 - base.count - 1),
        ] {
            #expect(MeldingAbonnementAanvraag.isWebhookURL(good), "\(good)")
        }
        for bad in [
            "", "hooks.example/ddas", "/ddas", "ftp://hooks.example/x", "http://hooks.example/x", "http://127.0.0.2/x",
            "http://localhost.example/x", "https://user:pw@hooks.example/x", "https://user@hooks.example/x", "https://hooks.example/x#frag",
            "https://hooks.example/x#", "https:///x", "https://hooks example/x", "https://hooks.example/ x", "https://hooks.example/x\n",
            "https://hooks.example:0/x", "https://hooks.example:65536/x", "https://hooks.example:99999999999999999999/x",
            "https://hoøks.example/x", "https://-hooks.example/x", "https://hooks.example:-1/x", "javascript:alert(1)",
            base + "/" + String(repeating: "a", count: 2000 - base.count),
        ] {
            #expect(!MeldingAbonnementAanvraag.isWebhookURL(bad), "\(bad.debugDescription)")
        }
        #expect(problems(kanaal: "webhook", adres: "meldingen@gemeente.nl").map(\.field) == ["adres"])
        #expect(problems(kanaal: "email", adres: base).map(\.field) == ["adres"])
        #expect(problems(kanaal: "webhook", adres: base).isEmpty)
    }

    @Test("Soorten: 1 to 32 known codes, none twice, each one that reaches the party's kind")
    func soorten() {
        #expect(problems(soorten: []).map(\.field) == ["soorten"])
        #expect(problems(soorten: Array(repeating: "levering.opgegeven", count: 33)).map(\.field) == ["soorten"])
        let doubled = problems(soorten: ["levering.opgegeven", "onbekend", "levering.opgegeven"])
        #expect(doubled.map(\.field) == ["soorten[1]", "soorten[2]"])
        #expect(doubled.last?.reason == "is named twice")
        // A gemeente hears no supplier's outage; only the project team gets the digest.
        let gemeente = problems(soorten: ["leverancier.storing", "overzicht.dag", "gemeente.achterstand"], partij: .gemeente)
        #expect(gemeente.map(\.field) == ["soorten[0]", "soorten[1]"])
        #expect(problems(soorten: ["overzicht.dag", "leverancier.storing"], partij: .projectteam).isEmpty)
        #expect(problems(soorten: ["oporderapport.boven_drempel"], partij: .projectteam).map(\.field) == ["soorten[0]"])
        #expect(problems(soorten: ["leverancier.stil", "oporderapport.boven_drempel"], partij: .leverancier).isEmpty)
        #expect(problems(soorten: ["toestemming.verloopt"], partij: .leverancier).map(\.field) == ["soorten[0]"])
        // Every soort reaches the kinds it names, and a party of each kind can want it.
        for soort in MeldingSoort.allCases {
            for kind in MeldingPartij.Soort.allCases {
                #expect(problems(soorten: [soort.rawValue], partij: kind).isEmpty == soort.partijen.contains(kind))
            }
        }
    }

    @Test("The note is at most 200 characters; the reasons never repeat what was sent")
    func omschrijving() {
        #expect(problems(omschrijving: String(repeating: "é", count: 200)).isEmpty)
        #expect(problems(omschrijving: String(repeating: "é", count: 201)).map(\.field) == ["omschrijving"])
        let secret = "geheim-adres-1234"
        let all = problems(kanaal: "webhook", adres: secret, soorten: [secret], omschrijving: String(repeating: secret, count: 20))
        #expect(all.map(\.field) == ["adres", "soorten[0]", "omschrijving"])
        #expect(!all.contains { $0.reason.contains(secret) })
    }

    @Test("A change keeps the channel and validates the fields it sends over the subscription's own")
    func wijziging() throws {
        let moment = Date(timeIntervalSince1970: 1_796_000_000)
        let abonnement = MeldingAbonnement(
            id: UUID(), partij: .leverancier("xxllnc"), kanaal: .webhook, adres: "https://hooks.example/a", soorten: [.leverancierStoring],
            omschrijving: "beheer", geheimVersie: 1, vorigGeheimGeldigTot: nil, aangemaaktOp: moment, gewijzigdOp: moment, opgezegdOp: nil)
        let changed = try MeldingAbonnementAanvraag(wijziging: abonnement, adres: nil, soorten: ["leverancier.stil"], omschrijving: nil)
        #expect(changed.kanaal == .webhook && changed.adres == abonnement.adres && changed.omschrijving == "beheer")
        #expect(changed.soorten == [.leverancierStil])
        #expect(throws: MeldingAbonnementAanvraag.Invalid.self) {
            try MeldingAbonnementAanvraag(wijziging: abonnement, adres: "a@b.nl", soorten: ["gemeente.achterstand"], omschrijving: nil)
        }
    }

    @Test("The audit names where an address points, never who: a mailbox's domain, a URL's host")
    func adresDomein() {
        #expect(MeldingAbonnement.adresDomein("Team@Gemeente.NL", kanaal: .email) == "gemeente.nl")
        #expect(MeldingAbonnement.adresDomein("https://Hooks.Example:8443/geheim?token=x", kanaal: .webhook) == "hooks.example")
        #expect(MeldingAbonnement.adresDomein("http://[::1]:9000/x", kanaal: .webhook) == "::1")
    }
}
