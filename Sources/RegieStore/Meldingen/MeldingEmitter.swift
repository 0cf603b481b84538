import Foundation
import Postgres
import RegieDomain

/// Where the changes that cause a melding record it, on the connection of the change's own
/// transaction: the melding (and its messages) commits with the change or not at all.
///
/// - A levering's status that becomes `opgegeven`, or `geannuleerd` because its consent ended
///   (revoked, lapsed, the gemeente switched supplier): ``levering(_:_:was:now:on:)``, called
///   by the queue wherever it writes a lifecycle decision, so every path is covered. A
///   cancellation by a person is not announced: the project team made it itself.
/// - A consent revoked: ``toestemmingIngetrokken(_:now:on:)``, in the revocation.
/// - An op-orde-rapport recorded `boven_drempel`: ``opOrdeRapport(_:now:on:)``, where it is
///   kept.
///
/// The facts are read from the rows (the gemeente's name from the register, the failure's
/// class, never its message): nothing from a payload.
public enum MeldingEmitter {
    /// Records what levering `id`'s change from `before` to `decision` announces, if anything.
    public static func levering(
        _ id: UUID, _ decision: LeveringDecision, was before: LeveringState, now: Date, on connection: PostgresConnection
    ) async throws {
        let state = decision.state
        guard state.status != before.status else { return }
        let announced =
            state.status == .opgegeven || (state.status == .geannuleerd && state.lastFailure == .consentWithdrawn)
        guard announced, let levering = try await leveringFeiten(id, on: connection) else { return }
        let melding =
            state.status == .opgegeven
            ? Melding.leveringOpgegeven(
                levering: id, gemeente: levering.gemeente, gemeenteNaam: levering.naam, leverancier: levering.leverancier,
                stroom: state.stroom, periode: levering.periode, pogingen: state.attempts,
                foutcode: state.lastFailure?.rawValue ?? "onbekend", at: now)
            : Melding.leveringGeannuleerd(
                levering: id, gemeente: levering.gemeente, gemeenteNaam: levering.naam, leverancier: levering.leverancier,
                stroom: state.stroom, periode: levering.periode, at: now)
        try await MeldingOutbox.record(melding, now: now, on: connection)
    }

    /// Records `toestemming.ingetrokken` for the revoked consent `record`.
    public static func toestemmingIngetrokken(_ record: ToestemmingRecord, now: Date, on connection: PostgresConnection) async throws {
        guard let naam = try await gemeenteNaam(record.gemeente, on: connection) else { return }
        try await MeldingOutbox.record(
            .toestemmingIngetrokken(
                toestemming: record.id, gemeente: record.gemeente, gemeenteNaam: naam, leverancier: record.leverancierID, at: now),
            now: now, on: connection)
    }

    /// Records `oporderapport.boven_drempel` when `report` is above its threshold; once per
    /// levering (a later attempt's report above it again adds nothing).
    public static func opOrdeRapport(_ report: StoredOpOrdeRapport, now: Date, on connection: PostgresConnection) async throws {
        guard report.oordeel == .bovenDrempel, let levering = try await leveringFeiten(report.leveringID, on: connection) else {
            return
        }
        let aandeel = report.eenheden > 0 ? Double(report.eenhedenMetFouten) / Double(report.eenheden) : 0
        try await MeldingOutbox.record(
            .opOrdeRapportBovenDrempel(
                levering: report.leveringID, gemeente: levering.gemeente, gemeenteNaam: levering.naam,
                leverancier: levering.leverancier, stroom: levering.stroom, periode: levering.periode,
                foutaandeel: min(1, max(0, aandeel)), drempel: report.drempel, at: now),
            now: now, on: connection)
    }

    /// What a levering's meldingen name: its gemeente (with the register's name), supplier,
    /// stream and period.
    struct LeveringFeiten {
        let gemeente: Gemeentecode
        let naam: String
        let leverancier: String
        let stroom: String
        let periode: String
    }

    static func leveringFeiten(_ id: UUID, on connection: PostgresConnection) async throws -> LeveringFeiten? {
        guard
            let row = try await connection.query(
                """
                SELECT l.gemeente_code, g.name, l.leverancier_id, l.stroom, l.periode
                FROM leveringen l JOIN gemeenten g ON g.code = l.gemeente_code WHERE l.id = $1
                """, [id]
            ).first,
            let code = Gemeentecode(try row.decode("gemeente_code", as: String.self))
        else { return nil }
        return LeveringFeiten(
            gemeente: code, naam: try row.decode("name"), leverancier: try row.decode("leverancier_id"), stroom: try row.decode("stroom"),
            periode: try row.decode("periode"))
    }

    static func gemeenteNaam(_ code: Gemeentecode, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("SELECT name FROM gemeenten WHERE code = $1", [code.rawValue]).first?.decode("name", as: String.self)
    }
}
