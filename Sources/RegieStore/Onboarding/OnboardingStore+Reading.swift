import Foundation
import Postgres
import RegieDomain

extension OnboardingStore {
    /// Where a gemeente stands, with its suppliers, latest DPIA and every consent record.
    public func status(_ code: Gemeentecode) async throws -> GemeenteStatus? {
        try await pool.withConnection { connection in
            guard let row = try await gemeenten.gemeente(code, on: connection) else { return nil }
            return GemeenteStatus(
                gemeente: row.gemeente, fase: row.fase, faseSinds: row.faseSinds, versie: row.versie,
                leveranciers: try await leveranciers.assignments(code, on: connection), dpia: try await dpia.latest(code, on: connection),
                toestemmingen: try await toestemmingen.records(code, on: connection))
        }
    }

    /// Every supplier with its services.
    public func suppliers() async throws -> [Leverancier] {
        try await diensten.suppliers(on: pool)
    }

    /// The gemeenten with active consent for a supplier on `day`, per stream.
    public func consentingGemeenten(for leverancierID: String, on day: PostgresDate) async throws -> [(Gemeentecode, Stroom)] {
        try await toestemmingen.consentingGemeenten(for: leverancierID, on: day, on: pool)
    }
}
