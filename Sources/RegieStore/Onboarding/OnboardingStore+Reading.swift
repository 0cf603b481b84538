import Foundation
import Postgres
import RegieDomain

extension OnboardingStore {
    /// Where a gemeente stands, with its suppliers, latest DPIA and every consent record.
    public func status(_ code: Gemeentecode) async throws -> GemeenteStatus? {
        try await pool.withConnection { connection in
            guard
                let row = try await connection.query(
                    "SELECT code, name, province_code, province, arbeidsmarktregio, active, fase, fase_sinds, versie FROM gemeenten WHERE code = $1",
                    [code.rawValue]
                ).first
            else { return nil }
            let suppliers = try await connection.query(
                """
                SELECT stroom, leverancier_id, organisatienaam, van, tot FROM gemeente_leveranciers
                WHERE gemeente_code = $1 ORDER BY stroom, van
                """, [code.rawValue]
            ).map { row in
                SupplierAssignment(
                    stroom: Stroom(rawValue: try row.decode("stroom")) ?? .vs, leverancierID: try row.decode("leverancier_id"),
                    organisatienaam: try row.decode("organisatienaam"), van: try row.decode("van"), tot: try row.decode("tot"))
            }
            let dpia = try await connection.query(
                """
                SELECT id, besluitdatum, goedkeurende_rol, documentreferentie, document_sha256, vastgelegd_door, vastgelegd_op
                FROM dpia_akkoorden WHERE gemeente_code = $1 ORDER BY vastgelegd_op DESC, id LIMIT 1
                """, [code.rawValue]
            ).first.map { row in
                DPIARecord(
                    id: try row.decode("id"), besluitdatum: try row.decode("besluitdatum"),
                    goedkeurendeRol: try row.decode("goedkeurende_rol"),
                    documentreferentie: try row.decode("documentreferentie"), documentSHA256: try row.decode("document_sha256"),
                    vastgelegdDoor: try row.decode("vastgelegd_door"), vastgelegdOp: try row.decode("vastgelegd_op"))
            }
            return GemeenteStatus(
                gemeente: try PostgresGemeenteStore.gemeente(row), fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                versie: try row.decode("versie"), leveranciers: suppliers, dpia: dpia,
                toestemmingen: try await consents(code, on: connection))
        }
    }

    /// Every consent record of a gemeente, newest first.
    func consents(_ code: Gemeentecode, on connection: PostgresConnection) async throws -> [ConsentRecord] {
        try await connection.query(
            """
            SELECT id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan, documentreferentie,
                   document_sha256, geldig_van, geldig_tot, vastgelegd_door, vastgelegd_op, ingetrokken_op, ingetrokken_door, intrekkingsreden
            FROM toestemmingen WHERE gemeente_code = $1 ORDER BY vastgelegd_op DESC, stroom
            """, [code.rawValue]
        ).map(Self.consent)
    }

    static func consent(_ row: PostgresRow) throws -> ConsentRecord {
        guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
            let stroom = Stroom(rawValue: try row.decode("stroom"))
        else { throw PostgresError(.invalidValue, column: "gemeente_code", context: "not a consent record") }
        return ConsentRecord(
            id: try row.decode("id"), besluitID: try row.decode("besluit_id"), gemeente: code,
            leverancierID: try row.decode("leverancier_id"),
            stroom: stroom, besluitdatum: try row.decode("besluitdatum"), besluitvormendOrgaan: try row.decode("besluitvormend_orgaan"),
            documentreferentie: try row.decode("documentreferentie"), documentSHA256: try row.decode("document_sha256"),
            geldigVan: try row.decode("geldig_van"), geldigTot: try row.decode("geldig_tot"),
            vastgelegdDoor: try row.decode("vastgelegd_door"),
            vastgelegdOp: try row.decode("vastgelegd_op"), ingetrokkenOp: try row.decode("ingetrokken_op"),
            ingetrokkenDoor: try row.decode("ingetrokken_door"), intrekkingsreden: try row.decode("intrekkingsreden"))
    }

    /// Every supplier with its services.
    public func suppliers() async throws -> [Supplier] {
        let rows = try await pool.query(
            """
            SELECT l.id, l.naam, d.stroom, d.fase, d.fase_sinds, d.versie, d.bewijs FROM leveranciers l
            LEFT JOIN leverancier_diensten d ON d.leverancier_id = l.id ORDER BY l.id, d.stroom
            """)
        var suppliers: [Supplier] = []
        for row in rows {
            let id: String = try row.decode("id")
            var services = suppliers.last?.id == id ? suppliers.removeLast().diensten : []
            if let stroom = try row.decode("stroom", as: String?.self).flatMap(Stroom.init(rawValue:)) {
                services.append(
                    SupplierService(
                        stroom: stroom, fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                        versie: try row.decode("versie"),
                        bewijs: try row.decode("bewijs", as: PostgresJSON.self).decode([String: String].self)))
            }
            suppliers.append(Supplier(id: id, naam: try row.decode("naam"), diensten: services))
        }
        return suppliers
    }

    /// Whether `code` has active consent on `day` for `leverancierID`, its current supplier of
    /// that stream, for any stream.
    public func hasActiveConsent(_ code: Gemeentecode, leverancierID: String, on day: PostgresDate) async throws -> Bool {
        try await pool.query(
            """
            SELECT 1 FROM toestemmingen t
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                 AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            WHERE t.gemeente_code = $1 AND t.leverancier_id = $2 AND toestemming_actief(t, $3)
            """, [code.rawValue, leverancierID, day]
        ).count > 0
    }

    /// The gemeenten with active consent for a supplier on `day`, per stream.
    public func consentingGemeenten(for leverancierID: String, on day: PostgresDate) async throws -> [(Gemeentecode, Stroom)] {
        try await pool.query(
            """
            SELECT t.gemeente_code, t.stroom FROM toestemmingen t
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            WHERE t.leverancier_id = $1 AND toestemming_actief(t, $2)
            ORDER BY t.gemeente_code, t.stroom
            """, [leverancierID, day]
        ).compactMap { row in
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
                let stroom = Stroom(rawValue: try row.decode("stroom"))
            else { return nil }
            return (code, stroom)
        }
    }
}
