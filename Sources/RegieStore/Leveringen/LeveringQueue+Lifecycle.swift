import Foundation
import Postgres
import RegieDomain

/// How the queue applies ``LeveringLifecycle``'s decisions: it reads the row `FOR UPDATE`,
/// asks the lifecycle, and writes the state it decided, as it is, in the same transaction.
/// No status, attempt count or next moment is computed here.
extension LeveringQueue {
    /// The columns a ``LeveringState`` is read from.
    static let stateColumns =
        "id, stroom, status, pogingen, max_pogingen, lease_eigenaar, lease_tot, volgende_poging_op, gestart_op, afgerond_op, laatste_fout_klasse, laatste_fout"

    /// The state of the row `row` (read with ``stateColumns``).
    static func levering(_ row: PostgresRow) throws -> LeveringState {
        let status: String = try row.decode("status")
        guard let known = LeveringStatus(rawValue: status) else { throw UnknownStatus(status: status) }
        let klasse: String? = try row.decode("laatste_fout_klasse")
        return LeveringState(
            stroom: try row.decode("stroom"), status: known, attempts: try row.decode("pogingen"),
            maxAttempts: try row.decode("max_pogingen"), leaseOwner: try row.decode("lease_eigenaar"),
            leaseUntil: try row.decode("lease_tot"), nextAttemptAt: try row.decode("volgende_poging_op"),
            startedAt: try row.decode("gestart_op"), endedAt: try row.decode("afgerond_op"),
            lastFailure: klasse.flatMap(LeveringFailure.Klasse.init(rawValue:)), lastMessage: try row.decode("laatste_fout"))
    }

    /// A status in the database that ``LeveringStatus`` does not know.
    struct UnknownStatus: Error, CustomStringConvertible {
        let status: String
        var description: String { "a levering has the unknown status '\(status)'" }
    }

    /// Writes the state `decision` decided for levering `id`, which was `before`, with the
    /// melding the change announces (see ``MeldingEmitter``). The failure columns are written
    /// only when the decision changed them, so an old row's class that the lifecycle does not
    /// know is kept as it is.
    static func write(_ decision: LeveringDecision, to id: UUID, was before: LeveringState, now: Date, on connection: PostgresConnection)
        async throws
    {
        // The melding first: its row refers to the gemeente (a key-share lock), and the UPDATE
        // locks the supplier's slot row. Gemeenten before the slot row, as in the hand-over that
        // moves a supplier service (``OnboardingStore/lockServiceMovedByDelivery``); the other
        // order could deadlock with it.
        try await MeldingEmitter.levering(id, decision, was: before, now: now, on: connection)
        let (sql, parameters) = update(decision, of: id, was: before)
        try await connection.execute(sql, parameters)
    }

    /// The UPDATE that writes `decision` for levering `id` (which was `before`), with its
    /// parameters; `$1` is the id.
    static func update(_ decision: LeveringDecision, of id: UUID, was before: LeveringState) -> (String, [(any PostgresEncodable)?]) {
        let state = decision.state
        var parameters: [(any PostgresEncodable)?] = [
            id, state.status.rawValue, state.attempts, state.maxAttempts, state.leaseOwner, state.leaseUntil, state.nextAttemptAt,
            state.startedAt, state.endedAt,
        ]
        let failureChanged = state.lastFailure != before.lastFailure || state.lastMessage != before.lastMessage
        if failureChanged { parameters += [state.lastFailure?.rawValue, state.lastMessage] }
        return (
            """
            UPDATE leveringen SET status = $2, pogingen = $3, max_pogingen = $4, lease_eigenaar = $5, lease_tot = $6,
                                  volgende_poging_op = $7, gestart_op = $8, afgerond_op = $9\(failureChanged ? ", laatste_fout_klasse = $10, laatste_fout = $11" : "")
            WHERE id = $1
            """, parameters
        )
    }

    /// Writes the state `decision` decided for levering `id` (which was `before`), closes the
    /// attempt it ended with `figures`, and keeps `manifest` (when given) until the sink
    /// confirms it: one statement, after the melding the change announces.
    static func end(
        _ decision: LeveringDecision, of id: UUID, was before: LeveringState, figures: PogingFigures, manifest: Data? = nil, now: Date,
        on connection: PostgresConnection
    ) async throws {
        let (sql, written) = update(decision, of: id, was: before)
        var parameters = written
        var steps = ["levering AS (\(sql))"]
        if let attempt = decision.endedAttempt {
            let n = parameters.count
            parameters += [
                attempt, now, figures.httpStatus, decision.attemptFailure?.rawValue, figures.pages, figures.records, figures.bytes,
                figures.signing,
            ]
            steps.append(
                """
                poging AS (UPDATE levering_pogingen SET afgerond_op = $\(n + 2), http_status = $\(n + 3), fout_klasse = $\(n + 4),
                                                        paginas = $\(n + 5), records = $\(n + 6), bytes = $\(n + 7), ondertekening = $\(n + 8)
                           WHERE levering_id = $1 AND poging = $\(n + 1))
                """)
        }
        if let manifest {
            parameters += [manifest, now]
            let n = parameters.count
            steps.append(
                """
                manifest AS (INSERT INTO levering_manifesten (levering_id, manifest, vastgelegd_op) VALUES ($1, $\(n - 1), $\(n))
                             ON CONFLICT (levering_id) DO UPDATE SET manifest = EXCLUDED.manifest, vastgelegd_op = EXCLUDED.vastgelegd_op,
                                                                     bevestigd_op = NULL)
                """)
        }
        // The melding before the UPDATE, for the lock order (see `write`).
        try await MeldingEmitter.levering(id, decision, was: before, now: now, on: connection)
        try await connection.execute("WITH \(steps.joined(separator: ",\n")) SELECT 1", parameters)
    }

    /// Locks levering `id`, asks `lifecycle` what `event` does to it and writes the decision,
    /// on `connection` inside the caller's transaction. Nil when there is no such levering.
    static func transition(
        _ id: UUID, _ event: LeveringEvent, lifecycle: LeveringLifecycle, now: Date, on connection: PostgresConnection
    ) async throws -> Result<LeveringDecision, LeveringRefusal>? {
        guard let row = try await connection.query("SELECT \(stateColumns) FROM leveringen WHERE id = $1 FOR UPDATE", [id]).first
        else { return nil }
        return try await apply(event, to: row, lifecycle: lifecycle, now: now, on: connection)
    }

    /// Asks `lifecycle` what `event` does to the locked row `row` and writes the decision.
    static func apply(
        _ event: LeveringEvent, to row: PostgresRow, lifecycle: LeveringLifecycle, now: Date, on connection: PostgresConnection
    ) async throws -> Result<LeveringDecision, LeveringRefusal> {
        let id: UUID = try row.decode("id")
        let before = try levering(row)
        let result = lifecycle.decide(before, event, now: now)
        if case .success(let decision) = result {
            try await write(decision, to: id, was: before, now: now, on: connection)
        }
        return result
    }

    /// Whether a transition happened.
    static func succeeded(_ result: Result<LeveringDecision, LeveringRefusal>?) -> LeveringDecision? {
        guard case .success(let decision) = result else { return nil }
        return decision
    }
}
