import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore
import ServiceLifecycle
import Synchronization

/// Claims deliveries and pulls them, as a `Service`.
///
/// It keeps up to `concurrency` pulls running: it claims due deliveries (SKIP LOCKED, the
/// per-supplier limit counted across all processes) for the slots that are free, pulls them
/// concurrently while a heartbeat extends each lease, ends each in one transaction (hand-over
/// with the consent re-check, or the failure with its next attempt), and claims again as soon
/// as a pull ends — it never waits for the slowest pull of a batch. When nothing more is due
/// it waits for a NOTIFY on `leveringen`, a pull that ends, or `pollInterval`, whichever comes
/// first. On graceful shutdown it stops claiming and gives running pulls `gracePeriod` to
/// finish; what is still running then is cancelled and left to the rescuer once its lease
/// expires — never marked done.
///
/// Deliveries that finish together are not completed in one batched statement, as River and
/// pgqueuer do: every end of a delivery here is a hand-over (there is no path without a sink),
/// and a hand-over needs its own transaction — the sink's record step writes the pages and the
/// op-orde-rapport in it and returns the manifest that must commit with exactly that
/// delivery's success, and the consent re-check locks the gemeente and its consent in the
/// order every onboarding change takes them. One transaction over several deliveries would
/// hold several gemeenten's locks at once, and one lost lease or revoked consent would undo the
/// others. Each hand-over is two statements instead (see `LeveringQueue.handOver`).
public struct LeveringWorker: Service {
    /// The worker's limits and timings.
    public struct Configuration: Sendable {
        public var owner: String
        public var concurrency: Int
        public var perSupplierLimit: Int
        public var lease: Duration
        public var heartbeat: Duration
        public var pollInterval: Duration
        public var gracePeriod: Duration

