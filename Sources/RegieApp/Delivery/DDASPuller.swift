import DDASClient
import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore

/// The puller of the real exchange: each claimed delivery is pulled from its supplier
/// service by the configured `SupplierClient`, its pages staged, and the hand-over (which
/// the worker runs inside the transaction that re-checks consent) gives them to the CBS sink
/// with a manifest and records their counts and checksums. A page with another gemeente's
/// data is also an audit event: it is a privacy incident at the supplier.
public struct DDASPuller: Puller {
    let exchange: Exchange
    let pool: PostgresPool
    let logger: Logger
    let now: @Sendable () -> Date

    public init(exchange: Exchange, pool: PostgresPool, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.exchange = exchange
        self.pool = pool
        self.logger = logger
        self.now = now
    }

    public func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
        guard let client = exchange.client(leverancierID: delivery.leverancierID, stroom: delivery.stroom.rawValue) else {
            throw PullFailure(
                errorClass: "configuration", isRetryable: false,
                message: "no connection is configured for \(delivery.leverancierID)/\(delivery.stroom.rawValue)")
        }
        let area: StagingArea
        do {
            area = try exchange.staging.area(levering: delivery.id, attempt: delivery.poging)
        } catch {
            throw PullFailure(errorClass: "staging", isRetryable: true, message: "the staging folder cannot be written")
        }
        let request = PullRequest(
            leveringID: delivery.id, attempt: delivery.poging, gemeentecode: delivery.gemeente.rawValue,
            organisatie: delivery.organisatienaam, periodeStart: delivery.periodeStart.description,
            periodeEind: delivery.periodeEind.description)
        let pulled: PulledDelivery
        do {
            pulled = try await client.pull(request, into: area)
        } catch {
            area.discard()
            if error.errorClass == "foreignGemeente" { await reportForeignData(delivery, failure: error) }
            throw PullFailure(
                errorClass: error.errorClass, isRetryable: error.isRetryable, message: error.message, retryAfter: error.retryAfter,
                httpStatus: error.httpStatus)
        }
        let sink = exchange.sink
        let now = self.now
        return PullResult(
            figures: .init(httpStatus: 200, pages: pulled.pages.count, records: pulled.records, bytes: pulled.bytes),
            handOver: { connection in
                let time = now()
                let manifest = DeliveryManifest(
                    leveringID: delivery.id, gemeentecode: delivery.gemeente.rawValue, leverancier: delivery.leverancierID,
                    stroom: delivery.stroom.rawValue, periode: delivery.periode, periodeStart: delivery.periodeStart.description,
                    periodeEind: delivery.periodeEind.description, doel: delivery.doel, pages: pulled.pages, overgedragenOp: time)
                try await sink.handOver(manifest, pages: pulled.pages)
                try await DeliveryQueue.recordPages(
                    delivery.id,
                    pages: pulled.pages.map {
                        OvergedragenPagina(pagina: $0.number, records: $0.records, bytes: $0.bytes, sha256: $0.sha256)
                    },
                    now: time, on: connection)
            },
            cleanUp: { area.discard() })
    }

    /// Records a page with data the pull did not ask for: codes and counts only.
    func reportForeignData(_ delivery: ClaimedLevering, failure: ExchangeFailure) async {
        logger.error(
            "a supplier sent data of another gemeente; the page was rejected whole",
            metadata: [
                "levering": "\(delivery.id)", "leverancier": "\(delivery.leverancierID)", "gemeente": "\(delivery.gemeente.rawValue)",
            ])
        do {
            try await pool.withTransaction { connection in
                try await AuditLog().append(
                    AuditActor.system.event(
                        "levering.vreemde_gegevens", objectType: "levering", objectID: delivery.id.uuidString.lowercased(),
                        after: [
                            "gemeente": delivery.gemeente.rawValue, "leverancier": delivery.leverancierID,
                            "stroom": delivery.stroom.rawValue,
                            "periode": delivery.periode, "melding": failure.message,
                        ], at: now()), on: connection)
            }
        } catch {
            logger.error("recording the privacy incident failed", metadata: ["levering": "\(delivery.id)", "error": "\(error)"])
        }
    }
}
