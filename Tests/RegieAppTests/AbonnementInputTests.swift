import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("/v1/abonnementen: bad input is a 400 problem naming every field, and changes nothing")
struct AbonnementInputTests {
    typealias Rig = AbonnementenRig

    @Test("Every bad body of POST and PATCH is refused with the fields it gets wrong, and nothing is stored")
    func badBodies() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            let made = try await Rig.subscribe(client, rig.amsterdam, Rig.email())
            let id = try #require(made["id"] as? String)
            let before = try await rig.subscriptions()
            let long = "https://hooks.example/" + String(repeating: "a", count: 1980)
            let posts: [([String: Any], [String])] = [
                ([:], ["kanaal", "adres", "soorten"]),
                (["kanaal": "sms", "adres": "a@b.nl", "soorten": ["gemeente.achterstand"]], ["kanaal"]),
                (["kanaal": "email", "adres": "Team <a@b.nl>", "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "email", "adres": "a@b.nl\r\nBcc: c@d.nl", "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "webhook", "adres": "http://hooks.example/x", "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "webhook", "adres": "https://u:p@hooks.example/x", "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "webhook", "adres": "https://hooks.example/x#f", "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "webhook", "adres": long, "soorten": ["gemeente.achterstand"]], ["adres"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": [String]()], ["soorten"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": Array(repeating: "gemeente.achterstand", count: 33)], ["soorten"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": ["gemeente.achterstand", "gemeente.achterstand"]], ["soorten[1]"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": ["overzicht.dag", "nieuw"]], ["soorten[0]", "soorten[1]"]),
                (
                    [
                        "kanaal": "email", "adres": "a@b.nl", "soorten": ["gemeente.achterstand"],
                        "omschrijving": String(repeating: "x", count: 201),
                    ],
                    ["omschrijving"]
                ),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": ["gemeente.achterstand"], "partij": "GM03"], ["partij"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": ["gemeente.achterstand"], "onbekend": 1], ["body"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": "gemeente.achterstand"], ["soorten"]),
                (["kanaal": 0, "adres": "a@b.nl", "soorten": ["gemeente.achterstand"]], ["kanaal"]),
                (["kanaal": "email", "adres": "a@b.nl", "soorten": [1]], ["soorten.[0]"]),
                (["kanaal": "email", "adres": "a\u{0}@b.nl", "soorten": ["gemeente.achterstand"]], ["adres"]),
            ]
            for (body, fields) in posts {
                let answer = try await Rig.call(client, .post, "/v1/abonnementen", rig.amsterdam, json: body)
                #expect(answer.status == .badRequest && answer.isProblem, "\(body)")
                #expect(answer.invalid == fields, "\(body): \(answer.text)")
            }
            for number in ["0", "-1", "2147483647", "9223372036854775807", "-9223372036854775808", "1e400", "99999999999999999999999"] {
                let answer = try await Rig.call(
                    client, .post, "/v1/abonnementen", rig.amsterdam, raw: #"{"kanaal": "email", "adres": \#(number), "soorten": []}"#)
                #expect(answer.status == .badRequest && answer.isProblem, "\(number)")
            }
            let patches: [([String: Any], [String])] = [
                ([:], ["body"]), (["adres": "geen adres"], ["adres"]), (["soorten": ["leverancier.storing"]], ["soorten[0]"]),
                (["soorten": [String]()], ["soorten"]), (["omschrijving": String(repeating: "x", count: 201)], ["omschrijving"]),
                (["kanaal": "webhook"], ["body"]), (["adres": "https://hooks.example/x"], ["adres"]),
            ]
            for (body, fields) in patches {
                let answer = try await Rig.call(client, .patch, "/v1/abonnementen/\(id)", rig.amsterdam, json: body)
                #expect(answer.status == .badRequest && answer.invalid == fields, "\(body): \(answer.text)")
            }
            for (method, raw) in [(HTTPRequest.Method.post, "{"), (.post, "[]"), (.patch, "null"), (.patch, "{\"adres\": }")] {
                let uri = method == .post ? "/v1/abonnementen" : "/v1/abonnementen/\(id)"
                #expect(try await Rig.call(client, method, uri, rig.amsterdam, raw: raw).status == .badRequest, "\(raw)")
            }
            let xml = try await Rig.call(
                client, .post, "/v1/abonnementen", rig.amsterdam, raw: "<a/>", extra: [.contentType: "application/xml"])
            #expect(xml.status == .unsupportedMediaType)
            #expect(try await rig.subscriptions() == before)
        }
        await rig.app.pool.close()
    }

    @Test("Path ids that are not UUIDs and list parameters out of their bounds are 400 problems")
    func badPathsAndQueries() async throws {
        let rig = try await Rig.make()
        try await rig.test { client in
            for id in ["1", "0", "-1", "9223372036854775807", "niet-een-uuid", String(repeating: "f", count: 5000)] {
                for (method, suffix) in [(HTTPRequest.Method.get, ""), (.patch, ""), (.delete, ""), (.post, "/geheim")] {
                    let answer = try await Rig.call(
                        client, method, "/v1/abonnementen/\(id)\(suffix)", rig.team, json: method == .patch ? ["omschrijving": "x"] : nil)
                    #expect(answer.status == .badRequest && answer.code == "invalid-abonnement-id", "\(method) \(id.prefix(20))")
                }
            }
            let queries = [
                "pagina=0", "pagina=-1", "pagina=100001", "pagina=9223372036854775807", "pagina=-9223372036854775808",
                "pagina=99999999999999999999999", "paginaGrootte=0", "paginaGrootte=501", "paginaGrootte=-1",
                "paginaGrootte=9223372036854775807", "partij=GM", "partij=Iemand%20Anders", "status=weg", "onbekend=1",
            ]
            for query in queries {
                let answer = try await Rig.call(client, .get, "/v1/abonnementen?\(query)", rig.team)
                #expect(answer.status == .badRequest && answer.isProblem && !answer.invalid.isEmpty, "\(query)")
            }
            for query in ["pagina=1", "pagina=100000", "paginaGrootte=1", "paginaGrootte=500", "status=actief", "status=opgezegd"] {
                #expect(try await Rig.call(client, .get, "/v1/abonnementen?\(query)", rig.team).status == .ok, "\(query)")
            }
        }
        await rig.app.pool.close()
    }
}
