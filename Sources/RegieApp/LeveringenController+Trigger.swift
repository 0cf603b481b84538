import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import RegieDomain
import RegieStore

/// `POST /v1/leveringen`: a manual trigger or a backfill. The body selects gemeenten (a
/// list, a supplier, or a phase) for one stream, and one period (`periode`) or a range of
/// past periods (`van`, `tot`: a backfill, `herlevering`). Only gemeenten with active consent
/// to their current supplier are queued; the others are listed with the reason. Queueing
/// is idempotent (the unique index), and the route honours `Idempotency-Key`.
extension LeveringenController {
    struct TriggerBody: Decodable {
        let stroom: String?
        let gemeenten: [String]?
        let leverancier: String?
        let fase: String?
        let periode: String?
        let van: String?
        let tot: String?
        let doel: String?
    }

    struct Skipped: Encodable {
        let gemeentecode: String
        let reden: String
    }

    struct Triggered: Encodable {
        let aangemaakt: Int
        let bestaand: Int
        let periodes: [String]
        let overgeslagen: [Skipped]
    }

    /// Most periods one backfill may cover.
    static let maximumPeriods = 24

    @Sendable func trigger(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(TriggerBody.self, from: request, context: context)
        var check = FieldCheck()
        let stroom = Stroom(rawValue: body.stroom ?? "")
        if stroom == nil { check.add("stroom", "must be VS or SHV") }
        let selectors = [body.gemeenten != nil, body.leverancier != nil, body.fase != nil].filter { $0 }.count
        if selectors != 1 { check.add("gemeenten", "give exactly one of gemeenten, leverancier or fase") }
        var codes: [Gemeentecode] = []
        for text in body.gemeenten ?? [] {
            if let code = Gemeentecode(text) { codes.append(code) } else { check.add("gemeenten", "'\(text)' is not a gemeentecode") }
        }
        var periods: [Rapportageperiode] = []
        switch (body.periode, body.van, body.tot) {
        case (let key?, nil, nil):
            if let period = Rapportageperiode(key: key) {
                periods = [period]
            } else {
                check.add("periode", "must be a period such as 2026-03, 2026-Q1 or 2026-H1")
            }
        case (nil, let from?, let until?):
            let first = Rapportageperiode(key: from)
            let last = Rapportageperiode(key: until)
            if first == nil { check.add("van", "must be a period such as 2026-Q1") }
            if last == nil { check.add("tot", "must be a period such as 2026-Q1") }
            if let first, let last {
                periods = Rapportageperiode.range(from: first, to: last)
                if periods.isEmpty { check.add("tot", "must be a period of the same kind as van, not before it") }
                if periods.count > Self.maximumPeriods { check.add("tot", "a backfill covers at most \(Self.maximumPeriods) periods") }
            }
        default:
            check.add("periode", "give periode, or van and tot for a range")
        }
        let today = amsterdamDay(Date())
        let todayKey = KalenderDag(year: today.year, month: today.month, day: today.day)
        if let todayKey, periods.contains(where: { $0.lastDay >= todayKey }) {
            check.add(body.periode != nil ? "periode" : "tot", "only periods that have ended can be delivered")
        }
        let doel = body.doel ?? (periods.count > 1 || body.van != nil ? "herlevering" : "regulier")
        if !Self.purposes.contains(doel) { check.add("doel", "must be one of " + Self.purposes.joined(separator: ", ")) }
        try check.finish()
        guard let stroom, let principal = context.principal else { throw Problem.unauthorized }

        let candidates = try await queue.eligible(stroom, on: today, supplierActief: doel != "test")
        var selected: [(gemeente: Gemeentecode, leverancierID: String)]
        var skipped: [Skipped] = []
        if !codes.isEmpty {
            let byCode = Dictionary(candidates.map { ($0.gemeente, $0) }, uniquingKeysWith: { first, _ in first })
            selected = codes.compactMap { byCode[$0] }
            skipped = codes.filter { byCode[$0] == nil }.map {
                Skipped(gemeentecode: $0.rawValue, reden: "no active consent to a current supplier whose service may be pulled")
            }
        } else if let supplier = body.leverancier {
            selected = candidates.filter { $0.leverancierID == supplier }
        } else {
            let inPhase = Set(try await onboarding.overview(provinceCode: nil, fase: body.fase, leverancierID: nil).map(\.gemeente.code))
            selected = candidates.filter { inPhase.contains($0.gemeente) }
        }
        let maxAttempts = schedule.streams[stroom.rawValue]?.retry.maxAttempts ?? 5
        let now = Date()
        let requests = periods.flatMap { period in
            selected.map { entry in
                LeveringRequest(
                    gemeente: entry.gemeente, leverancierID: entry.leverancierID, stroom: stroom, periode: period.key,
                    periodeStart: PostgresDate(year: period.firstDay.year, month: period.firstDay.month, day: period.firstDay.day),
                    periodeEind: PostgresDate(year: period.lastDay.year, month: period.lastDay.month, day: period.lastDay.day), doel: doel,
                    maxPogingen: maxAttempts, notBefore: now)
            }
        }
        let created = try await queue.enqueue(
            requests,
            audit: AuditActor.api(principal, requestID: context.requestID).event(
                "levering.aangevraagd", objectType: "leveringen", objectID: stroom.rawValue,
                after: ["periodes": periods.map(\.key).joined(separator: ","), "gemeenten": String(selected.count), "doel": doel], at: now))
        return JSONBody.response(
            Triggered(aangemaakt: created, bestaand: requests.count - created, periodes: periods.map(\.key), overgeslagen: skipped),
            status: .created)
    }
}
