import Foundation
import Postgres
import RegieDomain
import RegieTestSupport
import Testing

@testable import RegieStore

@Suite("Active consent in SQL and in Swift")
struct ToestemmingActiefTests {
    @Test("toestemming_actief, which every query asks, agrees with ToestemmingRecord.isActive on every day around the window's edges")
    func functionAgreesWithSwiftRule() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let day = { (number: Int) in PostgresDate(year: 2026, month: 3, day: number) }
        let revokedAt = Date(timeIntervalSince1970: 1_773_000_000)
        var compared = 0
        var actives = Set<Bool>()
        for revoked in [nil, revokedAt] {
            for (van, tot) in [(10, nil), (10, 10), (10, 20), (5, 25)] as [(Int, Int?)] {
                let record = ToestemmingRecord(
                    id: UUID(), besluitID: UUID(), gemeente: try #require(Gemeentecode("GM0363")), leverancierID: "xxllnc", stroom: .vs,
                    besluitdatum: day(1), besluitvormendOrgaan: "college", documentreferentie: "B-1",
                    documentSHA256: String(repeating: "a", count: 64), geldigVan: day(van), geldigTot: tot.map(day),
                    vastgelegdDoor: "test", vastgelegdOp: revokedAt, ingetrokkenOp: revoked, ingetrokkenDoor: revoked.map { _ in "test" },
                    intrekkingsreden: revoked.map { _ in "test" })
                let row: [String: String?] = [
                    "geldig_van": record.geldigVan.description, "geldig_tot": record.geldigTot?.description,
                    "ingetrokken_op": revoked.map { ISO8601DateFormatter().string(from: $0) },
                ]
                let json = String(decoding: try JSONEncoder().encode(row), as: UTF8.self)
                for number in [1, 4, 5, 9, 10, 11, 19, 20, 21, 25, 26, 31] {
                    let inSQL = try await pool.query(
                        "SELECT toestemming_actief(jsonb_populate_record(NULL::toestemmingen, $1::jsonb), $2) AS actief",
                        [json, day(number)]
                    ).first?.decode("actief", as: Bool.self)
                    #expect(inSQL == record.isActive(on: day(number)), "\(row) on day \(number)")
                    actives.insert(record.isActive(on: day(number)))
                    compared += 1
                }
            }
        }
        #expect(compared == 96)
        #expect(actives == [true, false], "the cases hold both answers")
        await pool.close()
    }
}
