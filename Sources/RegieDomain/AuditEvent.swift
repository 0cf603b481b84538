import Foundation

/// One entry of the audit trail: who (a token id and role, or the command line or the
/// system), did what, to which object, with what result. `before` and `after` hold the
/// changed fields as text: never a secret, never personal data.
public struct AuditEvent: Sendable, Equatable {
    /// Whether the action happened or was refused.
    public enum Result: String, Sendable, Codable {
        case ok
        case refused
    }

    /// When it happened, to the microsecond.
    public var occurredAt: Date
    /// The token id of the actor; `cli` for the command line, `system` for the service itself.
    public var actor: String
    /// The actor's role (`admin` for the command line, `system` for the service).
    public var actorRole: String
    /// What was done, e.g. `token.created`, `consent.given`, `transition`.
    public var action: String
    /// The kind of object, e.g. `gemeente`, `token`.
    public var objectType: String
    /// The object's identity, e.g. `GM0363` or a token id.
    public var objectID: String
    /// Fields before the change.
    public var before: [String: String]?
    /// Fields after the change.
    public var after: [String: String]?
    /// The result.
    public var result: Result
    /// `api`, `cli`, `web` (the pages) or `system`.
    public var origin: String
    /// The request id of the API call, when there was one.
    public var requestID: String?

    public init(
        occurredAt: Date, actor: String, actorRole: String, action: String, objectType: String, objectID: String,
        before: [String: String]? = nil, after: [String: String]? = nil, result: Result = .ok, origin: String,
        requestID: String? = nil
    ) {
        self.occurredAt = AuditEvent.microseconds(occurredAt)
        self.actor = actor
        self.actorRole = actorRole
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.before = before
        self.after = after
        self.result = result
        self.origin = origin
        self.requestID = requestID
    }

    /// A time rounded to the microsecond, as PostgreSQL keeps it.
    public static func microseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }
}

/// Who an audit event names as actor, and through which door the action came.
public struct AuditActor: Sendable, Equatable {
    /// A token id, `cli` or `system`.
    public let actor: String
    /// The role, or `system`.
    public let role: String
    /// `api`, `cli`, `web` (the pages) or `system`.
    public let origin: String
    /// The API request id, if any.
    public let requestID: String?

    public init(actor: String, role: String, origin: String, requestID: String?) {
        self.actor = actor
        self.role = role
        self.origin = origin
        self.requestID = requestID
    }

    /// An API caller.
    public static func api(_ principal: Principal, requestID: String) -> AuditActor {
        AuditActor(actor: principal.tokenID, role: principal.role.rawValue, origin: "api", requestID: requestID)
    }

    /// An operator on the command line (who has no token: the machine's access control applies).
    public static let commandLine = AuditActor(actor: "cli", role: "admin", origin: "cli", requestID: nil)

    /// The service itself (delivery outcomes, consent events).
    public static let system = AuditActor(actor: "system", role: "system", origin: "system", requestID: nil)

    /// An event by this actor.
    public func event(
        _ action: String, objectType: String, objectID: String, before: [String: String]? = nil, after: [String: String]? = nil,
        result: AuditEvent.Result = .ok, at time: Date
    ) -> AuditEvent {
        AuditEvent(
            occurredAt: time, actor: actor, actorRole: role, action: action, objectType: objectType, objectID: objectID,
            before: before, after: after, result: result, origin: origin, requestID: requestID)
    }
}
