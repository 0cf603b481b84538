import Foundation
import Postgres
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

/// 80 gemeenten (one page each: a retry pulls the delivery again from its first page) whose supplier fails at random (20% 5xx, 10% 429 with Retry-After, 5%
/// truncated bodies, 5% stalled bodies, of all page requests), and three whose data is bad:
/// a bad signature, another gemeente's data, a schema violation outside the records.
enum LeverancierFaultScenario {
    /// The first rule that fires wins, so each rate is of what the rules before it left:
    /// 0.20, then 0.10 / 0.80, 0.05 / 0.70 and 0.05 / 0.65 give 20%, 10%, 5% and 5% of all requests.
    static let transient = [
        FaultRule(Fault(.serverError), rate: 0.20),
        FaultRule(.tooManyRequests(retryAfterSeconds: 1), rate: 0.10 / 0.80),
        FaultRule(Fault(.truncatedBody), rate: 0.05 / 0.70),
        FaultRule(.stalledBody(sentFraction: 0.3, stallLimitSeconds: 10), rate: 0.05 / 0.65),
    ]

    static func run() async throws {
        let healthy = 80
        let codes = try LeveringFixtures.gemeenten(healthy + 3)
        let (badSignature, foreign, schema) = (codes[healthy], codes[healthy + 1], codes[healthy + 2])
        var settings = RigSettings()
        settings.gemeenten = healthy + 3
        settings.recordsPerMonth = 100
        settings.pageSize = 500
        settings.maxAttempts = 20
        settings.readTimeoutSeconds = 3
        settings.faults =
            [
                FaultRule(Fault(.badSignature), gemeentecode: badSignature.rawValue),
                FaultRule(Fault(.foreignLevering), gemeentecode: foreign.rawValue),
                FaultRule(.schemaViolation(.missingSupplierCode), gemeentecode: schema.rawValue),
            ] + transient
        try await ServiceRig.with("faults", settings) { rig in
            #expect(try await rig.enqueue(quarters: [3], maxAttempts: 20) == healthy + 3)
            let service = try rig.serve(role: "worker")
            let final = try await rig.waitUntilSettled(within: 420) { !service.process.hasExited }
            #expect(await rig.stop(service) == 0)
            #expect(final == ["geslaagd": healthy, "opgegeven": 3], "\(final)")

            let rows = try await rig.pool.query(
                "SELECT id, gemeente_code, status, pogingen, laatste_fout_klasse, laatste_fout FROM leveringen")
            var reasons: [String: String] = [:]
            var badIDs: [UUID] = []
            var retried = 0
            for row in rows where try row.decode("status", as: String.self) == "opgegeven" {
                reasons[try row.decode("gemeente_code", as: String.self)] =
                    (try row.decode("laatste_fout_klasse", as: String?.self) ?? "") + ": "
                    + (try row.decode("laatste_fout", as: String?.self) ?? "")
                badIDs.append(try row.decode("id"))
            }
            for row in rows where try row.decode("status", as: String.self) == "geslaagd" {
                if try row.decode("pogingen", as: Int.self) > 1 { retried += 1 }
            }
            #expect(reasons[badSignature.rawValue]?.hasPrefix("signature: ") == true, "\(reasons)")
            #expect(reasons[badSignature.rawValue]?.contains("signature_invalid") == true, "\(reasons)")
            #expect(reasons[foreign.rawValue]?.hasPrefix("foreignGemeente: ") == true, "\(reasons)")
            #expect(reasons[schema.rawValue]?.hasPrefix("schema: ") == true, "\(reasons)")
            // Nothing of the bad ones in the sink, nothing recorded as handed over.
            for id in badIDs {
                #expect(!FileManager.default.fileExists(atPath: rig.sink.appendingPathComponent(id.uuidString.lowercased()).path))
                #expect(try await LeveringQueue(pool: rig.pool).pages(id).isEmpty)
            }
            let check = try await rig.checkHandOvers()
            #expect(check.duplicates == 0 && check.sinkMismatches == 0 && check.strayFolders == 0, "\(check)")
            #expect(check.geslaagd == healthy)

            var failures: [String: Int] = [:]
            for row in try await rig.pool.query(
                "SELECT coalesce(fout_klasse, 'geslaagd') AS klasse, count(*) AS n FROM levering_pogingen GROUP BY 1 ORDER BY 1")
            {
                failures[try row.decode("klasse", as: String.self)] = try row.decode("n", as: Int.self)
            }
            let transientClasses = ["serverError", "tooManyRequests", "brokenPage", "timeout"]
            for name in transientClasses {
                #expect((failures[name] ?? 0) > 0, "the run met \(name): \(failures)")
            }
            let attempts = failures.values.reduce(0, +)
            Figures.record(
                Scenario.supplierFaults,
                "\(healthy + 3) deliveries, \(attempts) attempts: \(failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
            )
            Figures.record(
                Scenario.supplierFaults,
                "outcome: geslaagd \(final["geslaagd"] ?? 0) (\(retried) after retries), opgegeven \(final["opgegeven"] ?? 0): bad signature → \(reasons[badSignature.rawValue]?.prefix(while: { $0 != ":" }) ?? "?"), foreign data → \(reasons[foreign.rawValue]?.prefix(while: { $0 != ":" }) ?? "?"), schema → \(reasons[schema.rawValue]?.prefix(while: { $0 != ":" }) ?? "?"); their pages in the sink: 0"
            )
        }
    }
}
