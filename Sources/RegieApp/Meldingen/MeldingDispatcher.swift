import CoreMetrics
import Foundation
import Logging
import Postgres
import RegieStore
import ServiceLifecycle

/// Sends the outbox's messages: claims due ones under a lease (`FOR UPDATE SKIP LOCKED`, so
/// replicas never take the same message), sends them outside any transaction, and records each
/// outcome while the lease is held (``MeldingBezorging`` decides: sent, waiting again after a
/// capped, jittered backoff, or given up with its reason). Messages of a dispatcher that died
/// return after their lease and are sent again with the same id, so a receiver that saw the
/// first attempt can tell (the webhook's `webhook-id`, the mail's `Message-ID`).
///
/// Runs on every worker replica; wakes on the outbox's NOTIFY, and polls.
public struct MeldingDispatcher: Service {
    /// How many it sends at once, how long it holds a message, how often it looks.
    public struct Configuration: Sendable {
        /// Who holds the leases: unique per process.
        public var houder: String
        /// Messages sent at once.
        public var concurrency: Int
        /// How long a claimed message is held; longer than a send can take (the SMTP and
        /// webhook timeouts), or another replica may send it a second time.
        public var lease: Duration
        /// How often it looks without a NOTIFY, and returns messages of dead dispatchers.
        public var pollInterval: Duration

        public init(
            houder: String =
                "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))",
            concurrency: Int = 4, lease: Duration = .seconds(180), pollInterval: Duration = .seconds(15)
        ) {
            precondition((1...64).contains(concurrency), "the dispatcher sends 1 to 64 messages at once")
            precondition(lease >= .milliseconds(100) && pollInterval >= .milliseconds(10), "the lease and the poll interval are positive")
            self.houder = houder
            self.concurrency = concurrency
            self.lease = lease
            self.pollInterval = pollInterval
        }
    }

    let outbox: MeldingOutbox
    let kanalen: MeldingKanalen
    let configuration: Configuration
    let notifications: PostgresConfiguration?
    let logger: Logger
    let metrics: MeldingMetrics
    let now: @Sendable () -> Date

    public init(
        outbox: MeldingOutbox, kanalen: MeldingKanalen, configuration: Configuration = Configuration(),
        notifications: PostgresConfiguration?, logger: Logger, metrics: MeldingMetrics = MeldingMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.outbox = outbox
        self.kanalen = kanalen
        self.configuration = configuration
        self.notifications = notifications
        self.logger = logger
        self.metrics = metrics
        self.now = now
    }

    /// One pass: returns messages of dead dispatchers, then claims and sends one batch; returns
    /// how many it sent or tried.
    @discardableResult
    public func runOnce() async throws -> Int {
        let rescued = try await outbox.rescue(now: now())
        if rescued > 0 { logger.notice("meldingen returned from expired leases", metadata: ["count": "\(rescued)"]) }
        let claimed = try await outbox.claim(
            houder: configuration.houder, limit: configuration.concurrency, lease: configuration.lease, now: now())
        await withTaskGroup(of: Void.self) { group in
            for opdracht in claimed {
                group.addTask { await send(opdracht) }
            }
        }
        return claimed.count
    }

    /// Sends until nothing is due (tests and the demonstration's start).
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while true {
            let sent = try await runOnce()
            total += sent
            if sent == 0 { return total }
        }
    }

    func send(_ opdracht: MeldingOpdracht) async {
        let uitkomst = await kanalen.verstuur(opdracht, now: now())
        let kanaal = opdracht.abonnement.kanaal.rawValue
        do {
            let status = try await outbox.finish(opdracht.id, houder: configuration.houder, uitkomst, now: now())
            switch (uitkomst, status) {
            case (_, nil):
                logger.warning("a melding's lease ended before its outcome was recorded", metadata: ["bericht": "\(opdracht.id)"])
            case (.verzonden, _):
                metrics.verzonden(kanaal: kanaal)
            case (.mislukt(_, let reden), let status?):
                metrics.mislukt(kanaal: kanaal, definitief: status == .mislukt)
                logger.notice(
                    "a melding was not sent",
                    metadata: [
                        "bericht": "\(opdracht.id)", "soort": "\(opdracht.melding.soort.rawValue)", "kanaal": "\(kanaal)",
                        "poging": "\(opdracht.poging)", "reden": "\(reden)", "status": "\(status.rawValue)",
                    ])
            }
        } catch {
            logger.warning("recording a melding's outcome failed", metadata: ["bericht": "\(opdracht.id)", "error": "\(error)"])
        }
    }

    public func run() async throws {
        let doorbell = Doorbell()
        let listening = Task {
            guard let notifications,
                let events = try? PostgresListener.events(configuration: notifications, channels: [MeldingOutbox.channel], logger: logger)
            else { return }
            for await _ in events { await doorbell.ring() }
        }
        defer { listening.cancel() }
        // A batch in flight finishes (sends are bounded by their timeouts); then no new claims.
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                var sent = 0
                do {
                    sent = try await runOnce()
                } catch {
                    logger.warning("sending meldingen failed", metadata: ["error": "\(error)"])
                }
                if sent == configuration.concurrency { continue }
                await withTaskCancellationHandler {
                    await doorbell.wait(timeout: configuration.pollInterval)
                } onCancel: {
                    Task { await doorbell.ring() }
                }
            }
        } onGracefulShutdown: {
            Task { await doorbell.ring() }
        }
    }
}

/// The dispatcher's metrics: `ddas_meldingen_verzonden_total{kanaal}` and
/// `ddas_meldingen_mislukt_total{kanaal,definitief}`. The outbox's state (`ddas_meldingen{status}`,
/// `ddas_meldingen_oudste_wachtend_seconden`) is counted from the database at a scrape.
public struct MeldingMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func verzonden(kanaal: String) {
        Counter(label: "ddas_meldingen_verzonden_total", dimensions: [("kanaal", kanaal)], factory: factory).increment()
    }

    func mislukt(kanaal: String, definitief: Bool) {
        Counter(
            label: "ddas_meldingen_mislukt_total", dimensions: [("kanaal", kanaal), ("definitief", definitief ? "ja" : "nee")],
            factory: factory
        ).increment()
    }
}
