import DDASClient
import DDASExchange
import DDASSignature
import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore

/// The puller of the real exchange: each claimed delivery is pulled from its supplier
/// service by the configured `LeverancierClient` and its pages staged; the hand-over stages
/// them at the CBS sink, records their counts and checksums in the transaction that
/// re-checks consent, and then commits the manifest. A page with another gemeente's
/// data is also an audit event: it is a privacy incident at the supplier.
///
/// A pull that read every page is judged on its data quality: when more than the stream's
/// `max_error_share` of its records and zaken has errors, it fails validation (final) and
/// nothing is handed over; otherwise it is handed over. Either way its op-orde-rapport is
/// kept — with the hand-over, in the same transaction, or on its own.
public struct DDASPuller: Puller {
    let exchange: Exchange
    /// Where a report is kept when nothing is handed over.
    let reports: OpOrdeRapportStore
    /// Where incidents are recorded.
    let auditTrail: AuditTrail
    let logger: Logger
    let now: @Sendable () -> Date
    /// Per stream (`VS`), the error share above which a delivery fails validation.
    let maxErrorShare: [String: Double]
    /// Per stream, what a schema violation does (`reject` when the stream is not named).
    let schemaViolations: [String: LeveringSchedule.SchemaViolationPolicy]
    let standardisation: StandardisationService

    public init(
        exchange: Exchange, reports: OpOrdeRapportStore, auditTrail: AuditTrail, standardisation: StandardisationService,
        maxErrorShare: [String: Double],
        schemaViolations: [String: LeveringSchedule.SchemaViolationPolicy] = [:], logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.exchange = exchange
        self.reports = reports
        self.auditTrail = auditTrail
        self.standardisation = standardisation
        self.maxErrorShare = maxErrorShare
        self.schemaViolations = schemaViolations
        self.logger = logger
        self.now = now
    }

