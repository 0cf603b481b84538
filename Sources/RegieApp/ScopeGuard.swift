import Foundation
import Hummingbird
import Postgres
import RegieDomain
import RegieStore

/// Keeps a `gemeente` token to its own gemeente: any other code is a 403, and the attempt
/// is written to the audit trail (as a refused event) so that the project team sees it.
struct ScopeGuard: Sendable {
    let audit: any AuditRecording

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

    func authorize(_ context: RegieRequestContext, gemeente code: Gemeentecode, action: String) async throws {
        guard let principal = context.principal, !principal.mayActOn(gemeente: code) else { return }
        let actor = AuditActor.api(principal, requestID: context.requestID)
        try await audit.record(actor.event(action, objectType: "gemeente", objectID: code.rawValue, result: .refused, at: Date()))
        throw Problem.forbidden("This token is for gemeente \(principal.scope ?? "?") and may not act on \(code.rawValue).")
    }
}

/// Writes an audit event in a transaction of its own.
public protocol AuditRecording: Sendable {
    func record(_ event: AuditEvent) async throws
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
}
