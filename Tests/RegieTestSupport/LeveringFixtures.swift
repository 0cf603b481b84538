import Foundation
import Postgres
import RegieDomain
import RegieStore

/// Deliveries and the consent they need, made quickly for tests.
public enum LeveringFixtures {
    /// The first `count` gemeenten of the shipped register.
    public static func gemeenten(_ count: Int) throws -> [Gemeentecode] {
        Array(
            try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)).gemeenten.map(
                \.code
            ).prefix(count))
    }

    /// Gives `codes` the supplier for `stroom` (VS unless told; known there as `Gemeente <name>`)
    /// and active consent to it (straight in SQL).
    public static func grantConsent(_ codes: [Gemeentecode], supplier: String = "xxllnc", stroom: String = "VS", pool: PostgresPool)
        async throws
    {
        let texts = codes.map(\.rawValue)
        try await pool.query(
            """
            INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
            SELECT gen_random_uuid(), g.code, $3, $2, 'Gemeente ' || g.name, now(), 'test'
            FROM unnest($1::text[]) AS u(code) JOIN gemeenten g ON g.code = u.code
            """, [texts, supplier, stroom])
        try await pool.query(
            """
            INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                       documentreferentie, document_sha256, geldig_van, vastgelegd_door)
            SELECT gen_random_uuid(), gen_random_uuid(), code, $2, $3, '2025-10-01', 'college', 'B-1', repeat('ab', 32), '2025-11-01', 'test'
            FROM unnest($1::text[]) AS code
            """, [texts, supplier, stroom])
    }

    /// One regular 2026-Q1 delivery per gemeente (of VS unless told).
    public static func requests(
        _ codes: [Gemeentecode], supplier: String = "xxllnc", stroom: Stroom = .vs, periode: String = "2026-Q1", maxPogingen: Int = 3,
        notBefore: Date
    ) -> [LeveringRequest] {
        codes.map {
            LeveringRequest(
                gemeente: $0, leverancierID: supplier, stroom: stroom, periode: periode,
                periodeStart: PostgresDate(year: 2026, month: 1, day: 1),
                periodeEind: PostgresDate(year: 2026, month: 3, day: 31), doel: "regulier", maxPogingen: maxPogingen, notBefore: notBefore)
        }
    }

    /// Loads the register into the database of `pool`.
    public static func database(into pool: PostgresPool) async throws {
        try await PostgresGemeenteStore(pool: pool).load(
            try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)))
    }

    /// A migrated database with the register loaded.
    public static func database(poolSize: Int = 4) async throws -> PostgresPool {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase(), size: poolSize)
        try await PostgresGemeenteStore(pool: pool).load(
            try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)))
        return pool
    }
}
