import Foundation
import Postgres
import RegieDomain
import Testing

/// 50 gemeenten with two deliveries each, pulled by one service process; for 25 of them,
/// picked at random, the gemeente revokes its consent through the API the moment one of its
/// pulls is running. Commit order is read from PostgreSQL's commit timestamps.
enum ToestemmingRaceScenario {
    static func run() async throws {
        let settings = RigSettings(gemeenten: 50, recordsPerMonth: 150, pageSize: 100, pageDelayMilliseconds: 100)
        try await ServiceRig.with("consent", settings) { rig in
            #expect(try await rig.enqueue(quarters: [1, 2], maxAttempts: 5) == 100)
            let chosen = Array(rig.codes.shuffled().prefix(25))
            var tokens: [Gemeentecode: String] = [:]
            for code in chosen { tokens[code] = try await rig.token(.gemeente, scope: code.rawValue) }
            let service = try rig.serve(role: "all")
            #expect(try await HTTP.waitUntilReady(service), "\(service.process.output().suffix(1_500))")
            var revokedWhileRunning = 0
            for code in chosen {
                // The moment one of its pulls runs (or, if they all ended first, now).
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    let states = try await rig.pool.query(
                        "SELECT count(*) FILTER (WHERE status = 'bezig') AS running, count(*) FILTER (WHERE status IN ('gepland', 'mislukt')) AS waiting FROM leveringen WHERE gemeente_code = $1",
                        [code.rawValue]
                    ).first
                    let running = try states?.decode("running", as: Int.self) ?? 0
                    let waiting = try states?.decode("waiting", as: Int.self) ?? 0
                    if running > 0 { revokedWhileRunning += 1 }
                    if running > 0 || waiting == 0 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let consent = try await rig.pool.query(
                    "SELECT id FROM toestemmingen WHERE gemeente_code = $1 AND ingetrokken_op IS NULL", [code.rawValue]
                ).first?.decode("id", as: UUID.self)
                let id = try #require(consent)
                let answer = try await HTTP.send(
                    .POST, "\(service.base)/v1/gemeenten/\(code.rawValue)/toestemmingen/\(id.uuidString.lowercased())/intrekkingen",
                    token: tokens[code], body: HTTP.json(["reden": "reliability: consent race"]))
                #expect(answer.status == 201, "\(answer.status) \(answer.text.prefix(300))")
            }
            let final = try await rig.waitUntilSettled(within: 300) { !service.process.hasExited }
            #expect(await rig.stop(service) == 0)

            var before = 0
            var after = 0
            var cancelled = 0
            for code in chosen {
                let revocation = try await rig.pool.query(
                    "SELECT pg_xact_commit_timestamp(xmin) AS committed FROM toestemmingen WHERE gemeente_code = $1 AND ingetrokken_op IS NOT NULL",
                    [code.rawValue]
                ).first?.decode("committed", as: Date.self)
                let revoked = try #require(revocation, "the revocation of \(code) committed")
                for row in try await rig.pool.query(
                    """
                    SELECT pg_xact_commit_timestamp(p.xmin) AS committed FROM levering_pogingen p JOIN leveringen l ON l.id = p.levering_id
                    WHERE l.gemeente_code = $1 AND p.afgerond_op IS NOT NULL AND p.fout_klasse IS NULL
                    """, [code.rawValue])
                {
                    if try row.decode("committed", as: Date.self) < revoked { before += 1 } else { after += 1 }
                }
                cancelled +=
                    try await rig.pool.query(
                        "SELECT count(*) AS n FROM leveringen WHERE gemeente_code = $1 AND status = 'geannuleerd'", [code.rawValue]
                    ).first?.decode("n", as: Int.self) ?? 0
            }
            #expect(after == 0, "\(after) hand-overs committed after their gemeente's revocation")
            #expect(before + cancelled == 50, "every delivery of a revoked gemeente was handed over before, or cancelled")
            #expect(final["geslaagd"] == 50 + before && final["geannuleerd"] == cancelled, "\(final)")
            let check = try await rig.checkHandOvers()
            #expect(check.duplicates == 0 && check.sinkMismatches == 0 && check.strayFolders == 0, "\(check)")
            Figures.record(
                Scenario.consentRaces,
                "50 gemeenten, 100 deliveries; revoked \(chosen.count) (\(revokedWhileRunning) with a pull running), handed over before revocation \(before), after \(after), cancelled \(cancelled); sink folders without a committed hand-over \(check.strayFolders)"
            )
        }
    }
}
