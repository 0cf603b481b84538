import Foundation
import Postgres
import RegieDomain

/// The claim: one statement, in autocommit, takes due deliveries for a worker.
///
/// Per supplier with due work it locks that supplier's row in `leverancier_slots` (migration
/// 0016) and reads how many of its deliveries are running (`bezet`, as it is when the lock is
/// granted), then takes the oldest due deliveries with consent active now, at most the
/// supplier's room, `FOR UPDATE SKIP LOCKED`, moves them to `bezig` and opens their attempt
/// records. The slot's count follows the status change through migration 0016's trigger, in
/// the same statement, so the limit is exact across all processes while claims for different
/// suppliers never wait for each other.
///
/// The statement first skips the slot rows another claim holds; only when that found nothing
/// does it run again waiting for them, so a claim never reports an empty queue while another
/// claim is merely deciding the same supplier's room.
///
/// The write applies ``LeveringLifecycle``'s claim decision (`bezig`, one attempt more, the
/// lease, the start kept or set now); the lifecycle is asked for every claimed row, and a test
/// holds the statement's writes to its decisions.
extension LeveringQueue {
    /// Claims up to `limit` due deliveries for `owner`, at most `perSupplierLimit` running per
    /// supplier across all processes, each with a lease until `now + lease`. Only deliveries
    /// with consent active now are taken; the cost is one index scan per supplier, whatever the
    /// length of the queue.
    public func claim(owner: String, limit: Int, perSupplierLimit: Int, lease: Duration, now: Date) async throws -> [ClaimedLevering] {
        let leaseUntil = now.addingTimeInterval(Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
        let parameters: [(any PostgresEncodable)?] = [now, perSupplierLimit, limit, amsterdamDay(now), owner, leaseUntil]
        var rows = try await pool.query(Self.claimSQL(waiting: false), parameters)
        if rows.count == 0 {
            rows = try await pool.query(Self.claimSQL(waiting: true), parameters)
        }
        var claimed: [ClaimedLevering] = []
        for row in rows {
            let before = try Self.levering(row)
            let id: UUID = try row.decode("id")
            guard
                case .success(let decision) = lifecycle.decide(before, .claimed(owner: owner, leaseUntil: leaseUntil), now: now),
                let leaseTot = decision.state.leaseUntil,
                let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
                let stroom = Stroom(rawValue: try row.decode("stroom"))
            else {
                // Left to the rescuer once its lease expires.
                logger.error("a claimed levering is not one the lifecycle lets claim", metadata: ["levering": "\(id)"])
                continue
            }
            claimed.append(
                ClaimedLevering(
                    id: id, gemeente: code, leverancierID: try row.decode("leverancier_id"), stroom: stroom,
                    periode: try row.decode("periode"), periodeStart: try row.decode("periode_start"),
                    periodeEind: try row.decode("periode_eind"), organisatienaam: try row.decode("organisatienaam"),
                    doel: try row.decode("doel"), poging: decision.state.attempts, leaseTot: leaseTot))
        }
        return claimed.sorted { $0.id.uuidString < $1.id.uuidString }
    }

    /// The claim statement; `waiting` waits for slot rows other claims hold instead of
    /// skipping them. Parameters: now, per-supplier limit, limit, the Amsterdam day of now,
    /// owner, lease end. Returns each claimed row's state before the claim (``stateColumns``)
    /// and what the worker needs to pull it.
    static func claimSQL(waiting: Bool) -> String {
        """
        WITH slots AS (
            SELECT s.leverancier_id, s.bezet FROM leverancier_slots s
            WHERE s.bezet < $2
              AND EXISTS (SELECT 1 FROM leveringen l WHERE l.leverancier_id = s.leverancier_id
                                                      AND l.status IN \(LeveringStatusSQL.waiting) AND l.volgende_poging_op <= $1)
            ORDER BY s.leverancier_id
            FOR UPDATE OF s\(waiting ? "" : " SKIP LOCKED")
        ), vooraf AS (
            SELECT k.* FROM slots s
            CROSS JOIN LATERAL (
                SELECT \(stateColumns.split(separator: ", ").map { "l.\($0)" }.joined(separator: ", ")) FROM leveringen l
                WHERE l.leverancier_id = s.leverancier_id AND l.status IN \(LeveringStatusSQL.waiting) AND l.volgende_poging_op <= $1
                  AND EXISTS (SELECT 1 FROM toestemmingen t
                              JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                                   AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                              WHERE t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id
                                AND t.stroom = l.stroom AND toestemming_actief(t, $4))
                ORDER BY l.volgende_poging_op, l.id
                LIMIT least($3, greatest(0, $2 - s.bezet))
                FOR UPDATE OF l SKIP LOCKED
            ) k
            ORDER BY k.volgende_poging_op, k.id
            LIMIT $3
        ), geclaimd AS (
            UPDATE leveringen l SET status = \(LeveringStatusSQL.bezig), pogingen = l.pogingen + 1, lease_eigenaar = $5, lease_tot = $6,
                                    gestart_op = coalesce(l.gestart_op, $1)
            FROM vooraf v WHERE l.id = v.id
            RETURNING l.id, l.gemeente_code, l.leverancier_id, l.periode, l.periode_start, l.periode_eind, l.doel, l.pogingen
        ), pogingen AS (
            INSERT INTO levering_pogingen (levering_id, poging, gestart_op) SELECT id, pogingen, $1 FROM geclaimd
        )
        SELECT v.*, g.gemeente_code, g.leverancier_id, g.periode, g.periode_start, g.periode_eind, g.doel,
               (SELECT a.organisatienaam FROM gemeente_leveranciers a
                WHERE a.gemeente_code = g.gemeente_code AND a.stroom = v.stroom AND a.leverancier_id = g.leverancier_id
                  AND a.tot IS NULL) AS organisatienaam
        FROM geclaimd g JOIN vooraf v ON v.id = g.id
        """
    }
}
