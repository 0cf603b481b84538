import DDASClient
import Foundation
import Logging
import RegieApp
import RegieDomain
import RegieStore

/// `serve --demo`: the seed (``DemoSeed``) and the in-process supplier simulator with its
/// test PKI (``DemoLeveranciers``). Only the `ddas-regie` executable links this module.
public struct RegieDemonstration: Demonstration {
    /// When the command started: the demonstration reports how long it took to be ready.
    let started: ContinuousClock.Instant

    public init() { started = .now }

    public func seed(_ stores: RegieStores, register: GemeentenRegister, logger: Logger) async throws {
        try await DemoSeed(stores: stores, logger: logger).seedIfNeeded(register: register)
    }

    public func withSuppliers(
        state: URL, register: GemeentenRegister, stores: RegieStores, schedule: LeveringSchedule, logger: Logger,
        _ body: (ExchangeConfiguration) async throws -> Void
    ) async throws {
        let suppliers = try await DemoLeveranciers.prepare(state: state, register: register, logger: logger)
        let history = DemoGeschiedenis(
            stores: stores, register: register, faults: suppliers.simulator.faults, schedule: schedule, started: started, logger: logger)
        try await history.prepare()
        try await suppliers.simulator.withRunningServer { running in
            logger.notice(
                "demonstration: the supplier simulator serves xxllnc and BKR, VS and SHV; CBS pages go to the sink",
                metadata: ["simulator": "\(running.origin)", "sink": "\(state.appendingPathComponent("cbs-sink").path)"])
            let exchange = try suppliers.exchange(at: running, state: state)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await history.run() }
                try await body(exchange)
                group.cancelAll()
            }
        }
    }

    public func withMeldingen(
        state: URL, stores: RegieStores, publiekAdres: String, logger: Logger, _ body: (MeldingenConfiguration) async throws -> Void
    ) async throws {
        try await DemoMeldingen(state: state, stores: stores, publiekAdres: publiekAdres, logger: logger).withRunning(body)
    }
}
