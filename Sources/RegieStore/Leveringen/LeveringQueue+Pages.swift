import Foundation
import Postgres

/// A page of a delivery as handed over to CBS: counts and its checksum, never its content.
public struct OvergedragenPagina: Sendable, Equatable {
    public let pagina: Int
    public let records: Int
    public let bytes: Int
    /// SHA-256 of the page body, hex.
    public let sha256: String

    public init(pagina: Int, records: Int, bytes: Int, sha256: String) {
        self.pagina = pagina
        self.records = records
        self.bytes = bytes
        self.sha256 = sha256
    }
}

extension LeveringQueue {
    /// Records the pages of a hand-over, on the hand-over's connection (inside its transaction).
    /// A page recorded before (a repeated hand-over) is overwritten with the new figures.
    public static func recordPages(_ id: UUID, pages: [OvergedragenPagina], now: Date, on connection: PostgresConnection) async throws {
        for page in pages {
            try await connection.execute(
                """
                INSERT INTO levering_paginas (levering_id, pagina, records, bytes, sha256, overgedragen_op) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (levering_id, pagina) DO UPDATE SET records = $3, bytes = $4, sha256 = $5, overgedragen_op = $6
                """, [id, page.pagina, page.records, page.bytes, page.sha256, now])
        }
    }

    /// The pages a delivery handed over, in order.
    public func pages(_ id: UUID) async throws -> [OvergedragenPagina] {
        try await pool.query("SELECT pagina, records, bytes, sha256 FROM levering_paginas WHERE levering_id = $1 ORDER BY pagina", [id]).map
        {
            OvergedragenPagina(
                pagina: try $0.decode("pagina"), records: try $0.decode("records"), bytes: try $0.decode("bytes"),
                sha256: try $0.decode("sha256"))
        }
    }
}

extension LeveringQueue {
    /// Removes the attempt rows of deliveries that ended (`geslaagd`, `opgegeven`,
    /// `geannuleerd`) before `cutoff`; the deliveries and their pages stay. Returns how many.
    @discardableResult
    public func pruneAttempts(endedBefore cutoff: Date) async throws -> Int {
        try await pool.query(
            """
            DELETE FROM levering_pogingen p USING leveringen l
            WHERE p.levering_id = l.id AND l.status IN \(LeveringStatusSQL.final) AND l.afgerond_op < $1
            """, [cutoff]
        ).affectedRows
    }
}

extension LeveringQueue {
    /// The queue at a glance: deliveries per state, how many are due and waiting at `now`,
    /// and how long the oldest of those has waited (0 when none).
    public func statistics(now: Date) async throws -> (byState: [String: Int], waiting: Int, oldestWaitingSeconds: Double) {
        var byState: [String: Int] = [:]
        for row in try await pool.query("SELECT status, count(*) AS n FROM leveringen GROUP BY status") {
            byState[try row.decode("status", as: String.self)] = try row.decode("n", as: Int.self)
        }
        let due = try await pool.query(
            "SELECT count(*) AS n, min(volgende_poging_op) AS oudste FROM leveringen WHERE status IN \(LeveringStatusSQL.waiting) AND volgende_poging_op <= $1",
            [now]
        ).first
        let oldest = try due?.decode("oudste", as: Date?.self)
        return (byState, try due?.decode("n", as: Int.self) ?? 0, oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }
}

extension LeveringQueue {
    /// A manifest of a delivery that was handed over, waiting for the sink to confirm it.
    public struct PendingManifest: Sendable {
        public let levering: UUID
        public let manifest: Data
    }

    /// Records that the sink confirmed a delivery's manifest.
    public func confirmManifest(_ levering: UUID, now: Date) async throws {
        try await pool.query(
            "UPDATE levering_manifesten SET bevestigd_op = $2 WHERE levering_id = $1 AND bevestigd_op IS NULL", [levering, now])
    }

    /// Manifests recorded before `cutoff` that the sink has not confirmed (its commit step
    /// failed, or the process died after the hand-over committed), oldest first.
    public func unconfirmedManifests(recordedBefore cutoff: Date, limit: Int) async throws -> [PendingManifest] {
        try await pool.query(
            """
            SELECT levering_id, manifest FROM levering_manifesten
            WHERE bevestigd_op IS NULL AND vastgelegd_op < $1 ORDER BY vastgelegd_op LIMIT $2
            """, [cutoff, limit]
        ).map { PendingManifest(levering: try $0.decode("levering_id"), manifest: try $0.decode("manifest")) }
    }
}
