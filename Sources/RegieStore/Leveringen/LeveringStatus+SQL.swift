import RegieDomain

/// The statuses as the queue's SQL writes them, in one place. They are literals, not
/// parameters: the queue's partial indexes (migrations 0005, 0006 and 0009) name their
/// statuses literally, and the planner proves that a query may use such an index only from
/// constants. They are built from the enum's raw values, never from input.
enum LeveringStatusSQL {
    /// `('gepland', 'mislukt')`: the due statuses the queue claims from.
    static let waiting = list(LeveringStatus.waiting)
    /// `('geslaagd', 'opgegeven', 'geannuleerd')`.
    static let final = list(LeveringStatus.final)
    /// `'bezig'`: an attempt under a lease.
    static let bezig = literal(.bezig)
    /// Every status but `geannuleerd`: the leveringen that count for a period.
    static let notCancelled = list(LeveringStatus.allCases.filter { $0 != .geannuleerd })

    static func literal(_ status: LeveringStatus) -> String { "'\(status.rawValue)'" }

    static func list(_ statuses: [LeveringStatus]) -> String { "(" + statuses.map(literal).joined(separator: ", ") + ")" }
}
