import Foundation
import Postgres
import RegieDomain

/// Reads the gemeenten register.
public protocol GemeenteStore: Sendable {
    /// Active gemeenten, by code; only those of one province when `provinceCode` is set.
    func list(provinceCode: String?) async throws -> [Gemeente]
    /// One gemeente, active or not.
    func find(_ code: Gemeentecode) async throws -> Gemeente?
    /// The provinces of active gemeenten: code and name.
    func provinces() async throws -> [(code: String, name: String)]
}

/// What loading a register changed.
public struct RegisterLoadResult: Sendable, Equatable {
    /// Codes new to the table.
    public var inserted: Int
    /// Rows whose name, province or region changed, or that were active again.
    public var updated: Int
    /// Codes no longer in the register, now inactive.
    public var deactivated: Int
    /// Rows the register left as they were.
    public var unchanged: Int

    public init(inserted: Int = 0, updated: Int = 0, deactivated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.deactivated = deactivated
        self.unchanged = unchanged
    }
}

/// The register in PostgreSQL.
public struct PostgresGemeenteStore: GemeenteStore {
    let pool: PostgresPool

    /// A store over `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func list(provinceCode: String?) async throws -> [Gemeente] {
        let rows = try await pool.query(
            """
            SELECT code, name, province_code, province, arbeidsmarktregio, active FROM gemeenten
            WHERE active AND ($1::text IS NULL OR province_code = $1) ORDER BY code
            """, [provinceCode])
        return try rows.map(Self.gemeente)
    }

    public func find(_ code: Gemeentecode) async throws -> Gemeente? {
        let rows = try await pool.query(
            "SELECT code, name, province_code, province, arbeidsmarktregio, active FROM gemeenten WHERE code = $1",
            [code.rawValue])
        return try rows.first.map(Self.gemeente)
    }

    public func provinces() async throws -> [(code: String, name: String)] {
        let rows = try await pool.query(
            "SELECT DISTINCT province_code, province FROM gemeenten WHERE active ORDER BY province_code")
        return try rows.map { (try $0.decode("province_code"), try $0.decode("province")) }
    }

    /// Makes the table match `register`, in one transaction: new codes inserted, changed
    /// rows updated, codes missing from the register deactivated (never deleted), returning
    /// codes reactivated, each changed row with a new version (the detail's ETag). Safe to run
    /// from several replicas at once.
    public func load(_ register: GemeentenRegister) async throws -> RegisterLoadResult {
        let gemeenten = register.gemeenten
        return try await pool.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock($1)", [Self.registerLockKey])
            let upserted = try await connection.query(
                """
                INSERT INTO gemeenten AS g (code, name, province_code, province, arbeidsmarktregio)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                ON CONFLICT (code) DO UPDATE SET
                    name = excluded.name, province_code = excluded.province_code, province = excluded.province,
                    arbeidsmarktregio = excluded.arbeidsmarktregio, active = true, deactivated_at = NULL, updated_at = now(),
                    versie = g.versie + 1
                WHERE (g.name, g.province_code, g.province, g.arbeidsmarktregio, g.active)
                    IS DISTINCT FROM (excluded.name, excluded.province_code, excluded.province, excluded.arbeidsmarktregio, true)
                RETURNING (xmax = 0) AS inserted
                """,
                [
                    gemeenten.map(\.code.rawValue), gemeenten.map(\.name), gemeenten.map(\.provinceCode),
                    gemeenten.map(\.province), gemeenten.map(\.arbeidsmarktregio),
                ])
            let deactivated = try await connection.execute(
                """
                UPDATE gemeenten SET active = false, deactivated_at = now(), updated_at = now(), versie = versie + 1
                WHERE active AND NOT (code = ANY($1::text[]))
                """, [gemeenten.map(\.code.rawValue)])
            var result = RegisterLoadResult()
            for row in upserted {
                if try row.decode("inserted", as: Bool.self) { result.inserted += 1 } else { result.updated += 1 }
            }
            result.deactivated = deactivated
            result.unchanged = gemeenten.count - result.inserted - result.updated
            return result
        }
    }

    static let registerLockKey = 4_221_342_000_002

    static func gemeente(_ row: PostgresRow) throws -> Gemeente {
        let text: String = try row.decode("code")
        guard let code = Gemeentecode(text) else {
            throw PostgresError(.invalidValue, column: "code", context: "not a gemeentecode")
        }
        return Gemeente(
            code: code, name: try row.decode("name"), provinceCode: try row.decode("province_code"),
            province: try row.decode("province"), arbeidsmarktregio: try row.decode("arbeidsmarktregio"),
            isActive: try row.decode("active"))
    }
}
