import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The melding detector on the plan and the consent register: `gemeente.achterstand` once per
/// gemeente and milestone, as the progress report judges overdue; `toestemming.verloopt`
/// within 30 days and `toestemming.verlopen` once lapsed, per consent and end date, in Dutch
/// calendar days. Each to the gemeente it concerns and the project team, never to another.
@Suite("Melding detector: plan and consent")
struct MeldingDetectorPlanTests {
    let hash = String(repeating: "ab", count: 32)

    /// Noon in Amsterdam on a day.
    func amsterdam(_ year: Int, _ month: Int, _ day: Int, hour: Int = 12) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Europe/Amsterdam"))
        return try #require(calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour)))
    }

    func database(subscribing codes: [Gemeentecode]) async throws -> (PostgresPool, RegieStores) {
        let pool = try await LeveringFixtures.database()
        try await MeldingTestAbonnementen.subscribe(["projectteam", "leverancier:xxllnc"] + codes.map(\.rawValue), pool: pool)
        return (pool, RegieStores(pool: pool, workflows: try TestPostgres.workflows, lifecycle: LeveringLifecycle()))
    }

    /// Gives `codes` xxllnc as their supplier and consent to it from 1 November 2025 until
    /// the day of `ends` at the same place (straight in SQL).
    func consent(_ codes: [Gemeentecode], until ends: [String], pool: PostgresPool) async throws {
        try await pool.query(
            """
            INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
            SELECT gen_random_uuid(), code, 'VS', 'xxllnc', 'Gemeente', now(), 'test' FROM unnest($1::text[]) AS code
            """, [codes.map(\.rawValue)])
        try await pool.query(
            """
            INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                       documentreferentie, document_sha256, geldig_van, geldig_tot, vastgelegd_door)
            SELECT gen_random_uuid(), gen_random_uuid(), u.code, 'xxllnc', 'VS', '2025-10-01', 'college', 'B-1', repeat('ab', 32),
                   '2025-11-01', u.tot::date, 'test'
            FROM unnest($1::text[], $2::text[]) AS u (code, tot)
            """, [codes.map(\.rawValue), ends])
    }

    func phase(_ code: Gemeentecode, _ pool: PostgresPool) async throws -> String? {
        try await pool.query("SELECT fase FROM gemeenten WHERE code = $1", [code.rawValue]).first?.decode("fase", as: String.self)
    }

    func detector(_ stores: RegieStores) -> MeldingDetector {
        MeldingDetector(stores: stores, logger: TestPostgres.logger)
    }

    @Test(
        "a gemeente becomes overdue when its milestone's month ends or when it reaches a phase whose next milestone is past: announced once per milestone, to itself and the project team"
    )
    func achterstand() async throws {
        let codes = try LeveringFixtures.gemeenten(2)
        let (pool, stores) = try await database(subscribing: codes)
        let gemeenten = try #require(
            try await pool.query("SELECT count(*) AS n FROM gemeenten WHERE active").first?.decode("n", as: Int.self))
        let detector = detector(stores)
        // dpia_akkoord is due 2025-12: overdue from 1 January 2026, 00:00 in Amsterdam.
        #expect(try await detector.runOnce(now: try amsterdam(2025, 12, 31, hour: 23)) == 0)
        #expect(try await detector.runOnce(now: try amsterdam(2026, 1, 1, hour: 1)) == gemeenten)
        #expect(try await detector.runOnce(now: try amsterdam(2026, 1, 2)) == 0)
        #expect(try await self.detector(stores).runOnce(now: try amsterdam(2026, 1, 3)) == 0)
        let dpia = codes.map { "gemeente.achterstand:\($0.rawValue):dpia_akkoord" }
        var messages = try await MeldingTestAbonnementen.messages(.gemeenteAchterstand, pool: pool)
        #expect(messages[codes[0].rawValue] == [dpia[0]])
        #expect(messages[codes[1].rawValue] == [dpia[1]])
        #expect(messages["projectteam"]?.count == gemeenten)
        #expect(messages["leverancier:xxllnc"] == nil)
        let melding = try #require(try await MeldingTestAbonnementen.meldingen(.gemeenteAchterstand, pool: pool).first)
        #expect(melding.feiten.datum == "2025-12-31")

        // Reaching dpia_akkoord late is progress: overdue already, nothing new. Falling back
        // into it (a supplier switch) after toestemming_gegeven was due is news, once.
        let onboarding = stores.onboarding
        _ = try await onboarding.recordDPIA(
            codes[0],
            .init(
                besluitdatum: PostgresDate(year: 2026, month: 3, day: 1), goedkeurendeRol: "functionaris gegevensbescherming",
                documentreferentie: "DPIA-1", documentSHA256: hash), role: .gemeente, actor: .commandLine, expectedVersion: nil,
            now: try amsterdam(2026, 3, 1))
        #expect(try await detector.runOnce(now: try amsterdam(2026, 3, 2)) == 0)
        try await onboarding.assignSupplier(
            codes[0], stroom: .vs, leverancierID: "xxllnc", organisatienaam: "Gemeente", actor: .commandLine, expectedVersion: nil,
            now: try amsterdam(2026, 3, 2))
        _ = try await onboarding.giveConsent(
            codes[0],
            .init(
                leverancierID: "xxllnc", stromen: [.vs], besluitdatum: PostgresDate(year: 2026, month: 3, day: 3),
                besluitvormendOrgaan: "college", documentreferentie: "B-1", documentSHA256: hash,
                geldigVan: PostgresDate(year: 2026, month: 3, day: 3), geldigTot: nil), actor: .commandLine, expectedVersion: nil,
            now: try amsterdam(2026, 3, 3))
        #expect(try await phase(codes[0], pool) == "toestemming_gegeven")
        #expect(try await detector.runOnce(now: try amsterdam(2026, 3, 4)) == 0)
        try await onboarding.assignSupplier(
            codes[0], stroom: .vs, leverancierID: "bkr", organisatienaam: "Gemeente", actor: .commandLine, expectedVersion: nil,
            now: try amsterdam(2026, 3, 5))
        #expect(try await phase(codes[0], pool) == "dpia_akkoord")
        #expect(try await detector.runOnce(now: try amsterdam(2026, 3, 6)) == 1)
        #expect(try await detector.runOnce(now: try amsterdam(2026, 3, 20)) == 0)
        messages = try await MeldingTestAbonnementen.messages(.gemeenteAchterstand, pool: pool)
        #expect(messages[codes[0].rawValue] == [dpia[0], "gemeente.achterstand:\(codes[0].rawValue):toestemming_gegeven"])
        #expect(messages[codes[1].rawValue] == [dpia[1]])
        await pool.close()
    }

    @Test(
        "a milestone missed before the detector first ran, beyond its catch-up window, is not announced, even for a gemeente seeded forward just now"
    )
    func achterstandBeforeTheDetector() async throws {
        let (pool, stores) = try await database(subscribing: [])
        // As the demonstration's seed does: gemeenten brought forward today along a plan long past.
        for code in try LeveringFixtures.gemeenten(3) {
            _ = try await stores.onboarding.recordDPIA(
                code,
                .init(
                    besluitdatum: PostgresDate(year: 2026, month: 1, day: 8), goedkeurendeRol: "functionaris gegevensbescherming",
                    documentreferentie: "DPIA-1", documentSHA256: hash), role: .gemeente, actor: .commandLine, expectedVersion: nil,
                now: try amsterdam(2026, 1, 9, hour: 9))
        }
        #expect(try await phase(try LeveringFixtures.gemeenten(1)[0], pool) == "dpia_akkoord")
        #expect(try await detector(stores).runOnce(now: try amsterdam(2026, 1, 9)) == 0)
        #expect(try await MeldingTestAbonnementen.count(.gemeenteAchterstand, pool: pool) == 0)
        await pool.close()
    }

    @Test(
        "consents ending in 29 or 30 days are announced as verloopt and one that lapsed yesterday as verlopen, once each, by two detectors at once; 31 days, long lapsed, revoked or renewed are not"
    )
    func toestemmingen() async throws {
        let codes = try LeveringFixtures.gemeenten(7)
        let (pool, stores) = try await database(subscribing: codes)
        let ends = ["2026-07-09", "2026-07-10", "2026-07-11", "2026-06-09", "2026-05-01", "2026-07-01", "2026-06-09"]
        try await consent(codes, until: ends, pool: pool)
        try await pool.query(
            "UPDATE toestemmingen SET ingetrokken_op = now(), ingetrokken_door = 'test', intrekkingsreden = 'test' WHERE gemeente_code = $1",
            [codes[5].rawValue])
        let now = try amsterdam(2026, 6, 10)
        // The last one lapsed yesterday and was renewed today.
        _ = try await stores.onboarding.giveConsent(
            codes[6],
            .init(
                leverancierID: "xxllnc", stromen: [.vs], besluitdatum: PostgresDate(year: 2026, month: 6, day: 1),
                besluitvormendOrgaan: "college", documentreferentie: "B-2", documentSHA256: hash,
                geldigVan: PostgresDate(year: 2026, month: 6, day: 10), geldigTot: nil), actor: .commandLine, expectedVersion: nil,
            now: now)

        let (first, second) = (detector(stores), detector(stores))
        async let one = first.runOnce(now: now)
        async let two = second.runOnce(now: now)
        #expect(try await one + two == 3)
        #expect(try await first.runOnce(now: now.addingTimeInterval(3_600)) == 0)

        func id(_ code: Gemeentecode) async throws -> String {
            try #require(
                try await pool.query(
                    "SELECT id FROM toestemmingen WHERE gemeente_code = $1 ORDER BY vastgelegd_op LIMIT 1", [code.rawValue]
                )
                .first?.decode("id", as: UUID.self)
            ).uuidString.lowercased()
        }
        let verloopt = try await MeldingTestAbonnementen.messages(.toestemmingVerloopt, pool: pool)
        #expect(verloopt[codes[0].rawValue] == ["toestemming.verloopt:\(try await id(codes[0])):2026-07-09"])
        #expect(verloopt[codes[1].rawValue] == ["toestemming.verloopt:\(try await id(codes[1])):2026-07-10"])
        #expect(verloopt["projectteam"]?.count == 2)
        let verlopen = try await MeldingTestAbonnementen.messages(.toestemmingVerlopen, pool: pool)
        #expect(
            verlopen == [
                "projectteam": ["toestemming.verlopen:\(try await id(codes[3])):2026-06-09"],
                codes[3].rawValue: [
                    "toestemming.verlopen:\(try await id(codes[3])):2026-06-09"
                ],
            ])

        // Thirty days before the end, and again once lapsed: one melding each, never more.
        #expect(try await first.runOnce(now: try amsterdam(2026, 6, 11)) == 1)
        #expect(try await first.runOnce(now: try amsterdam(2026, 7, 11)) == 2)
        #expect(try await first.runOnce(now: try amsterdam(2026, 7, 12)) == 1)
        #expect(try await MeldingTestAbonnementen.count(.toestemmingVerloopt, pool: pool) == 3)
        #expect(try await MeldingTestAbonnementen.count(.toestemmingVerlopen, pool: pool) == 4)
        await pool.close()
    }
}
