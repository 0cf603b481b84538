import Foundation
import Hummingbird
import Postgres
import RegieDomain
import RegieStore

/// Keeps a `gemeente` token to its own gemeente, and a `leverancier` token to the gemeenten
/// that have active consent for it (DESIGN.md §2): any other code is a 403, and the attempt
/// is written to the audit trail (as a refused event) so that the project team sees it.
struct ScopeGuard: Sendable {
    let refusals: Refusals
    /// Whether a gemeente has active consent for a supplier today.
    let hasConsent: @Sendable (Gemeentecode, String) async throws -> Bool

    /// The gemeente named by the path parameter `gemeentecode` (`GM0363` or `0363`), after the
    /// scope check; a malformed code is a 400.
    func gemeente(in context: RegieRequestContext, action: String) async throws -> Gemeentecode {
        guard let code = Gemeentecode(context.parameters.get("gemeentecode") ?? "") else {
            throw Problem(
                .badRequest, code: "invalid-gemeentecode", title: "Invalid gemeentecode",
                detail: "A gemeentecode is GM and four digits (GM0363) or the four digits alone (0363).",
                invalidParams: [.init(name: "gemeentecode", reason: "must be GM and four digits, or four digits")])
        }
        try await authorize(context, gemeente: code, action: action)
        return code
    }

    /// Allows the caller to act on `code`, or refuses: 401 without a caller (fail closed, even
    /// on a route that forgot to declare its roles), 403 and audited for another's gemeente.
    func authorize(_ context: RegieRequestContext, gemeente code: Gemeentecode, action: String) async throws {
        guard let principal = context.principal else { throw Problem.unauthorized }
        if principal.role == .leverancier {
            if let supplier = principal.scope, try await hasConsent(code, supplier) { return }
        } else if principal.mayActOn(gemeente: code) {
            return
        }
        let holder = principal.role == .leverancier ? "supplier" : "gemeente"
        try await refusals.forbid(
            principal, context: context, action: action, objectType: "gemeente", objectID: code.rawValue,
            detail: "This token is for \(holder) \(principal.scope ?? "?") and may not act on \(code.rawValue).")
    }
}

/// Writes audit events that change nothing else, each in a transaction of its own.
public protocol AuditRecording: Sendable {
    /// Writes an event.
    func record(_ event: AuditEvent) async throws
    /// Writes a refusal, counted per actor, action and minute (``AuditLog/appendRefusal(_:pool:)``).
    func recordRefusal(_ event: AuditEvent) async throws
}

/// The audit trail in PostgreSQL.
public struct PostgresAuditRecorder: AuditRecording {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func record(_ event: AuditEvent) async throws {
        try await AuditLog().append(event, pool: pool)
    }

    public func recordRefusal(_ event: AuditEvent) async throws {
        try await AuditLog().appendRefusal(event, pool: pool)
    }
}

extension ScopeGuard {
    /// The guard over the database of `pool`.
    init(refusals: Refusals, pool: PostgresPool) {
        self.init(refusals: refusals) { code, supplier in
            try await pool.query(
                """
                SELECT 1 FROM toestemmingen t
                JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                     AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                WHERE t.gemeente_code = $1 AND t.leverancier_id = $2 AND t.ingetrokken_op IS NULL
                  AND t.geldig_van <= $3 AND (t.geldig_tot IS NULL OR t.geldig_tot >= $3)
                """, [code.rawValue, supplier, amsterdamDay(Date())]
            ).count > 0
        }
    }
}
