import DDASClient
import Foundation
import Logging
import RegieApp
import RegieDomain
import RegieStore
import Synchronization
import Webhooks

/// The demonstration's meldingen: its key in the state folder (made once), mails as `.eml`
/// files in `meldingen/mail`, webhooks to a local endpoint that writes them to
/// `meldingen/webhooks`, and subscriptions for the project team, one gemeente and one
/// supplier, so that a new user sees what the service sends without a mail server.
struct DemoMeldingen {
    let state: URL
    let stores: RegieStores
    let publiekAdres: String
    let logger: Logger

    var folder: URL { state.appendingPathComponent("meldingen") }

    /// Runs `body` with the configuration while the webhook endpoint runs.
    func withRunning(_ body: (MeldingenConfiguration) async throws -> Void) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keyFile = folder.appendingPathComponent("sleutel")
        if !FileManager.default.fileExists(atPath: keyFile.path) {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
            FileManager.default.createFile(
                atPath: keyFile.path, contents: Data(Data(bytes).base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        }
        let configuration = MeldingenConfiguration(
            publiekAdres: publiekAdres, sleutel: try SecretReference("file:\(keyFile.path)"), afzender: "meldingen@ddas-regie.localhost",
            afzenderNaam: "DDAS regie (demonstratie)", mail: .map(folder.appendingPathComponent("mail").path),
            dagoverzicht: Dagoverzicht.Tijdstip("07:30"), tegelijk: 4, leaseSeconden: 60, pollSeconden: 2)
        let sleutel = try configuration.resolvedSleutel()
        // The endpoint knows its subscription's secrets once it subscribed (after it listens).
        let geheimen = Mutex<[WebhookSecret]>([])
        let ontvanger = DemoWebhookOntvanger(
            folder: folder.appendingPathComponent("webhooks"), geheimen: { geheimen.withLock { $0 } }, logger: logger)
        try await ontvanger.withRunning { url in
            let abonnement = try await DemoSeed(stores: stores, logger: logger).abonneer(webhook: url, stores: stores)
            geheimen.withLock { $0 = sleutel.webhookGeheimen(abonnement, at: Date()) }
            logger.notice(
                "demonstration: meldingen are written as files",
                metadata: [
                    "mail": "\(folder.appendingPathComponent("mail").path)",
                    "webhooks": "\(folder.appendingPathComponent("webhooks").path)",
                ])
            try await body(configuration)
        }
    }
}
