import Foundation
import Postgres

/// Leadership of a maintenance task by a lease row: the holder renews it each pass; when it
/// stops (crash, shutdown), another process takes over once the lease ran out. One statement,
/// so two processes never both win; correctness of the work itself never depends on it.
public struct Leadership: Sendable {
    let pool: PostgresPool
    /// This process's random id.
    public let owner: String

    public init(pool: PostgresPool, owner: String = UUID().uuidString.lowercased()) {
        self.pool = pool
        self.owner = owner
    }

    /// Takes or renews the lead of `task` until `now + ttl`; true when this process leads.
    public func lead(_ task: String, ttl: Duration, now: Date = Date()) async throws -> Bool {
        let until = now.addingTimeInterval(Double(ttl.components.seconds))
        return try await pool.query(
            """
            INSERT INTO leiderschap (taak, eigenaar, tot) VALUES ($1, $2, $3)
            ON CONFLICT (taak) DO UPDATE SET eigenaar = $2, tot = $3
            WHERE leiderschap.eigenaar = $2 OR leiderschap.tot < $4
            RETURNING eigenaar
            """, [task, owner, until, now]
        ).count == 1
    }

    /// Gives up the lead of `task` (at shutdown), so another process takes over at once.
    public func resign(_ task: String) async throws {
        try await pool.query("DELETE FROM leiderschap WHERE taak = $1 AND eigenaar = $2", [task, owner])
    }
}
