import Crypto
import Foundation
import Postgres
import RegieStore

/// What the sink and the database say about every delivery of a rig: handed over exactly
/// once, each page in the sink once with the checksum the manifest and the database record.
struct HandOverCheck: CustomStringConvertible {
    var deliveries = 0
    var geslaagd = 0
    /// Deliveries with more than one successful hand-over.
    var duplicates = 0
    /// Deliveries that are not geslaagd, or have no successful hand-over.
    var lost = 0
    /// Deliveries whose sink folder differs from the database: a page missing, a page too many,
    /// a checksum that differs, or no manifest.
    var sinkMismatches = 0
    /// Sink folders of deliveries that were never handed over.
    var strayFolders = 0
    /// Deliveries whose attempt was left unfinished by a process that died, then rescued.
    var rescued = 0
    /// Pages checked in the sink.
    var pages = 0

    var isClean: Bool { duplicates == 0 && lost == 0 && sinkMismatches == 0 && strayFolders == 0 && geslaagd == deliveries }

    var description: String {
        "\(deliveries) deliveries, \(geslaagd) geslaagd, \(pages) pages checked in the sink, \(rescued) rescued, \(duplicates) duplicates, \(lost) lost, \(sinkMismatches) sink mismatches"
    }
}

extension ServiceRig {
    /// Checks every delivery against the sink (see `HandOverCheck`).
    func checkHandOvers() async throws -> HandOverCheck {
        var check = HandOverCheck()
        let rows = try await pool.query(
            """
            SELECT l.id, l.status, count(p.*) FILTER (WHERE p.afgerond_op IS NOT NULL AND p.fout_klasse IS NULL) AS geslaagd
            FROM leveringen l LEFT JOIN levering_pogingen p ON p.levering_id = l.id GROUP BY l.id, l.status
            """)
        check.deliveries = rows.count
        check.rescued =
            try await pool.query(
                "SELECT count(DISTINCT levering_id) AS n FROM levering_pogingen WHERE afgerond_op IS NULL AND poging < (SELECT pogingen FROM leveringen WHERE id = levering_id)"
            ).first?.decode("n", as: Int.self) ?? 0
        var handedOver: Set<String> = []
        let queue = LeveringQueue(pool: pool)
        for row in rows {
            let id: UUID = try row.decode("id")
            let successes = try row.decode("geslaagd", as: Int.self)
            let geslaagd = try row.decode("status", as: String.self) == "geslaagd"
            if geslaagd { check.geslaagd += 1 }
            if successes > 1 { check.duplicates += 1 }
            if successes == 0 || !geslaagd {
                check.lost += 1
                continue
            }
            handedOver.insert(id.uuidString.lowercased())
            let recorded = try await queue.pages(id).map(\.sha256)
            if try !sinkMatches(id, recorded: recorded) { check.sinkMismatches += 1 }
            check.pages += recorded.count
        }
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: sink.path)) ?? []
        check.strayFolders = folders.filter { !$0.hasPrefix(".") && !handedOver.contains($0) }.count
        return check
    }

    /// Whether the sink folder of `id` holds exactly the recorded pages, each with its checksum,
    /// and a manifest that lists them.
    func sinkMatches(_ id: UUID, recorded: [String]) throws -> Bool {
        let folder = sink.appendingPathComponent(id.uuidString.lowercased())
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path),
            let listed = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["paginas"] as? [[String: Any]]
        else { return false }
        guard listed.compactMap({ $0["sha256"] as? String }) == recorded else { return false }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasPrefix("pagina-") && !$0.hasSuffix(".headers.json")
        }
        guard files.count == listed.count else { return false }
        for page in listed {
            guard let name = page["bestand"] as? String,
                let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            else { return false }
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            if digest != page["sha256"] as? String { return false }
        }
        return true
    }
}
