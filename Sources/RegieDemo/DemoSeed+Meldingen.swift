import Foundation
import RegieDomain
import RegieStore

extension DemoSeed {
    /// The note on the demonstration's subscriptions.
    static let abonnementNotitie = "DEMONSTRATIE"

    /// Subscribes, once, the project team's mailbox (every soort it may receive, the digest too)
    /// and Amsterdam's; and xxllnc's webhook endpoint to `webhook`, moved there at every start
    /// (the endpoint's port changes). Returns the webhook subscription.
    func abonneer(webhook: URL, stores: RegieStores) async throws -> MeldingAbonnement {
        let amsterdam = MeldingPartij.gemeente(Gemeentecode("GM0363")!)
        let mailboxes: [(MeldingPartij, String)] = [
            (.projectteam, "projectteam@ddas.demonstratie.example"), (amsterdam, "vroegsignalering@amsterdam.demonstratie.example"),
        ]
        for (partij, adres) in mailboxes where try await stores.abonnementen.list(of: partij).isEmpty {
            _ = try await stores.abonnementen.create(
                try MeldingAbonnementAanvraag(
                    kanaal: "email", adres: adres, soorten: Self.soorten(for: partij), omschrijving: Self.abonnementNotitie,
                    partij: partij.soort), for: partij, by: Self.actor)
        }
        let xxllnc = MeldingPartij.leverancier("xxllnc")
        let existing = try await stores.abonnementen.list(of: xxllnc, status: .actief).first {
            $0.kanaal == .webhook && $0.omschrijving == Self.abonnementNotitie
        }
        if let existing {
            guard existing.adres != webhook.absoluteString else { return existing }
            let moved = try await stores.abonnementen.change(existing.id, by: Self.actor) { current in
                try MeldingAbonnementAanvraag(wijziging: current, adres: webhook.absoluteString, soorten: nil, omschrijving: nil)
            }
            return moved ?? existing
        }
        return try await stores.abonnementen.create(
            try MeldingAbonnementAanvraag(
                kanaal: "webhook", adres: webhook.absoluteString, soorten: Self.soorten(for: xxllnc), omschrijving: Self.abonnementNotitie,
                partij: .leverancier), for: xxllnc, by: Self.actor)
    }

    /// Every soort a party of this kind may receive.
    static func soorten(for partij: MeldingPartij) -> [String] {
        MeldingSoort.allCases.filter { $0.partijen.contains(partij.soort) }.map(\.rawValue)
    }
}
