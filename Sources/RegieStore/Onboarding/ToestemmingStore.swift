import Foundation
import Postgres
import RegieDomain

/// Consent records (toestemmingen) in PostgreSQL. Whether a record is active on a day is
/// decided in one place, the function `toestemming_actief` (migration 0015), which agrees
/// with ``ToestemmingRecord/isActive(on:)``. Every method runs on the executor it is given: the
/// pool, or the connection of the caller's transaction.
public struct ToestemmingStore: Sendable {
    public init() {}

    /// Every consent record of a gemeente, newest first.
    public func records(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> [ToestemmingRecord] {
        try await executor.query(
            """
            SELECT \(Self.columns) FROM toestemmingen WHERE gemeente_code = $1 ORDER BY vastgelegd_op DESC, stroom
            """, [code.rawValue]
        ).map(Self.record)
    }

    /// The records with these ids, newest first.
    public func records(_ ids: [UUID], on executor: some PostgresExecutor) async throws -> [ToestemmingRecord] {
        try await executor.query(
            """
            SELECT \(Self.columns) FROM toestemmingen WHERE id = ANY($1::uuid[]) ORDER BY vastgelegd_op DESC, stroom
            """, [ids.map(\.uuidString)]
        ).map(Self.record)
    }

    /// A gemeente's record by its id.
    public func record(_ id: UUID, gemeente code: Gemeentecode, on executor: some PostgresExecutor) async throws -> ToestemmingRecord? {
        try await executor.query(
            "SELECT \(Self.columns) FROM toestemmingen WHERE id = $1 AND gemeente_code = $2", [id, code.rawValue]
        ).first.map(Self.record)
    }

    /// Closes the open record of a gemeente, supplier and stream whose validity ended before
    /// `now`'s day, and returns the one that stays open, if any: one statement.
    public func closeExpiredAndFindOpen(
        _ code: Gemeentecode, leverancierID: String, stroom: Stroom, now: Date, on executor: some PostgresExecutor
    ) async throws -> UUID? {
        try await executor.query(
            """
            WITH closed AS (
                UPDATE toestemmingen SET ingetrokken_op = $4, ingetrokken_door = 'system', intrekkingsreden = 'geldigheid verlopen'
                WHERE gemeente_code = $1 AND leverancier_id = $2 AND stroom = $3 AND ingetrokken_op IS NULL AND geldig_tot < $5
                RETURNING id
            )
            SELECT id FROM toestemmingen
            WHERE gemeente_code = $1 AND leverancier_id = $2 AND stroom = $3 AND ingetrokken_op IS NULL
              AND id NOT IN (SELECT id FROM closed)
            """, [code.rawValue, leverancierID, stroom.rawValue, now, amsterdamDay(now)]
        ).first?.decode("id", as: UUID.self)
    }

    /// Records consent for one stream, part of decision `besluit`; returns its id. A
    /// concurrent open record makes it ``OnboardingError/consentExists(stroom:id:)``.
    public func insert(
        _ input: OnboardingStore.ToestemmingInput, stroom: Stroom, besluit: UUID, gemeente code: Gemeentecode, by actor: String, now: Date,
        on executor: some PostgresExecutor
    ) async throws -> UUID {
        let id = UUID()
        do {
            try await executor.execute(
                """
                INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                           documentreferentie, document_sha256, geldig_van, geldig_tot, vastgelegd_door, vastgelegd_op)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                """,
                [
                    id, besluit, code.rawValue, input.leverancierID, stroom.rawValue, input.besluitdatum, input.besluitvormendOrgaan,
                    input.documentreferentie, input.documentSHA256, input.geldigVan, input.geldigTot, actor, now,
                ])
        } catch let error as PostgresError where error.isUniqueViolation {
            // A concurrent request registered one first (the row lock makes this rare).
            throw OnboardingError.consentExists(stroom: stroom, id: nil)
        }
        return id
    }

    /// Revokes a record, by `actor`, for `reason`; returns it as revoked.
    @discardableResult
    public func revoke(_ id: UUID, by actor: String, reason: String, now: Date, on executor: some PostgresExecutor) async throws
        -> ToestemmingRecord?
    {
        try await executor.query(
            "UPDATE toestemmingen SET ingetrokken_op = $2, ingetrokken_door = $3, intrekkingsreden = $4 WHERE id = $1 RETURNING \(Self.columns)",
            [id, now, actor, reason]
        ).first.map(Self.record)
    }

    static let columns = """
        id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan, documentreferentie, document_sha256,
        geldig_van, geldig_tot, vastgelegd_door, vastgelegd_op, ingetrokken_op, ingetrokken_door, intrekkingsreden
        """

    /// The gemeenten with active consent for a supplier, their current one, on `day`, per stream.
    public func consentingGemeenten(for leverancierID: String, on day: PostgresDate, on executor: some PostgresExecutor) async throws
        -> [(Gemeentecode, Stroom)]
    {
        try await executor.query(
            """
            SELECT t.gemeente_code, t.stroom FROM toestemmingen t
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            WHERE t.leverancier_id = $1 AND toestemming_actief(t, $2)
            ORDER BY t.gemeente_code, t.stroom
            """, [leverancierID, day]
        ).compactMap { row in
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
                let stroom = Stroom(rawValue: try row.decode("stroom"))
            else { return nil }
            return (code, stroom)
        }
    }

    /// Whether `code` has active consent on `day` for `leverancierID`, its current supplier of
    /// that stream, for any stream.
    public func hasActiveConsent(
        _ code: Gemeentecode, leverancierID: String, on day: PostgresDate, on executor: some PostgresExecutor
    ) async throws -> Bool {
        try await executor.query(
            """
            SELECT 1 FROM toestemmingen t
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                 AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            WHERE t.gemeente_code = $1 AND t.leverancier_id = $2 AND toestemming_actief(t, $3)
            """, [code.rawValue, leverancierID, day]
        ).count > 0
    }

    static func record(_ row: PostgresRow) throws -> ToestemmingRecord {
        guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
            let stroom = Stroom(rawValue: try row.decode("stroom"))
        else { throw PostgresError(.invalidValue, column: "gemeente_code", context: "not a consent record") }
        return ToestemmingRecord(
            id: try row.decode("id"), besluitID: try row.decode("besluit_id"), gemeente: code,
            leverancierID: try row.decode("leverancier_id"),
            stroom: stroom, besluitdatum: try row.decode("besluitdatum"), besluitvormendOrgaan: try row.decode("besluitvormend_orgaan"),
            documentreferentie: try row.decode("documentreferentie"), documentSHA256: try row.decode("document_sha256"),
            geldigVan: try row.decode("geldig_van"), geldigTot: try row.decode("geldig_tot"),
            vastgelegdDoor: try row.decode("vastgelegd_door"),
            vastgelegdOp: try row.decode("vastgelegd_op"), ingetrokkenOp: try row.decode("ingetrokken_op"),
            ingetrokkenDoor: try row.decode("ingetrokken_door"), intrekkingsreden: try row.decode("intrekkingsreden"))
    }
}
