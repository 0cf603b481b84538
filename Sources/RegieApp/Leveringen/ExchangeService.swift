import DDASClient
import Foundation
import RegieDomain
import ServiceLifecycle

/// Keeps the exchange's HTTP clients open while the service runs and closes them after the
/// workers stopped (services stop in reverse order: add this one before the workers).
/// Removes staged pages left by a process that died mid-pull when it starts.
struct ExchangeService: Service {
    let exchange: Exchange

    func run() async throws {
        exchange.staging.prune(olderThan: 86_400)
        try? await gracefulShutdown()
        await exchange.shutdown()
    }
}

extension LeveringSchedule {
    /// The delivery worker's limits from the schedule: the lease and per-supplier limit of
    /// the streams (the strictest when they differ), a heartbeat four times per lease.
    func workerConfiguration(concurrency: Int = 8) -> LeveringWorker.Configuration {
        let lease = streams.values.map(\.lease).min() ?? .seconds(120)
        let perSupplier = streams.values.map(\.perSupplier).min() ?? 4
        return LeveringWorker.Configuration(concurrency: concurrency, perSupplierLimit: perSupplier, lease: lease, heartbeat: lease / 4)
    }

    /// The rescuer looks twice per lease (at most every 30 seconds), so a dead worker's
    /// deliveries are back in the queue soon after its lease expired.
    func rescuerConfiguration() -> LeaseRescuer.Configuration {
        let lease = streams.values.map(\.lease).min() ?? .seconds(120)
        return LeaseRescuer.Configuration(interval: min(.seconds(30), lease / 2))
    }
}
