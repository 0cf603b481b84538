import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The one way a request is refused with 403 (DESIGN.md §2): the attempt goes to the audit
/// trail as a refused event first, then the caller gets the answer. Repeated refusals of a
/// token for one action are counted per minute rather than each written
/// (``AuditLog/appendRefusal(_:pool:)``), so a client that keeps trying cannot flood the trail.
///
/// The API throws ``forbid(_:context:action:objectType:objectID:detail:)``; the pages record
/// with ``record(_:action:objectType:objectID:)`` and show their own page. A 403 without a known
/// caller (a cross-site sign-in, a sign-out without a session) has no one to name and is not recorded.
struct Refusals: Sendable {
    let audit: any AuditRecording
    /// The time of the events.
    let now: @Sendable () -> Date

    /// Records that `actor` was refused `action` on the object.
    func record(_ actor: AuditActor, action: String, objectType: String, objectID: String) async throws {
        try await audit.recordRefusal(actor.event(action, objectType: objectType, objectID: objectID, result: .refused, at: now()))
    }

    /// Records the refusal of an API caller and throws the 403 problem.
    func forbid(
        _ principal: Principal, context: RegieRequestContext, action: String, objectType: String, objectID: String, detail: String
    ) async throws -> Never {
        try await record(.api(principal, requestID: context.requestID), action: action, objectType: objectType, objectID: objectID)
        throw Problem(.forbidden, code: "forbidden", title: "Forbidden", detail: detail)
    }
}

/// Writes audit events that change nothing else, each in a transaction of its own.
public protocol AuditRecording: Sendable {
    /// Writes an event.
    func record(_ event: AuditEvent) async throws
    /// Writes a refusal, counted per actor, action and minute (``AuditLog/appendRefusal(_:pool:)``).
    func recordRefusal(_ event: AuditEvent) async throws
}
