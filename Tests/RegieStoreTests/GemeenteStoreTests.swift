import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@Suite("Gemeenten register in PostgreSQL")
struct GemeenteStoreTests {
    func shippedRegister() throws -> GemeentenRegister {
        try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
    }

    @Test("the shipped register loads 342 gemeenten, and loading it again changes nothing")
    func loadsShippedRegister() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let store = PostgresGemeenteStore(pool: pool)
        let register = try shippedRegister()
        #expect(try await store.load(register) == RegisterLoadResult(inserted: 342, updated: 0, deactivated: 0, unchanged: 0))
        #expect(try await store.load(register) == RegisterLoadResult(inserted: 0, updated: 0, deactivated: 0, unchanged: 342))
        #expect(try await store.list(provinceCode: nil).count == 342)
        #expect(try await store.list(provinceCode: "PV21").count == 18)  // Fryslân
        let amsterdam = try #require(try await store.find(Gemeentecode("0363")!))
        #expect(amsterdam.name == "Amsterdam")
        #expect(amsterdam.province == "Noord-Holland")
        #expect(try await store.provinces().count == 12)
        await pool.close()
    }

    @Test("a later register renames, adds, and deactivates (never deletes); a returning code is active again")
    func laterRegister() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let store = PostgresGemeenteStore(pool: pool)
        let original = try shippedRegister()
        try await store.load(original)

        // A reorganisation: GM0014 renamed, GM0034 merged away, GM9901 new.
        var lines = try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        lines = lines.filter { !$0.hasPrefix("GM0034,") }.map {
            $0.hasPrefix("GM0014,") ? $0.replacingOccurrences(of: "GM0014,Groningen", with: "GM0014,Groningen-Stad") : $0
        }
        lines.append("GM9901,Nieuwgemeente,PV20,Groningen,Groningen")
        let later = try GemeentenRegister(csv: lines.joined(separator: "\n") + "\n")
        #expect(try await store.load(later) == RegisterLoadResult(inserted: 1, updated: 1, deactivated: 1, unchanged: 340))

        #expect(try await store.find(Gemeentecode("GM0014")!)?.name == "Groningen-Stad")
        let merged = try #require(try await store.find(Gemeentecode("GM0034")!))
        #expect(merged.isActive == false)
        #expect(try await store.list(provinceCode: nil).contains { $0.code.rawValue == "GM0034" } == false)
        #expect(try await store.list(provinceCode: nil).count == 342)
        #expect(try await pool.query("SELECT count(*) AS n FROM gemeenten").first?.decode("n", as: Int.self) == 343)

        #expect(try await store.load(original) == RegisterLoadResult(inserted: 0, updated: 2, deactivated: 1, unchanged: 340))
        #expect(try await store.find(Gemeentecode("GM0034")!)?.isActive == true)
        await pool.close()
    }
}
