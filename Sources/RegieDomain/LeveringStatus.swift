/// Where a delivery stands (DESIGN.md §5): `gepland` → `bezig` → `geslaagd`; `bezig` →
/// `mislukt` → … → `opgegeven`; or `geannuleerd`.
public enum LeveringStatus: String, CaseIterable, Hashable, Sendable {
    /// Waiting for its first attempt, or for a manual retry.
    case gepland
    /// An attempt is running under a lease.
    case bezig
    /// The data reached CBS.
    case geslaagd
    /// An attempt failed; the next one waits until `nextAttemptAt`.
    case mislukt
    /// No more attempts: the failure is not retryable or the attempts are used up.
    case opgegeven
    /// Cancelled, by a person or because consent was withdrawn.
    case geannuleerd

    /// Whether no transition but a manual retry leaves this status.
    public var isFinal: Bool { self == .geslaagd || self == .opgegeven || self == .geannuleerd }

    /// The statuses an attempt may start from once it is due: what the queue claims.
    public static let waiting: [LeveringStatus] = [.gepland, .mislukt]
    /// The statuses no transition but a manual retry leaves.
    public static let final: [LeveringStatus] = allCases.filter(\.isFinal)
}

/// What a delivery is for; one delivery per gemeente, stream, period and purpose.
public enum LeveringDoel: String, CaseIterable, Hashable, Sendable {
    /// A test pull after consent; its success moves the gemeente to `api_getest`.
    case test
    /// A scheduled pull of a reporting period.
    case regulier
    /// A pull of a past period again (a backfill).
    case herlevering
}