    public func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
        guard let client = exchange.client(leverancierID: delivery.leverancierID, stroom: delivery.stroom.rawValue) else {
            throw LeveringFailure(
                .configuration, "no connection is configured for \(delivery.leverancierID)/\(delivery.stroom.rawValue)")
        }
        let area: StagingArea
        do {
            area = try exchange.staging.area(levering: delivery.id, attempt: delivery.poging)
        } catch {
            throw LeveringFailure(
                .staging, "the staging folder cannot be written")
        }
        let request = PullRequest(
            leveringID: delivery.id, attempt: delivery.poging, gemeentecode: delivery.gemeente.rawValue,
            organisatie: delivery.organisatienaam, periodeStart: delivery.periodeStart.description,
            periodeEind: delivery.periodeEind.description, pullDate: Self.day(of: now()))
        let pulled: PulledLevering
        do {
            pulled = try await client.pull(request, into: area)
        } catch {
            area.discard()
            if error.klasse == .foreignGemeente { await report(.foreignData, delivery, failure: error) }
            if error.code == SignatureFailure.signerMismatch.code { await report(.signerMismatch, delivery, failure: error) }
            throw error
        }
        let policy = schemaViolations[delivery.stroom.rawValue] ?? .reject
        var quality = pulled.quality
        quality.findings.ondertekening = pulled.signing.map(\.rawValue).sorted()
        quality.findings.schemaBeleid = policy.rawValue
        let report: StoredOpOrdeRapport
        do {
            report = try await qualityReport(quality, delivery: delivery)
        } catch {
            area.discard()
            throw LeveringFailure(
                .database, "the op-orde-rapport could not be made")
        }
        let violations = quality.findings.schemaOvertredingenTotaal ?? 0
        if policy == .reject, violations > 0 {
            area.discard()
            try await keep(report, of: delivery)
            throw LeveringFailure(
                .schema,
                "the pages break the exchange model \(quality.findings.modelVersie) in \(violations) place(s): rejected as the specification says, not handed over; the op-orde-rapport lists each by JSON pointer and rule",
                httpStatus: 200, signing: Self.signing(pulled.signing))
        }
        if report.oordeel == .bovenDrempel {
            area.discard()
            try await keep(report, of: delivery)
            throw LeveringFailure(
                .validation,
                "\(report.eenhedenMetFouten) of \(report.eenheden) records and zaken have errors (\(Self.percent(Double(report.eenhedenMetFouten) / Double(max(report.eenheden, 1))))), above the threshold of \(Self.percent(report.drempel)): not handed over; see the op-orde-rapport",
                signing: Self.signing(pulled.signing))
        }
        let sink = exchange.sink
        let manifest = LeveringManifest(
            leveringID: delivery.id, gemeentecode: delivery.gemeente.rawValue, leverancier: delivery.leverancierID,
            stroom: delivery.stroom.rawValue, periode: delivery.periode, periodeStart: delivery.periodeStart.description,
            periodeEind: delivery.periodeEind.description, doel: delivery.doel, pages: pulled.pages, overgedragenOp: now())
        let encoded: Data
        do {
            encoded = try manifest.encoded()
        } catch {
            area.discard()
            throw LeveringFailure(
                .staging, "the manifest could not be made")
        }
        return PullResult(
            figures: .init(
                httpStatus: 200, pages: pulled.pages.count, records: pulled.records, bytes: pulled.bytes,
                signing: Self.signing(pulled.signing)),
            stage: {
                do {
                    try await sink.stage(manifest, pages: pulled.pages)
                } catch {
                    throw LeveringFailure(
                        .sink, "the pages could not be staged at CBS: \(error)")
                }
            },
            record: { connection in
                try await LeveringQueue.recordPages(
                    delivery.id,
                    pages: pulled.pages.map {
                        OvergedragenPagina(pagina: $0.number, records: $0.records, bytes: $0.bytes, sha256: $0.sha256)
                    },
                    now: manifest.overgedragenOp, on: connection)
                try await OpOrdeRapportStore.record(report, on: connection)
                return encoded
            },
            commit: { try await sink.commit(levering: delivery.id, manifest: encoded) },
            discard: { await sink.discard(levering: delivery.id) },
            cleanUp: { area.discard() })
    }

    public func resendManifest(_ manifest: Data, of levering: UUID) async throws {
        try await exchange.sink.commit(levering: levering, manifest: manifest)
    }

    /// The op-orde-rapport of a pull, with the suggestions of the standardisation as it is now.
    func qualityReport(_ quality: LeveringKwaliteit, delivery: ClaimedLevering) async throws -> StoredOpOrdeRapport {
        let (standardiser, version) = try await standardisation.current()
        let suggestions = OpOrdeRapportering.suggestions(for: quality.invalidValues, standardiser: standardiser, tabelversie: version)
        return try OpOrdeRapportering.report(
            quality, suggestions: suggestions, levering: delivery.id, poging: delivery.poging,
            threshold: maxErrorShare[delivery.stroom.rawValue] ?? LeveringSchedule.defaultMaxErrorShare, now: now())
    }

    /// Keeps the report of a delivery that failed validation.
    func keep(_ report: StoredOpOrdeRapport, of delivery: ClaimedLevering) async throws {
        do {
            try await reports.record(report)
        } catch {
            throw LeveringFailure(
                .database, "the op-orde-rapport could not be kept")
        }
    }

    /// How the attempt record names the readings of signing seen: `kp-apis`, `body`, or
    /// `gemengd` when pages of one pull differed.
    static func signing(_ profiles: Set<SigningProfile>) -> String? {
        profiles.count > 1 ? "gemengd" : profiles.first?.rawValue
    }

    /// `YYYY-MM-DD` of `date` in the Netherlands.
    static func day(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DueMonth.planTimeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// `4.2%`.
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    /// The incidents a pull can reveal: data of another gemeente (a privacy incident at the
    /// supplier) and a page signed by someone else than the supplier (a security incident at
    /// the supplier or on the way). Each is logged and audited: codes and counts only.
    enum Incident: String {
        case foreignData = "levering.vreemde_gegevens"
        case signerMismatch = "levering.verkeerde_ondertekenaar"

        var logMessage: Logger.Message {
            switch self {
            case .foreignData: "a supplier sent data of another gemeente; the page was rejected whole"
            case .signerMismatch: "a page was signed by a certificate that is not the supplier's; the pull was stopped"
            }
        }
    }

    /// Logs and audits an incident of `delivery`.
    func report(_ incident: Incident, _ delivery: ClaimedLevering, failure: LeveringFailure) async {
        logger.error(
            incident.logMessage,
            metadata: [
                "levering": "\(delivery.id)", "leverancier": "\(delivery.leverancierID)", "gemeente": "\(delivery.gemeente.rawValue)",
            ])
        do {
            try await auditTrail.append(
                AuditActor.system.event(
                    incident.rawValue, objectType: "levering", objectID: delivery.id.uuidString.lowercased(),
                    after: [
                        "gemeente": delivery.gemeente.rawValue, "leverancier": delivery.leverancierID,
                        "stroom": delivery.stroom.rawValue, "periode": delivery.periode, "melding": failure.message,
                    ], at: now()))
        } catch {
            logger.error(
                "recording the incident failed",
                metadata: ["levering": "\(delivery.id)", "incident": "\(incident.rawValue)", "error": "\(error)"])
        }
    }
}
