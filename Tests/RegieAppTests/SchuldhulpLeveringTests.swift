import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

@testable import RegieApp

/// Schuldhulpverlening (SHV) end to end: the simulator's SHV service, a consent and a delivery
/// of the SHV stream, the worker pulling it against the SHV model with its semantic checks,
/// handing it over and keeping its op-orde-rapport.
@Suite("Schuldhulpverlening deliveries end to end", .serialized)
struct SchuldhulpLeveringTests {
    static let shv = ExchangeFixture.Leverancier(name: "xxllnc", stroom: .schuldhulpverlening)

    /// The op-orde-rapport of `id` as the project team reads it.
    func rapport(_ fixture: ExchangeFixture, _ id: UUID) async throws -> RapportBody {
        let app = try await KwaliteitApp(pool: fixture.pool)
        let team = try await app.headers(.projectteam)
        return try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/leveringen/\(id.uuidString.lowercased())/op-orde-rapport", method: .get, headers: team) {
                response in
                #expect(response.status == .ok)
                return try response.json(RapportBody.self)
            }
        }
    }

    @Test("an SHV delivery is pulled, checked against the SHV model, handed over as SHV and reported on its schuldhulptrajecten")
    func pulledAndHandedOver() async throws {
        try await ExchangeFixture.with(gemeenten: 2, suppliers: [Self.shv]) { fixture in
            try await fixture.enqueue(fixture.codes)
            try await fixture.drain()
            for code in fixture.codes {
                let delivery = try await fixture.delivery(code)
                #expect(delivery.status == "geslaagd" && delivery.pogingen == 1, "\(delivery)")
                #expect(fixture.sinkFiles(delivery.id).contains("manifest.json"))
                let manifest =
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: fixture.sink.appendingPathComponent("\(delivery.id.uuidString.lowercased())/manifest.json")))
                    as? [String: Any]
                #expect(manifest?["stroom"] as? String == "SHV" && manifest?["gemeentecode"] as? String == code.rawValue)
                let report = try await rapport(fixture, delivery.id)
                #expect(report.oordeel == "in_orde" && (report.records ?? 0) > 0 && report.eenhedenMetFouten == 0, "\(report.oordeel)")
                let lists = Set(report.verdelingen.map(\.lijst))
                #expect(lists.isSuperset(of: ["begeleidingssoort", "uitstroomreden"]), "\(lists)")
                #expect(!lists.contains("signaalpartner") && !lists.contains("eindresultaat"), "no VS lists on an SHV report")
            }
            let kinds = try await fixture.pool.query("SELECT DISTINCT stroom FROM leveringen").map {
                try $0.decode("stroom", as: String.self)
            }
            #expect(kinds == ["SHV"])
        }
    }

    @Test(
        "a schuldhulptraject outside the SHV code list rejects the delivery as schema, pointing into schuldhulptrajecten; nothing is handed over"
    )
    func schemaRejected() async throws {
        try await ExchangeFixture.with(
            gemeenten: 1, suppliers: [Self.shv], faults: { _ in [FaultRule(.schemaViolation(.valueOutsideCodeList))] }
        ) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.klasse == "schema", "\(delivery)")
            #expect(fixture.sinkFiles(delivery.id).isEmpty && fixture.staged().isEmpty)
            let report = try await rapport(fixture, delivery.id)
            #expect(!report.schemaOvertredingen.isEmpty)
            #expect(report.schemaOvertredingen.allSatisfy { $0.pointer.hasPrefix("/leveringen/0/schuldhulptrajecten/0/") })
        }
    }

    @Test("counted instead of rejected, the same fault is an error of its schuldhulptraject on the report, under the threshold")
    func countedUnderThreshold() async throws {
        try await ExchangeFixture.with(
            gemeenten: 1, suppliers: [Self.shv], schemaViolations: .count,
            faults: { _ in [FaultRule(.schemaViolation(.valueOutsideCodeList))] }
        ) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "geslaagd", "\(delivery)")
            let stored = try #require(try await OpOrdeRapportStore(pool: fixture.pool).report(levering: delivery.id))
            let pages = try await LeveringQueue(pool: fixture.pool).pages(delivery.id).count
            #expect(stored.oordeel == .onderDrempel && stored.eenhedenMetFouten == pages, "one bad schuldhulptraject per page")
        }
    }
}
