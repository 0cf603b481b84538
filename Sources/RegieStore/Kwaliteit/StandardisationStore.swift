import Foundation
import Postgres
import RegieDomain

/// An entry of the standardisation table the project team maintains: a free text of a code
/// list and the official value (or `ONBEKEND`) it stands for.
public struct Vertaling: Sendable, Equatable {
    public let id: UUID
    /// The code list: `eindresultaat`, `contactsoort`, ….
    public let lijst: String
    /// The text as entered.
    public let tekst: String
    /// The text normalised: what a text is matched on.
    public let sleutel: String
    public let waarde: String
    /// The number of the change that wrote the entry.
    public let versie: Int64
    public let gewijzigdOp: Date
    /// The token id of whoever changed it last.
    public let gewijzigdDoor: String
}

/// One change to the standardisation table.
public struct VertalingWijziging: Sendable, Equatable {
    public let versie: Int64
    public let vertalingID: UUID
    public let lijst: String
    public let tekst: String
    /// `toegevoegd`, `gewijzigd` or `verwijderd`.
    public let actie: String
    public let waardeVoor: String?
    public let waardeNa: String?
    public let gewijzigdOp: Date
    public let gewijzigdDoor: String
}

/// Reads and changes the standardisation table. Every change writes a history row and an
/// audit event in the same transaction.
public struct StandardisationStore: Sendable {
    let pool: PostgresPool
    let audit = AuditLog()

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The entries, of one list or of all, in list and text order.
    public func entries(lijst: String? = nil) async throws -> [Vertaling] {
        try await pool.query(
            "\(Self.columns) WHERE $1::text IS NULL OR lijst = $1 ORDER BY lijst, sleutel", [lijst]
        ).map(Self.vertaling)
    }

    /// One entry.
    public func entry(_ id: UUID) async throws -> Vertaling? {
        try await pool.query("\(Self.columns) WHERE id = $1", [id]).first.map(Self.vertaling)
    }

    /// The changes of one entry, oldest first.
    public func history(_ id: UUID) async throws -> [VertalingWijziging] {
        try await pool.query(
            """
            SELECT versie, vertaling_id, lijst, tekst, actie, waarde_voor, waarde_na, gewijzigd_op, gewijzigd_door
            FROM standaardisatie_wijzigingen WHERE vertaling_id = $1 ORDER BY versie
            """, [id]
        ).map { row in
            VertalingWijziging(
                versie: try row.decode("versie"), vertalingID: try row.decode("vertaling_id"), lijst: try row.decode("lijst"),
                tekst: try row.decode("tekst"), actie: try row.decode("actie"), waardeVoor: try row.decode("waarde_voor"),
                waardeNa: try row.decode("waarde_na"), gewijzigdOp: try row.decode("gewijzigd_op"),
                gewijzigdDoor: try row.decode("gewijzigd_door"))
        }
    }

    /// The table's version: the number of its latest change (0 before any).
    public func version() async throws -> Int64 {
        try await pool.query("SELECT coalesce(max(versie), 0) AS versie FROM standaardisatie_wijzigingen").first?.decode("versie") ?? 0
    }

    /// Sets the value of `tekst` (matched as `sleutel`) in `lijst`: adds the entry, or changes
    /// the one with the same key. Returns the entry and whether it was new; an entry that
    /// already has this value is returned unchanged, with no history row.
    public func put(
        lijst: String, tekst: String, sleutel: String, waarde: String, actor: AuditActor, now: Date
    ) async throws -> (vertaling: Vertaling, created: Bool) {
        try await pool.withTransaction { connection in
            let existing = try await connection.query(
                "\(Self.columns) WHERE lijst = $1 AND sleutel = $2 FOR UPDATE", [lijst, sleutel]
            ).first.map(Self.vertaling)
            if let existing, existing.waarde == waarde { return (existing, false) }
            let id = existing?.id ?? UUID()
            let versie: Int64 =
                try await connection.query(
                    """
                    INSERT INTO standaardisatie_wijzigingen (vertaling_id, lijst, tekst, actie, waarde_voor, waarde_na, gewijzigd_op, gewijzigd_door)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING versie
                    """, [id, lijst, tekst, existing == nil ? "toegevoegd" : "gewijzigd", existing?.waarde, waarde, now, actor.actor]
                ).first?.decode("versie") ?? 0
            try await connection.execute(
                """
                INSERT INTO standaardisatie_vertalingen (id, lijst, tekst, sleutel, waarde, versie, gewijzigd_op, gewijzigd_door)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (lijst, sleutel) DO UPDATE SET tekst = $3, waarde = $5, versie = $6, gewijzigd_op = $7, gewijzigd_door = $8
                """, [id, lijst, tekst, sleutel, waarde, versie, now, actor.actor])
            _ = try await audit.append(
                actor.event(
                    existing == nil ? "standaardisatie.toegevoegd" : "standaardisatie.gewijzigd", objectType: "vertaling",
                    objectID: id.uuidString.lowercased(),
                    before: existing.map { ["lijst": lijst, "tekst": tekst, "waarde": $0.waarde] },
                    after: ["lijst": lijst, "tekst": tekst, "waarde": waarde, "versie": String(versie)], at: now),
                on: connection)
            let saved = try await connection.query("\(Self.columns) WHERE id = $1", [id]).first.map(Self.vertaling)
            guard let saved else { throw StandardisationStoreError.vanished }
            return (saved, existing == nil)
        }
    }

    /// Removes an entry; false when there is none.
    public func delete(_ id: UUID, actor: AuditActor, now: Date) async throws -> Bool {
        try await pool.withTransaction { connection in
            guard
                let existing = try await connection.query("\(Self.columns) WHERE id = $1 FOR UPDATE", [id]).first.map(Self.vertaling)
            else { return false }
            let versie: Int64 =
                try await connection.query(
                    """
                    INSERT INTO standaardisatie_wijzigingen (vertaling_id, lijst, tekst, actie, waarde_voor, waarde_na, gewijzigd_op, gewijzigd_door)
                    VALUES ($1, $2, $3, 'verwijderd', $4, NULL, $5, $6) RETURNING versie
                    """, [id, existing.lijst, existing.tekst, existing.waarde, now, actor.actor]
                ).first?.decode("versie") ?? 0
            try await connection.execute("DELETE FROM standaardisatie_vertalingen WHERE id = $1", [id])
            _ = try await audit.append(
                actor.event(
                    "standaardisatie.verwijderd", objectType: "vertaling", objectID: id.uuidString.lowercased(),
                    before: ["lijst": existing.lijst, "tekst": existing.tekst, "waarde": existing.waarde],
                    after: ["versie": String(versie)], at: now),
                on: connection)
            return true
        }
    }

    static let columns = "SELECT id, lijst, tekst, sleutel, waarde, versie, gewijzigd_op, gewijzigd_door FROM standaardisatie_vertalingen"

    static func vertaling(_ row: PostgresRow) throws -> Vertaling {
        Vertaling(
            id: try row.decode("id"), lijst: try row.decode("lijst"), tekst: try row.decode("tekst"), sleutel: try row.decode("sleutel"),
            waarde: try row.decode("waarde"), versie: try row.decode("versie"), gewijzigdOp: try row.decode("gewijzigd_op"),
            gewijzigdDoor: try row.decode("gewijzigd_door"))
    }
}

/// A change to the standardisation table that could not be completed.
public enum StandardisationStoreError: Error, Sendable {
    /// The entry written was not found right after (a concurrent delete).
    case vanished
}
