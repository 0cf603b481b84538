import Foundation
import Postgres
import RegieDomain
import RegieTestSupport
import Synchronization
import Testing

/// One service process pulls 200 deliveries while eight clients send it mixed reads (six
/// clients) and consent writes (two clients, each giving and revoking consent for its own
/// gemeenten) for 60 seconds. The reads are first timed one at a time on the idle service.
enum LoadScenario {
    static let seconds = 60

    /// The latencies and errors of one kind of request.
    struct Tally: Sendable {
        var latencies: [Double] = []
        var errors: [String] = []
    }

    static func run() async throws {
        let settings = RigSettings(gemeenten: 100, recordsPerMonth: 150, pageSize: 100, pageDelayMilliseconds: 100)
        try await ServiceRig.with("load", settings) { rig in
            // Forty more gemeenten with a supplier but no consent yet: the writers give and revoke it.
            let writers = Array(try LeveringFixtures.gemeenten(140).suffix(40))
            try await rig.pool.query(
                """
                INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
                SELECT gen_random_uuid(), g.code, 'VS', 'xxllnc', 'Gemeente ' || g.name, now(), 'test'
                FROM unnest($1::text[]) AS u(code) JOIN gemeenten g ON g.code = u.code
                """, [writers.map(\.rawValue)])
            var writerTokens: [Gemeentecode: String] = [:]
            for code in writers { writerTokens[code] = try await rig.token(.gemeente, scope: code.rawValue) }
            let team = try await rig.token(.projectteam)
            let own = try await rig.token(.gemeente, scope: rig.codes[0].rawValue)
            let service = try rig.serve(role: "all")
            #expect(try await HTTP.waitUntilReady(service), "\(service.process.output().suffix(1_500))")

            let reads: [(String, String, [(String, String)])] = [
                ("/v1/gemeenten/\(rig.codes[7].rawValue)", team, []),
                ("/v1/gemeenten?paginaGrootte=50", team, []),
                ("/v1/gemeenten", team, [("Accept", "text/csv")]),
                ("/v1/leveringen?paginaGrootte=20", team, []),
                ("/v1/voortgang", team, []),
                ("/v1/gemeenten/\(rig.codes[0].rawValue)", own, []),
            ]
            let labels = [
                "/v1/gemeenten/{code}", "/v1/gemeenten (page of 50)", "/v1/gemeenten as CSV", "/v1/leveringen (page of 20)",
                "/v1/voortgang", "/v1/gemeenten/{code} as the gemeente",
            ]
            // The same reads one at a time on the idle service first, for comparison.
            var idle: [String: [Double]] = [:]
            for _ in 0..<10 {
                for (index, (path, token, headers)) in reads.enumerated() {
                    let started = ContinuousClock.now
                    let answer = try await HTTP.get(service.base + path, token: token, headers: headers)
                    #expect(answer.status == 200, "\(path): \(answer.status)")
                    idle["GET " + labels[index], default: []].append(milliseconds(ContinuousClock.now - started))
                }
            }
            #expect(try await rig.enqueue(quarters: [1, 2], maxAttempts: 5) == 200)
            let end = ContinuousClock.now + .seconds(seconds)
            let tallies = try await withThrowingTaskGroup(of: [String: Tally].self) { group in
                for client in 0..<6 {
                    group.addTask {
                        var tallies: [String: Tally] = [:]
                        var index = client
                        while ContinuousClock.now < end {
                            let (path, token, headers) = reads[index % reads.count]
                            let label = "GET " + labels[index % reads.count]
                            index += 1
                            let started = ContinuousClock.now
                            do {
                                let answer = try await HTTP.get(service.base + path, token: token, headers: headers)
                                if answer.status != 200 { tallies[label, default: Tally()].errors.append("\(label): \(answer.status)") }
                            } catch {
                                tallies[label, default: Tally()].errors.append("\(label): \(error)")
                            }
                            tallies[label, default: Tally()].latencies.append(milliseconds(ContinuousClock.now - started))
                        }
                        return tallies
                    }
                }
                for client in 0..<2 {
                    let mine = writers.enumerated().filter { $0.offset % 2 == client }.map(\.element)
                    let tokens = writerTokens
                    group.addTask {
                        var tallies: [String: Tally] = [:]
                        var index = 0
                        while ContinuousClock.now < end {
                            let code = mine[index % mine.count]
                            index += 1
                            try await consentCycle(code, token: tokens[code] ?? "", base: service.base, into: &tallies)
                        }
                        return tallies
                    }
                }
                var merged: [String: Tally] = [:]
                for try await tallies in group {
                    for (label, tally) in tallies {
                        merged[label, default: Tally()].latencies += tally.latencies
                        merged[label, default: Tally()].errors += tally.errors
                    }
                }
                return merged
            }
            let doneDuring = try await rig.statuses()["geslaagd"] ?? 0
            let final = try await rig.waitUntilSettled(within: 240) { !service.process.hasExited }
            #expect(await rig.stop(service) == 0)
            let errors = tallies.values.flatMap(\.errors)
            #expect(errors.isEmpty, "\(errors.count) errors: \(errors.prefix(5))")
            #expect(final["opgegeven"] == nil && (final["geslaagd"] ?? 0) >= 200, "\(final)")
            #expect(doneDuring > 0, "deliveries went on under load")
            func line(_ label: String, _ latencies: [Double]) -> String {
                let sorted = latencies.sorted()
                return
                    "\(label): \(sorted.count) (\(String(format: "%.1f", Double(sorted.count) / Double(seconds)))/s) p50 \(format(percentile(sorted, 0.50))) ms p99 \(format(percentile(sorted, 0.99))) ms"
            }
            let readLatencies = tallies.filter { $0.key.hasPrefix("GET") }.values.flatMap(\.latencies)
            let writeLatencies = tallies.filter { !$0.key.hasPrefix("GET") }.values.flatMap(\.latencies)
            Figures.record(
                Scenario.load,
                "\(seconds) s, 6 reading and 2 consent-writing clients against one process (debug build) while it pulls: \(line("reads", readLatencies)); \(line("writes", writeLatencies)); errors \(errors.count); deliveries handed over during the load \(doneDuring), after it all \(final["geslaagd"] ?? 0) geslaagd, \(final["opgegeven"] ?? 0) given up, 0 starved"
            )
            for label in tallies.keys.sorted() {
                let alone = idle[label].map { " (alone on the idle service: p50 \(format(percentile($0.sorted(), 0.5))) ms)" } ?? ""
                Figures.record(Scenario.load, "  " + line(label, tallies[label]?.latencies ?? []) + alone)
            }
        }
    }

