import Crypto
import Foundation

/// The hash chain of the audit trail.
///
/// Each event's hash is `SHA-256(previous hash ‖ canonical event)`, the first event's
/// previous hash being 32 zero bytes. The canonical event is JSON with sorted keys of
/// every field plus the event's sequence number, so that changing, removing, inserting or
/// reordering any event breaks every hash after it.
public enum AuditChain {
    /// The previous hash of the first event.
    public static let genesis = Data(repeating: 0, count: 32)

    /// The bytes that are hashed for an event.
    public static func canonical(_ event: AuditEvent, sequence: Int64) -> Data {
        let fields = CanonicalEvent(
            seq: sequence, occurredAt: timestamp(event.occurredAt), actor: event.actor, actorRole: event.actorRole,
            action: event.action, objectType: event.objectType, objectID: event.objectID, before: event.before,
            after: event.after, result: event.result.rawValue, origin: event.origin, requestID: event.requestID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings and integers only: encoding cannot fail.
        return (try? encoder.encode(fields)) ?? Data()
    }

    /// The hash of an event that follows `previous`.
    public static func hash(previous: Data, event: AuditEvent, sequence: Int64) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonical(event, sequence: sequence))
        return Data(hasher.finalize())
    }

    /// A time as the chain writes it: `2026-11-29T18:00:34.123456Z` (UTC, microseconds).
    public static func timestamp(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction))
    }

    private struct CanonicalEvent: Encodable {
        let seq: Int64
        let occurredAt: String
        let actor: String
        let actorRole: String
        let action: String
        let objectType: String
        let objectID: String
        let before: [String: String]?
        let after: [String: String]?
        let result: String
        let origin: String
        let requestID: String?
    }
}
