import Foundation
import Logging
import RegieDomain
import RegieStore
import ServiceLifecycle

/// A maintenance loop that records the meldingen derived from the state rather than caused by
/// one change: a supplier service failing or silent, a gemeente overdue for a milestone, a
/// consent about to lapse or lapsed. Each finding is recorded with its once-key in a
/// transaction of its own, so a second pass, a restarted process or a second replica that
/// finds the same thing changes nothing; the leader of the task runs it, on the worker role.
///
/// - `leverancier.storing`: a supplier service's last N attempts (across its gemeenten) all
///   failed at the supplier since its last success; once per series (the first failure).
/// - `leverancier.stil`: a service gemeenten consent to, tried and without a success for D
///   days; once per silence (the last success, or `nooit`). N and D are
///   ``MeldingDrempels`` from `Workflows/leveringen.yaml`.
/// - `gemeente.achterstand`: overdue as the progress report says (the next milestone of its
///   main phase whose due month is over), from the end of that month or a fall back into
///   that phase; once per gemeente and milestone.
/// - `toestemming.verloopt` / `toestemming.verlopen`: a consent to the current supplier whose
///   last valid day is within 30 days / passed; once per consent and end date.
///
/// What became so longer than ``Configuration/inhaalvenster`` ago is not announced: a gemeente
/// that was overdue, or a consent that lapsed, before the detector first ran (a new
/// installation, an upgrade, the demonstration's seed of plan months long past) stays in the
/// reports and the digest instead of arriving as hundreds of mails at once. A detector that
/// was down for less than the window misses nothing.
public struct MeldingDetector: Service {
    /// How often it looks, the thresholds, and how far back it catches up.
    public struct Configuration: Sendable {
        /// Time between passes.
        public var interval: Duration
        /// N and D of the supplier services' meldingen.
        public var drempels: MeldingDrempels
        /// How long ago a gemeente may have become overdue, or a consent lapsed, to be announced.
        public var inhaalvenster: Duration

        /// A pass every five minutes by default; the window at least a day (it is counted in
        /// Dutch calendar days for consents).
        public init(
            interval: Duration = .seconds(300), drempels: MeldingDrempels = .standaard, inhaalvenster: Duration = .seconds(7 * 86_400)
        ) {
            precondition(interval >= .milliseconds(10), "the detector interval is at least 10 ms")
            precondition(inhaalvenster >= .seconds(86_400), "the catch-up window is at least a day")
            self.interval = interval
            self.drempels = drempels
            self.inhaalvenster = inhaalvenster
        }
    }

    /// A consent is announced as lapsing this many days before its last valid day.
    public static let verlooptBinnenDagen = 30

    let outbox: MeldingOutbox
    let status: StatusStore
    let gemeenteWorkflow: WorkflowDefinition
    let configuration: Configuration
    let logger: Logger
    /// Who leads the task among the processes; nil: this process always works.
    let leadership: Leadership?
    let now: @Sendable () -> Date

    /// A detector over `stores` (the outbox, the status reading, the gemeente workflow).
    public init(
        stores: RegieStores, configuration: Configuration = Configuration(), logger: Logger, leadership: Leadership? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.outbox = stores.meldingen
        self.status = stores.status
        self.gemeenteWorkflow = stores.onboarding.workflows.gemeente
        self.configuration = configuration
        self.logger = logger
        self.leadership = leadership
        self.now = now
    }

    /// One pass at `now`; returns how many meldingen were new.
    @discardableResult
    public func runOnce(now: Date) async throws -> Int {
        var found: [Melding] = []
        let detectie = outbox.detectie
        let drempels = configuration.drempels
        for storing in try await detectie.storingen(naPogingen: drempels.storingNaPogingen) {
            found.append(
                .leverancierStoring(
                    leverancier: storing.leverancier, stroom: storing.stroom, pogingen: storing.pogingen, foutcode: storing.foutcode,
                    sinds: storing.sinds, at: now))
        }
        let grens = now.addingTimeInterval(-Double(drempels.stilNaDagen) * 86_400)
        for stilte in try await detectie.stiltes(sinds: grens, now: now) {
            found.append(
                .leverancierStil(
                    leverancier: stilte.leverancier, stroom: stilte.stroom, dagen: Int(now.timeIntervalSince(stilte.stilSinds) / 86_400),
                    laatsteSucces: stilte.laatsteSucces, at: now))
        }
        let venster = Double(configuration.inhaalvenster.components.seconds)
        let snapshot = try await status.snapshot(now: now)
        found += Self.achterstanden(snapshot, definition: gemeenteWorkflow, now: now, sinds: now.addingTimeInterval(-venster))
        let einden = try await detectie.toestemmingEinden(
            now: now, vooruit: Self.verlooptBinnenDagen, terug: Int((venster / 86_400).rounded(.up)))
        for einde in einden {
            found.append(
                .toestemmingEinde(
                    toestemming: einde.toestemming, gemeente: einde.gemeente, gemeenteNaam: einde.gemeenteNaam,
                    leverancier: einde.leverancier, geldigTot: einde.geldigTot, verlopen: einde.verlopen, at: now))
        }
        var recorded = 0
        for melding in found {
            if try await outbox.record(melding, now: now) { recorded += 1 }
        }
        if recorded > 0 { logger.notice("meldingen detected", metadata: ["count": "\(recorded)"]) }
        return recorded
    }

    /// The `gemeente.achterstand` meldingen of `snapshot` at `now`: each gemeente overdue as
    /// the progress report judges it (``VoortgangReport/deadline(after:engine:now:)`` of its
    /// main phase), for the milestone it is overdue for, when it became overdue at `sinds` or
    /// later: when that milestone's due month ended, or when it fell back into its main phase
    /// from a later one after that (a supplier switch). A move forward is progress, not news: a
    /// gemeente that reaches a phase whose next milestone is past was overdue already.
    static func achterstanden(_ snapshot: StatusSnapshot, definition: WorkflowDefinition, now: Date, sinds: Date) -> [Melding] {
        let engine = WorkflowEngine(definition)
        return snapshot.rows.compactMap { row in
            let entries = snapshot.entries[row.gemeente.code.rawValue] ?? []
            let phase = VoortgangReport.mainPhase(row, entries: entries, definition: definition)
            guard engine.overdue(phase: phase, now: now), let milestone = engine.nextDeadline(after: phase), let due = milestone.due,
                let uiterlijk = KalenderDag(year: due.year, month: due.month, day: KalenderDag.days(inMonth: due.month, of: due.year))
            else { return nil }
            var became = due.end()
            let index = definition.index(ofPhase: phase) ?? 0
            if let last = entries.lastIndex(where: { $0.fase == phase }),
                entries[..<last].contains(where: { (definition.index(ofPhase: $0.fase) ?? -1) > index })
            {
                became = max(became, entries[last].moment)
            }
            guard became >= sinds else { return nil }
            return .gemeenteAchterstand(
                gemeente: row.gemeente.code, gemeenteNaam: row.gemeente.name, mijlpaal: milestone.name, uiterlijk: uiterlijk, at: became)
        }
    }

    public func run() async throws {
        await runMaintenance("meldingen", every: configuration.interval, leadership: leadership, logger: logger) {
            try await runOnce(now: now())
        }
    }
}
