import Foundation
import Logging
import RegieDomain
import RegieStore
import ServiceLifecycle

/// The project team's daily digest: at a configured time of day (Europe/Amsterdam) one
/// melding `overzicht.dag` with what changed in the 24 hours before (deliveries that succeeded,
/// failed attempts, the meldingen of each soort) and the gemeenten that are overdue, which the
/// outbox sends to the project team's subscriptions to it. Once per day whichever process runs
/// it (its key is the day); after downtime it is made at the next pass of that day.
public struct Dagoverzicht: Service {
    /// A time of day, `HH:MM`.
    public struct Tijdstip: Sendable, Hashable, CustomStringConvertible {
        public let uur: Int
        public let minuut: Int

        /// `HH:MM`, 00:00 to 23:59.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }), let uur = Int(parts[0]),
                let minuut = Int(parts[1]), (0...23).contains(uur), (0...59).contains(minuut)
            else { return nil }
            self.uur = uur
            self.minuut = minuut
        }

        public var description: String { String(format: "%02d:%02d", uur, minuut) }
    }

    let tijdstip: Tijdstip
    let outbox: MeldingOutbox
    let status: StatusStore
    let workflows: Workflows
    let leadership: Leadership?
    let logger: Logger
    let interval: Duration
    let now: @Sendable () -> Date

    public init(
        tijdstip: Tijdstip, outbox: MeldingOutbox, status: StatusStore, workflows: Workflows, leadership: Leadership?,
        logger: Logger, interval: Duration = .seconds(60), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tijdstip = tijdstip
        self.outbox = outbox
        self.status = status
        self.workflows = workflows
        self.leadership = leadership
        self.logger = logger
        self.interval = interval
        self.now = now
    }

    static let amsterdam = TimeZone(identifier: "Europe/Amsterdam")!

    /// Makes today's digest when its time has come and it was not made yet; true when it made it.
    @discardableResult
    public func runOnce() async throws -> Bool {
        let moment = now()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.amsterdam
        let parts = calendar.dateComponents([.hour, .minute], from: moment)
        guard (parts.hour ?? 0, parts.minute ?? 0) >= (tijdstip.uur, tijdstip.minuut) else { return false }
        let dag = KalenderDag.containing(moment, in: Self.amsterdam)
        let sleutel = "\(MeldingSoort.dagoverzicht.rawValue):\(dag.description)"
        guard try await !outbox.isVastgelegd(sleutel: sleutel) else { return false }
        let melding = Melding.dagoverzicht(
            dag: dag, aantallen: try await outbox.dagAantallen(since: moment.addingTimeInterval(-86_400), until: moment),
            achterstanden: try await achterstanden(now: moment), at: moment)
        let made = try await outbox.record(melding, now: moment)
        if made { logger.info("daily digest recorded", metadata: ["dag": "\(dag.description)"]) }
        return made
    }

    /// The gemeenten overdue for a milestone, as the reports count them: `naam (code): fase`.
    func achterstanden(now: Date) async throws -> [String] {
        let entries = try await status.phaseEntries()
        let engine = WorkflowEngine(workflows.gemeente)
        var overdue: [String] = []
        for row in try await status.rows(now: now) {
            let main = VoortgangReport.mainPhase(row, entries: entries[row.gemeente.code.rawValue] ?? [], definition: workflows.gemeente)
            guard engine.overdue(phase: main, now: now) else { continue }
            let volgende = engine.nextDeadline(after: main)?.name ?? main
            overdue.append("\(row.gemeente.name) (\(row.gemeente.code.rawValue)): \(volgende)")
        }
        return overdue.sorted()
    }

    public func run() async throws {
        await runMaintenance("dagoverzicht", every: interval, leadership: leadership, logger: logger) { try await runOnce() }
    }
}
