import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("/v1/abonnementen: each party its own subscriptions, the project team everyone's")
struct AbonnementenTests {
    typealias Rig = AbonnementenRig

    @Test("A gemeente subscribes its own mailbox, lists, reads, changes and cancels it; another gemeente sees none of it")
    func gemeenteOwnOnly() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.amsterdam, Rig.email(["gemeente.achterstand", "toestemming.verloopt"]))
            let id = try #require(made["id"] as? String)
            #expect(made["partij"] as? String == "GM0363" && made["partijSoort"] as? String == "gemeente")
            #expect(made["soorten"] as? [String] == ["gemeente.achterstand", "toestemming.verloopt"])
            #expect(made["geheim"] == nil && made["geheimVersie"] == nil)
            let own = try await Rig.call(client, .get, "/v1/abonnementen", rig.amsterdam)
            #expect((own.json["abonnementen"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            // Utrecht: an empty list, and the same 404 as for an id that does not exist, each refusal audited.
            let others = try await Rig.call(client, .get, "/v1/abonnementen", rig.utrecht)
            #expect((others.json["abonnementen"] as? [Any])?.isEmpty == true)
            let before = try await rig.subscriptions()
            let refused = try await rig.refusals()
            let missing = try await Rig.call(client, .get, "/v1/abonnementen/\(UUID().uuidString.lowercased())", rig.utrecht)
            for (method, uri, body) in [
                (HTTPRequest.Method.get, "/v1/abonnementen/\(id)", nil), (.patch, "/v1/abonnementen/\(id)", ["omschrijving": "x"]),
                (.delete, "/v1/abonnementen/\(id)", nil), (.post, "/v1/abonnementen/\(id)/geheim", nil),
            ] as [(HTTPRequest.Method, String, [String: Any]?)] {
                for stranger in [rig.utrecht, rig.xxllnc] {
                    let answer = try await Rig.call(client, method, uri, stranger, json: body)
                    #expect(answer.status == .notFound, "\(method) \(uri)")
                    #expect(answer.code == missing.code && answer.json["detail"] as? String == missing.json["detail"] as? String)
                }
            }
            #expect(try await rig.refusals() == refused + 8)
            #expect(try await rig.subscriptions() == before)
            // A gemeente cannot subscribe another party, and asks for another's list in vain: 403, audited.
            let forOther = try await Rig.call(client, .post, "/v1/abonnementen", rig.amsterdam, json: Rig.email(partij: "GM0344"))
            #expect(forOther.status == .forbidden)
            let otherList = try await Rig.call(client, .get, "/v1/abonnementen?partij=GM0344", rig.amsterdam)
            #expect(otherList.status == .forbidden)
            #expect(try await rig.refusals() == refused + 10)
            #expect(try await rig.subscriptions() == before)
            // The owner changes and cancels it.
            let changed = try await Rig.call(
                client, .patch, "/v1/abonnementen/\(id)", rig.amsterdam, json: ["soorten": ["levering.opgegeven"], "omschrijving": "team"])
            #expect(changed.status == .ok && changed.json["soorten"] as? [String] == ["levering.opgegeven"])
            #expect(try await Rig.call(client, .delete, "/v1/abonnementen/\(id)", rig.amsterdam).status == .noContent)
            #expect(try await Rig.call(client, .delete, "/v1/abonnementen/\(id)", rig.amsterdam).status == .noContent)
            let shown = try await Rig.call(client, .get, "/v1/abonnementen/\(id)", rig.amsterdam)
            #expect(shown.json["status"] as? String == "opgezegd" && shown.json["opgezegdOp"] != nil)
            let patchCancelled = try await Rig.call(client, .patch, "/v1/abonnementen/\(id)", rig.amsterdam, json: ["omschrijving": "x"])
            #expect(patchCancelled.status == .conflict && patchCancelled.code == "abonnement-opgezegd")
            let actief = try await Rig.call(client, .get, "/v1/abonnementen?status=actief", rig.amsterdam)
            #expect((actief.json["abonnementen"] as? [Any])?.isEmpty == true)
            // Made, changed, cancelled once: three events, naming the domain and never the mailbox.
            // The strangers' attempts are refused events of the subscription too.
            let all = try await rig.auditEvents(client, of: id)
            #expect(all.filter { $0["resultaat"] as? String == "refused" }.count == 8)
            let events = all.filter { $0["resultaat"] as? String == "ok" }
            #expect(
                events.compactMap { $0["actie"] as? String } == ["abonnement.aangemaakt", "abonnement.gewijzigd", "abonnement.opgezegd"])
            let created = try #require(events.first?["na"] as? [String: String])
            #expect(created["kanaal"] == "email" && created["adres_domein"] == "gemeente.nl" && created["partij"] == "GM0363")
            #expect(created["soorten"] == "gemeente.achterstand,toestemming.verloopt")
            let changedEvent = try #require(events.dropFirst().first)
            #expect((changedEvent["voor"] as? [String: String])?["soorten"] == "gemeente.achterstand,toestemming.verloopt")
            #expect((changedEvent["na"] as? [String: String])?["soorten"] == "levering.opgegeven")
            #expect(!events.contains { "\($0)".contains("meldingen@") })
        }
        await rig.app.pool.close()
    }

    @Test("A supplier subscribes itself only, to soorten that reach a supplier; the project team sees and filters everyone's")
    func leverancierAndProjectteam() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let storing = try await Rig.subscribe(
                client, rig.xxllnc, Rig.email(["leverancier.storing", "leverancier.stil"], partij: "xxllnc", adres: "noc@xxllnc.example"))
            let wrong = try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Rig.email(["gemeente.achterstand"]))
            #expect(wrong.status == .badRequest && wrong.invalid == ["soorten[0]"])
            #expect(try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Rig.email(partij: "bkr")).status == .forbidden)
            #expect(
                try await Rig.call(client, .post, "/v1/abonnementen", rig.xxllnc, json: Rig.email(partij: "GM0363")).status == .forbidden)
            _ = try await Rig.subscribe(client, rig.amsterdam, Rig.email())
            _ = try await Rig.subscribe(client, rig.team, Rig.email(["overzicht.dag"]))
            _ = try await Rig.subscribe(client, rig.team, Rig.email(["leverancier.stil"], partij: "bkr"))
            _ = try await Rig.subscribe(client, rig.team, Rig.email(["gemeente.achterstand"], partij: "0344"))
            let all = try await Rig.call(client, .get, "/v1/abonnementen", rig.team)
            #expect((all.json["paginering"] as? [String: Any])?["totaal"] as? Int == 5)
            for (filter, expected) in [("projectteam", ["projectteam"]), ("GM0363", ["GM0363"]), ("0344", ["GM0344"]), ("bkr", ["bkr"])] {
                let answer = try await Rig.call(client, .get, "/v1/abonnementen?partij=\(filter)", rig.team)
                #expect((answer.json["abonnementen"] as? [[String: Any]])?.compactMap { $0["partij"] as? String } == expected, "\(filter)")
            }
            let bkr = try await Rig.call(client, .get, "/v1/abonnementen", rig.bkr)
            #expect((bkr.json["abonnementen"] as? [[String: Any]])?.compactMap { $0["partij"] as? String } == ["bkr"])
            let xxllnc = try await Rig.call(client, .get, "/v1/abonnementen", rig.xxllnc)
            let storingID = try #require(storing["id"] as? String)
            #expect((xxllnc.json["abonnementen"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [storingID])
            // The project team may not subscribe a party that does not exist.
            let unknown = try await Rig.call(
                client, .post, "/v1/abonnementen", rig.team, json: Rig.email(["leverancier.stil"], partij: "bestaat-niet"))
            #expect(unknown.status == .badRequest && unknown.invalid == ["partij"])
            let noGemeente = try await Rig.call(client, .post, "/v1/abonnementen", rig.team, json: Rig.email(partij: "GM9999"))
            #expect(noGemeente.status == .badRequest && noGemeente.invalid == ["partij"])
            #expect(try await rig.count("melding_abonnementen") == 5)
        }
        await rig.app.pool.close()
    }

    @Test("The scheduler and admin are refused every subscription route (403, audited); every role reads the soorten")
    func otherRolesRefused() async throws {
        let rig = try await Rig.make()
        let scheduler = try await rig.app.headers(.scheduler)
        let admin = try await rig.app.headers(.admin)
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.team, Rig.email(["overzicht.dag"]))
            let id = try #require(made["id"] as? String)
            let before = try await rig.subscriptions()
            for headers in [scheduler, admin] {
                let refused = try await rig.refusals()
                for (method, uri) in [
                    (HTTPRequest.Method.get, "/v1/abonnementen"), (.post, "/v1/abonnementen"), (.get, "/v1/abonnementen/\(id)"),
                    (.patch, "/v1/abonnementen/\(id)"), (.delete, "/v1/abonnementen/\(id)"), (.post, "/v1/abonnementen/\(id)/geheim"),
                ] {
                    let answer = try await Rig.call(client, method, uri, headers, json: Rig.email(["overzicht.dag"], partij: "projectteam"))
                    #expect(answer.status == .forbidden && answer.isProblem, "\(method) \(uri)")
                }
                #expect(try await rig.refusals() == refused + 6)
            }
            #expect(try await rig.subscriptions() == before)
            for headers in [scheduler, admin, rig.team, rig.amsterdam, rig.xxllnc] {
                let answer = try await Rig.call(client, .get, "/v1/meldingen/soorten", headers)
                let soorten = try #require(answer.json["soorten"] as? [[String: Any]])
                #expect(soorten.compactMap { $0["code"] as? String } == MeldingSoort.allCases.map(\.rawValue))
                let digest = soorten.first { $0["code"] as? String == "overzicht.dag" }
                #expect(digest?["partijen"] as? [String] == ["projectteam"])
            }
            #expect(try await Rig.call(client, .get, "/v1/meldingen/soorten", [:]).status == .unauthorized)
            #expect(try await Rig.call(client, .get, "/v1/meldingen/soorten?x=1", rig.team).status == .badRequest)
            #expect(try await Rig.call(client, .get, "/v1/abonnementen", [:]).status == .unauthorized)
        }
        await rig.app.pool.close()
    }
}
