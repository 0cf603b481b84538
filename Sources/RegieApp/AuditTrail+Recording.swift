import RegieDomain
import RegieStore

extension AuditTrail: AuditRecording {
    /// Writes an event in a transaction of its own.
    public func record(_ event: AuditEvent) async throws {
        try await append(event)
    }

    /// Writes a refusal, counted per actor, action and minute.
    public func recordRefusal(_ event: AuditEvent) async throws {
        try await appendRefusal(event)
    }
}
