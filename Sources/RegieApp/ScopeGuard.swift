import Foundation
import Hummingbird
import Postgres
import RegieDomain
import RegieStore

/// Keeps a `gemeente` token to its own gemeente: any other code is a 403, and the attempt
/// is written to the audit trail (as a refused event) so that the project team sees it.
struct ScopeGuard: Sendable {
    let audit: any AuditRecording

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
