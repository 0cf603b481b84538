import Foundation
import Postgres
import RegieDomain

/// DPIA sign-offs in PostgreSQL. Every method runs on the executor it is given: the pool, or
/// the connection of the caller's transaction.
public struct DPIAStore: Sendable {
    public init() {}

    /// Records a sign-off by `actor`; returns its id.
    public func insert(
        _ input: OnboardingStore.DPIAInput, gemeente code: Gemeentecode, by actor: String, now: Date, on executor: some PostgresExecutor
    ) async throws -> UUID {
        let id = UUID()
        try await executor.execute(
            """
            INSERT INTO dpia_akkoorden (id, gemeente_code, besluitdatum, goedkeurende_rol, documentreferentie, document_sha256,
                                        vastgelegd_door, vastgelegd_op)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                id, code.rawValue, input.besluitdatum, input.goedkeurendeRol, input.documentreferentie, input.documentSHA256, actor,
                now,
            ])
        return id
    }

    /// A gemeente's latest sign-off.
    public func latest(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> DPIARecord? {
        try await executor.query(
            """
            SELECT id, besluitdatum, goedkeurende_rol, documentreferentie, document_sha256, vastgelegd_door, vastgelegd_op
            FROM dpia_akkoorden WHERE gemeente_code = $1 ORDER BY vastgelegd_op DESC, id LIMIT 1
            """, [code.rawValue]
        ).first.map { row in
            DPIARecord(
                id: try row.decode("id"), besluitdatum: try row.decode("besluitdatum"), goedkeurendeRol: try row.decode("goedkeurende_rol"),
                documentreferentie: try row.decode("documentreferentie"), documentSHA256: try row.decode("document_sha256"),
                vastgelegdDoor: try row.decode("vastgelegd_door"), vastgelegdOp: try row.decode("vastgelegd_op"))
        }
    }
}