    /// Gives consent and revokes it (each 201), as the gemeente.
    static func consentCycle(_ code: Gemeentecode, token: String, base: String, into tallies: inout [String: Tally]) async throws {
        let give = HTTP.json([
            "leverancier": "xxllnc", "stromen": ["VS"], "besluitdatum": "2026-10-01", "besluitvormendOrgaan": "college",
            "documentreferentie": "B-LOAD", "documentSha256": String(repeating: "ab", count: 32), "geldigVan": "2026-11-01",
        ])
        var started = ContinuousClock.now
        let given = try await HTTP.send(.POST, "\(base)/v1/gemeenten/\(code.rawValue)/toestemmingen", token: token, body: give)
        tallies["POST toestemmingen", default: Tally()].latencies.append(milliseconds(ContinuousClock.now - started))
        guard given.status == 201, let location = given.headers.first(name: "location") else {
            tallies["POST toestemmingen", default: Tally()].errors.append("give consent: \(given.status) \(given.text.prefix(200))")
            return
        }
        started = ContinuousClock.now
        let revoked = try await HTTP.send(.POST, base + location + "/intrekkingen", token: token, body: HTTP.json(["reden": "load"]))
        tallies["POST intrekkingen", default: Tally()].latencies.append(milliseconds(ContinuousClock.now - started))
        if revoked.status != 201 {
            tallies["POST intrekkingen", default: Tally()].errors.append("revoke consent: \(revoked.status) \(revoked.text.prefix(200))")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
