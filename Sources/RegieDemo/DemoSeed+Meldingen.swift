import Foundation
import RegieDomain
import RegieStore

extension DemoSeed {
    /// The id of the demonstration's webhook subscription (xxllnc's), fixed so that its secret
    /// and its address can be found again at every start.
    static let webhookAbonnement = UUID(uuidString: "7e0a4c1e-5d1b-4f8e-9a43-000000000022")!

    /// Subscribes the project team, one gemeente and xxllnc (by webhook, to `webhook`).
    func abonneer(webhook: URL) async throws {}
}
