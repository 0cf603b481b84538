import Foundation
import Postgres
import RegieDomain
import RegieTestSupport
import Testing

/// A served rig with something in it, for the scenarios that talk to the API: four
/// gemeenten (two per supplier) whose deliveries of 2025-Q3 were handed over, and a token
/// for every role (gemeente and leverancier scoped to the first gemeente and its supplier).
struct APIRig {
    let rig: ServiceRig
    let service: ServiceRig.Service
    /// Tokens by role; scoped ones are of `own`.
    let tokens: [Role: String]
    /// The first gemeente (xxllnc) and the second (bkr).
    let own: String
    let other: String

    static func with(_ name: String, _ body: (APIRig) async throws -> Void) async throws {
        let settings = RigSettings(gemeenten: 4, recordsPerMonth: 40, pageSize: 100, pageDelayMilliseconds: 0)
        try await ServiceRig.with(name, settings) { rig in
            try await rig.enqueue(quarters: [3], maxAttempts: 3)
            let own = rig.codes[0]
            let other = rig.codes[1]
            #expect(rig.supplierOf[own] == "xxllnc" && rig.supplierOf[other] == "bkr")
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                tokens[role] = try await rig.token(
                    role, scope: role == .gemeente ? own.rawValue : role == .leverancier ? "xxllnc" : nil)
            }
            let service = try rig.serve(role: "all")
            do {
                #expect(try await HTTP.waitUntilReady(service), "\(service.process.output().suffix(1_500))")
                let settled = try await rig.waitUntilSettled(within: 120) { !service.process.hasExited }
                #expect(settled == ["geslaagd": 4], "\(settled)")
                try await body(APIRig(rig: rig, service: service, tokens: tokens, own: own.rawValue, other: other.rawValue))
            } catch {
                await rig.stop(service)
                throw error
            }
            #expect(await rig.stop(service) == 0)
        }
    }

    /// A fingerprint of everything a request could change: row counts and content checksums
    /// of the tables an API call writes, and the audit trail's head. (Tokens: their count
    /// only, since a request records when its token was last used.)
    func fingerprint() async throws -> String {
        var parts: [String] = []
        for table in [
            "gemeenten", "gemeente_leveranciers", "dpia_akkoorden", "toestemmingen", "leveringen", "leverancier_diensten",
            "idempotency_keys", "standaardisatie_vertalingen", "standaardisatie_wijzigingen", "audit_events",
        ] {
            // The table names are constants of this file, never input.
            let row = try await rig.pool.queryTrail(
                "SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM \(table) t"
            ).first
            parts.append("\(table) \(try row?.decode("n", as: Int.self) ?? -1) \(try row?.decode("sum", as: String.self) ?? "")")
        }
        let tokens = try await rig.pool.query("SELECT count(*) AS n FROM api_tokens").first?.decode("n", as: Int.self) ?? -1
        return parts.joined(separator: "\n") + "\napi_tokens \(tokens)"
    }
}