        /// Checks the values: a heartbeat well inside the lease, positive limits.
        public init(
            owner: String = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))", concurrency: Int = 4,
            perSupplierLimit: Int = 4, lease: Duration = .seconds(120), heartbeat: Duration = .seconds(30),
            pollInterval: Duration = .seconds(5),
            gracePeriod: Duration = .seconds(30)
        ) {
            precondition(concurrency > 0 && perSupplierLimit > 0, "limits are positive")
            precondition(heartbeat * 2 <= lease, "the heartbeat comes at least twice per lease")
            self.owner = owner
            self.concurrency = concurrency
            self.perSupplierLimit = perSupplierLimit
            self.lease = lease
            self.heartbeat = heartbeat
            self.pollInterval = pollInterval
            self.gracePeriod = gracePeriod
        }
    }

    let queue: LeveringQueue
    let puller: any Puller
    let configuration: Configuration
    let notifications: PostgresConfiguration?
    /// Moves the gemeente's phase with a successful delivery, in the hand-over's transaction.
    let onboarding: OnboardingStore?
    let logger: Logger
    let now: @Sendable () -> Date
    let metrics: LeveringMetrics
    let running = RunningPulls()

    public init(
        queue: LeveringQueue, puller: any Puller, configuration: Configuration,
        notifications: PostgresConfiguration?, onboarding: OnboardingStore? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, metrics: LeveringMetrics = LeveringMetrics()
    ) {
        self.metrics = metrics
        self.onboarding = onboarding
        self.queue = queue
        self.puller = puller
        self.configuration = configuration
        self.notifications = notifications
        self.logger = logger
        self.now = now
    }

    /// One pass, for tests and tools that step the worker: claims what is due (up to
    /// `concurrency`), pulls it, ends each, and returns how many it claimed once all of them
    /// ended. The service itself does not run in passes (see ``run()``).
    @discardableResult
    public func runOnce() async throws -> Int {
        await resendManifests()
        let claimed = try await queue.claim(
            owner: configuration.owner, limit: configuration.concurrency, perSupplierLimit: configuration.perSupplierLimit,
            lease: configuration.lease,
            now: now())
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await process(delivery) }
            }
        }
        return claimed.count
    }

    /// Works as the service does, claiming again as soon as a pull ends, until nothing is due
    /// and nothing runs; returns how many it claimed (the benchmark drains the queue with it).
    @discardableResult
    public func drain() async -> Int {
        await serve(doorbell: Doorbell(), untilIdle: true)
    }

    /// Keeps up to `concurrency` pulls running: claims for the free slots, and claims again
    /// whenever a pull ends (it rings `doorbell`) or the doorbell rings otherwise (a NOTIFY),
    /// or after `pollInterval`. Stops claiming on graceful shutdown or cancellation, or (when
    /// `untilIdle`) once a claim found nothing and no pull runs; returns after the running
    /// pulls ended, with how many it claimed.
    func serve(doorbell: Doorbell, untilIdle: Bool) async -> Int {
        let inFlight = PullCount()
        var total = 0
        var resent: ContinuousClock.Instant?
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if resent.map({ $0.duration(to: .now) >= Self.manifestCheckInterval }) ?? true {
                    await resendManifests()
                    resent = .now
                }
                let free = configuration.concurrency - inFlight.value.load(ordering: .acquiring)
                var claimed: [ClaimedLevering] = []
                if free > 0 {
                    do {
                        claimed = try await queue.claim(
                            owner: configuration.owner, limit: free, perSupplierLimit: configuration.perSupplierLimit,
                            lease: configuration.lease, now: now())
                    } catch {
                        logger.warning("claiming deliveries failed", metadata: ["error": "\(error)"])
                    }
                }
                for delivery in claimed {
                    inFlight.value.add(1, ordering: .acquiringAndReleasing)
                    group.addTask {
                        await process(delivery)
                        inFlight.value.subtract(1, ordering: .acquiringAndReleasing)
                        await doorbell.ring()
                    }
                }
                total += claimed.count
                guard claimed.count < free || free == 0 else { continue }
                if untilIdle && claimed.isEmpty && inFlight.value.load(ordering: .acquiring) == 0 { break }
                await withTaskCancellationHandler {
                    await doorbell.wait(timeout: configuration.pollInterval)
                } onCancel: {
                    Task { await doorbell.ring() }
                }
            }
        }
        return total
    }

    /// Claims as slots free until graceful shutdown, waking on NOTIFY, a pull that ends, or
    /// after `pollInterval`.
    public func run() async throws {
        let doorbell = Doorbell()
        let listening = Task {
            guard let notifications else { return }
            guard
                let events = try? PostgresListener.events(
                    configuration: notifications, channels: [LeveringQueue.channel, LeveringQueue.revocationChannel], logger: logger)
            else { return }
            for await event in events {
                switch event {
                case .interrupted: continue
                case .notification(let channel, let payload) where channel == LeveringQueue.revocationChannel:
                    if let gemeente = Gemeentecode(payload), running.revoke(gemeente) > 0 {
                        logger.notice("running pulls stopped: consent revoked", metadata: ["gemeente": "\(gemeente.rawValue)"])
                    }
                default: await doorbell.ring()
                }
            }
        }
        defer { listening.cancel() }
        let pass = PassSlot()
        await withGracefulShutdownHandler {
            let task = Task { await serve(doorbell: doorbell, untilIdle: false) }
            pass.task.withLock { $0 = task }
            // Cancelling the service cancels the pulls; graceful shutdown lets them finish first.
            _ = await withTaskCancellationHandler {
                await task.value
            } onCancel: {
                task.cancel()
            }
        } onGracefulShutdown: {
            let grace = configuration.gracePeriod
            Task {
                await doorbell.ring()
                try? await Task.sleep(for: grace)
                pass.task.withLock { $0?.cancel() }
            }
        }
    }

    func process(_ delivery: ClaimedLevering) async {
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: configuration.heartbeat)
                let seconds = Double(configuration.lease.components.seconds)
                guard try await queue.heartbeat(delivery.id, owner: configuration.owner, leaseUntil: now().addingTimeInterval(seconds))
                else { return }
            }
        }
        defer { heartbeat.cancel() }
        let started = ContinuousClock.now
        let pull = Task { try await puller.pull(delivery) }
        running.register(delivery.id, gemeente: delivery.gemeente, task: pull)
        defer { _ = running.finish(delivery.id) }
        do {
            let result = try await withTaskCancellationHandler {
                try await pull.value
            } onCancel: {
                pull.cancel()
            }
            _ = running.finish(delivery.id)
            let pulled = ContinuousClock.now - started
            let time = now()
            let outcome: LeveringQueue.HandOverOutcome
            do {
                try Task.checkCancellation()
                let handingOver = ContinuousClock.now
                outcome = try await handOver(delivery, result, at: time)
                metrics.handedOver(ContinuousClock.now - handingOver)
                await result.cleanUp()
            } catch {
                await result.cleanUp()
                throw error
            }
            let name: String =
                switch outcome {
                case .handedOver: "geslaagd"
                case .consentWithdrawn: "geannuleerd"
                case .leaseLost: "lease_verloren"
                }
            metrics.ended(name, errorClass: outcome == .consentWithdrawn ? "consentWithdrawn" : nil, pullDuration: pulled)
            metrics.signed(result.figures.signing)
            logger.info("delivery ended", metadata: ["levering": "\(delivery.id)", "outcome": "\(outcome)"])
        } catch  where running.finish(delivery.id) {
            // Consent was revoked while the pull ran (however the puller reports being stopped):
            // nothing is handed over; the delivery ends now.
            _ = try? await queue.cancelRunning(delivery.id, owner: configuration.owner, now: now())
            metrics.ended("geannuleerd", errorClass: "consentWithdrawn", pullDuration: nil)
            logger.notice("delivery cancelled: consent revoked during the pull", metadata: ["levering": "\(delivery.id)"])
        } catch is CancellationError {
            // Shutdown past the grace period: the lease expires and the rescuer returns it.
            logger.notice("delivery left to the rescuer", metadata: ["levering": "\(delivery.id)"])
        } catch let failure as LeveringFailure {
            await end(delivery, failure: failure)
        } catch {
            await end(delivery, failure: LeveringFailure(.internal, "the pull stopped with an unexpected error"))
            logger.error("delivery failed unexpectedly", metadata: ["levering": "\(delivery.id)", "error": "\(error)"])
        }
    }

    /// The hand-over (see `CBSSink`): the pages to the sink's staging area, then one short
    /// transaction that re-checks consent and records the hand-over and the phase moves, then
    /// the manifest; without consent the staged pages are discarded. No transaction is held
    /// while the sink is busy, so a slow CBS intake holds no connection and no lock.
    func handOver(_ delivery: ClaimedLevering, _ result: PullResult, at time: Date) async throws -> LeveringQueue.HandOverOutcome {
        try await result.stage()
        let outcome = try await queue.handOver(
            delivery.id, owner: configuration.owner, figures: result.figures, now: time,
            lockFirst: { connection in
                try await onboarding?.lockServiceMovedByDelivery(
                    leverancierID: delivery.leverancierID, stroom: delivery.stroom, doel: delivery.doel, on: connection)
            },
            record: { connection in try await result.record(connection) },
            afterHandOver: { code, connection in
                try await onboarding?.recordSuccessfulDelivery(
                    leverancierID: delivery.leverancierID, stroom: delivery.stroom, doel: delivery.doel, levering: delivery.id, now: time,
                    on: connection)
                try await onboarding?.reconcile(code, now: time, on: connection)
            })
        switch outcome {
        case .handedOver:
            do {
                try await result.commit()
                try await queue.confirmManifest(delivery.id, now: now())
            } catch {
                // Handed over all the same: the manifest goes again with a later pass.
                logger.warning(
                    "the manifest of a delivery that was handed over could not be sent; it is sent again",
                    metadata: ["levering": "\(delivery.id)", "error": "\(error)"])
            }
        case .consentWithdrawn:
            await result.discard()
        case .leaseLost:
            // Another attempt holds the delivery now and stages the same pages again.
            break
        }
        return outcome
    }

    /// Sends again the manifests of deliveries that were handed over but whose manifest the
    /// sink did not confirm (its commit step failed, or a process died right after the
    /// hand-over committed); returns how many were confirmed now.
    @discardableResult
    public func resendManifests() async -> Int {
        let time = now()
        guard
            let pending = try? await queue.unconfirmedManifests(
                recordedBefore: time.addingTimeInterval(-Self.manifestGrace), limit: configuration.concurrency * 4)
        else { return 0 }
        var confirmed = 0
        for item in pending {
            do {
                try await puller.resendManifest(item.manifest, of: item.levering)
                try await queue.confirmManifest(item.levering, now: now())
                confirmed += 1
            } catch {
                logger.warning("a manifest could not be sent again", metadata: ["levering": "\(item.levering)", "error": "\(error)"])
            }
        }
        if confirmed > 0 { logger.notice("manifests sent again", metadata: ["count": "\(confirmed)"]) }
        return confirmed
    }

    /// How long a manifest is left to the worker that recorded it before another pass sends it.
    static let manifestGrace: TimeInterval = 30

    /// How often the service looks for manifests to send again.
    static let manifestCheckInterval: Duration = .seconds(5)

    /// Records a failed attempt; the queue's lifecycle decides, from the failure's class and the
    /// stream's retry policy, whether it is tried again and when.
    func end(_ delivery: ClaimedLevering, failure: LeveringFailure) async {
        let time = now()
        metrics.signed(failure.signing)
        do {
            let status = try await queue.fail(
                delivery.id, owner: configuration.owner, failure: failure,
                figures: .init(httpStatus: failure.httpStatus, signing: failure.signing), now: time)
            metrics.ended(status?.rawValue ?? "lease_verloren", errorClass: failure.klasse.rawValue, pullDuration: nil)
        } catch {
            metrics.ended(
                LeveringLifecycle.isRetryable(failure) ? "mislukt" : "opgegeven", errorClass: failure.klasse.rawValue, pullDuration: nil)
            logger.error("recording a failed delivery failed", metadata: ["levering": "\(delivery.id)", "error": "\(error)"])
        }
    }
}

/// The running service loop, where the shutdown handler can reach it.
final class PassSlot: Sendable {
    let task = Mutex<Task<Int, Never>?>(nil)
}

/// How many pulls the service loop has running.
final class PullCount: Sendable {
    let value = Atomic<Int>(0)
}
