import AsyncHTTPClient
import Foundation
import Testing

@testable import SupplierSimulator

@Suite("Fault plans and counts")
struct FaultPlanTests {
    static let amsterdam = GegevensAPITests.request(page: 1, pageSize: 50)
    static let utrecht = #"{"aanleverende_organisatie":"Gemeente Utrecht","pageSize":50}"#

    @Test("fails twice, then succeeds; other gemeenten are not touched")
    func failsTwiceThenSucceeds() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.serviceUnavailable), gemeentecode: "0363", limit: 2)]) {
            harness async throws in
            #expect(try await harness.gegevens(Self.utrecht).status == 200)
            #expect(try await harness.gegevens(Self.amsterdam).status == 503)
            #expect(try await harness.gegevens(Self.amsterdam).status == 503)
            #expect(try await harness.gegevens(Self.amsterdam).status == 200)
            #expect(try await harness.gegevens(Self.amsterdam).status == 200)
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(gemeentecode: "0363", outcome: .fault(.serviceUnavailable)) == 2)
            #expect(counts.count(gemeentecode: "0363", outcome: .served) == 2)
            #expect(counts.count(gemeentecode: "0344") == 1)
            #expect(await harness.simulator.faults.firedCounts == [2])
        }
    }

    @Test("a rule for one page only; the ledger tells which pages a client asked and how often")
    func pageRule() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.serverError), page: 2, limit: 1)]) { harness async throws in
            for page in [1, 2, 2, 3] {
                _ = try await harness.gegevens(GegevensAPITests.request(page: page, pageSize: 50))
            }
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(gemeentecode: "0363", page: 1) == 1)
            #expect(counts.count(gemeentecode: "0363", page: 2) == 2)
            #expect(counts.count(gemeentecode: "0363", page: 2, outcome: .fault(.serverError)) == 1)
            #expect(counts.count(gemeentecode: "0363", page: 3, outcome: .served) == 1)
            #expect(counts.count(endpoint: .token, outcome: .tokenIssued) == 4)
        }
    }

    @Test("rate 1 always fires, rate 0 never")
    func rates() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.serverError), rate: 0), FaultRule(Fault(.badGateway), rate: 1)]) {
            harness async throws in
            for _ in 0..<3 { #expect(try await harness.gegevens(Self.amsterdam).status == 502) }
        }
    }

    @Test("a random rate fires about as often as asked, the same way for the same seed")
    func randomRate() async throws {
        func draws(seed: UInt64) async throws -> [Bool] {
            let plan = try FaultPlan(rules: [FaultRule(Fault(.serverError), rate: 0.3)], signers: ["xxllnc": []], seed: seed)
            var fired: [Bool] = []
            for _ in 0..<1_000 { fired.append(await plan.draw(supplier: "xxllnc", gemeenten: ["0363"], page: 1) != nil) }
            return fired
        }
        let first = try await draws(seed: 5)
        #expect((230...370).contains(first.filter { $0 }.count))
        #expect(try await draws(seed: 5) == first)
    }

    @Test("faults change while running: in process through the plan")
    func changeInProcess() async throws {
        try await Fixture.withSimulator { harness async throws in
            #expect(try await harness.gegevens(Self.amsterdam).status == 200)
            try await harness.simulator.faults.add(FaultRule(.tooManyRequests(retryAfterSeconds: 3), supplier: "xxllnc"))
            #expect(try await harness.gegevens(Self.amsterdam).status == 429)
            await harness.simulator.faults.removeAll()
            #expect(try await harness.gegevens(Self.amsterdam).status == 200)
        }
    }

    @Test("faults change while running: PUT {base}/_simulator/fouten with the admin secret")
    func changeOverHTTP() async throws {
        try await Fixture.withSimulator { harness async throws in
            let rules = #"[{"kind":"tooManyRequests","retryAfterSeconds":4,"gemeentecode":"0363","limit":1}]"#
            let refused = try await harness.send(harness.base() + "/_simulator/fouten", method: .PUT, body: rules)
            refused.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID")
            let admin = ["Authorization": "Bearer \(Fixture.adminSecret)"]
            let accepted = try await harness.send(harness.base() + "/_simulator/fouten", method: .PUT, body: rules, headers: admin)
            #expect(accepted.status == 204)
            let limited = try await harness.gegevens(Self.amsterdam)
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "Retry-After") == "4")
            #expect(try await harness.gegevens(Self.amsterdam).status == 200)
            let listed = try await harness.send(harness.base() + "/_simulator/fouten", method: .GET, headers: admin)
            let entries = (try? JSONSerialization.jsonObject(with: Data(listed.body))) as? [[String: Any]] ?? []
            #expect(entries.count == 1)
            #expect(entries.first?["fired"] as? Int == 1)
            let wrong = #"[{"kind":"expiredCertificate"},{"kind":"nonsense"}]"#
            let invalid = try await harness.send(harness.base() + "/_simulator/fouten", method: .PUT, body: wrong, headers: admin)
            invalid.expectProblem(400)
        }
    }

    @Test("fault rules read from JSON, fault fields and rule fields side by side")
    func rulesFromJSON() throws {
        let json = #"[{"kind":"stalledBody","sentFraction":0.25,"stallLimitSeconds":30,"gemeentecode":"GM0363","page":2,"limit":1}]"#
        let rules = try JSONDecoder().decode([FaultRule].self, from: Data(json.utf8))
        #expect(rules == [FaultRule(.stalledBody(sentFraction: 0.25, stallLimitSeconds: 30), gemeentecode: "GM0363", page: 2, limit: 1)])
        let encoded = try JSONEncoder().encode(rules)
        #expect(try JSONDecoder().decode([FaultRule].self, from: encoded) == rules)
    }
}
