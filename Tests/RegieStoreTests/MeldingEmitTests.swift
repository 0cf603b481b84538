import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The meldingen made in the transaction of the change that causes them: a levering given up or
/// cancelled for its consent, a consent revoked, an op-orde-rapport above the threshold. Each
/// once, to the parties its soort reaches and never to another gemeente or supplier, and not at
/// all when the change rolls back.
@Suite("Meldingen made where the change happens")
struct MeldingEmitTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let lifecycle = LeveringLifecycle(policies: ["VS": RetryPolicy(baseDelay: 60, maxDelay: 60, maxAttempts: 2)])
    let hash = String(repeating: "ab", count: 32)

    /// A database with the register, consent of the first two gemeenten to xxllnc, and a
    /// subscription of every party that could be reached (and of some that must not be).
    func database() async throws -> (PostgresPool, LeveringQueue, [Gemeentecode]) {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(2)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await MeldingTestAbonnementen.subscribe(
            ["projectteam", codes[0].rawValue, codes[1].rawValue, "leverancier:xxllnc", "leverancier:bkr"], pool: pool)
        return (pool, LeveringQueue(pool: pool, lifecycle: lifecycle, jitter: { 0 }), codes)
    }

    /// The id of the levering of `code`.
    func levering(_ code: Gemeentecode, _ pool: PostgresPool) async throws -> UUID {
        try #require(
            try await pool.query("SELECT id FROM leveringen WHERE gemeente_code = $1", [code.rawValue]).first?.decode("id", as: UUID.self))
    }

    /// The id of the consent record of `code`.
    func consentID(_ code: Gemeentecode, _ pool: PostgresPool) async throws -> UUID {
        try #require(
            try await pool.query("SELECT id FROM toestemmingen WHERE gemeente_code = $1", [code.rawValue]).first?.decode(
                "id", as: UUID.self))
    }

    func key(_ soort: MeldingSoort, _ id: UUID) -> String { "\(soort.rawValue):\(id.uuidString.lowercased())" }

    /// The key of a levering given up at `moment` (seconds since 1970: a give-up after a retry by hand is another one).
    func key(_ id: UUID, givenUpAt moment: Date) -> String {
        "\(MeldingSoort.leveringOpgegeven.rawValue):\(id.uuidString.lowercased()):\(Int64(moment.timeIntervalSince1970))"
    }

    @Test("a levering given up at its last attempt is announced once, to its gemeente, its supplier and the project team only")
    func opgegevenAtLastAttempt() async throws {
        let (pool, queue, codes) = try await database()
        try await queue.enqueue(LeveringFixtures.requests([codes[0]], maxPogingen: 2, notBefore: start))
        let id = try await levering(codes[0], pool)
        let failure = LeveringFailure(.serverError, "the supplier answered 503", httpStatus: 503)
        _ = try await queue.claim(owner: "w", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: start)
        #expect(try await queue.fail(id, owner: "w", failure: failure, figures: .init(), now: start) == .mislukt)
        #expect(try await MeldingTestAbonnementen.count(.leveringOpgegeven, pool: pool) == 0)

        let later = start.addingTimeInterval(120)
        _ = try await queue.claim(owner: "w", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: later)
        #expect(try await queue.fail(id, owner: "w", failure: failure, figures: .init(), now: later) == .opgegeven)
        let sleutel = key(id, givenUpAt: later)
        #expect(
            try await MeldingTestAbonnementen.messages(.leveringOpgegeven, pool: pool) == [
                "projectteam": [sleutel], codes[0].rawValue: [sleutel], "leverancier:xxllnc": [sleutel],
            ])
        let melding = try #require(try await MeldingTestAbonnementen.meldingen(.leveringOpgegeven, pool: pool).first)
        #expect(melding.feiten.pogingen == 2)
        #expect(melding.feiten.foutcode == "serverError")
        #expect(melding.feiten.periode == "2026-Q1")
        #expect(melding.gemeenteNaam?.isEmpty == false)

        // A late worker's second report of the same failure is refused and adds nothing.
        #expect(try await queue.fail(id, owner: "w", failure: failure, figures: .init(), now: later) == nil)
        #expect(try await MeldingTestAbonnementen.count(.leveringOpgegeven, pool: pool) == 1)
        await pool.close()
    }

    @Test("a final failure at the first attempt and a rescue at the last attempt are each announced as opgegeven")
    func opgegevenByEveryPath() async throws {
        let (pool, queue, codes) = try await database()
        try await queue.enqueue(LeveringFixtures.requests(codes, maxPogingen: 1, notBefore: start))
        let refused = try await levering(codes[0], pool)
        let stuck = try await levering(codes[1], pool)
        _ = try await queue.claim(owner: "w", limit: 2, perSupplierLimit: 10, lease: .seconds(30), now: start)
        let final = LeveringFailure(.unauthorized, "401", httpStatus: 401)
        #expect(try await queue.fail(refused, owner: "w", failure: final, figures: .init(), now: start) == .opgegeven)
        #expect(try await queue.rescue(now: start.addingTimeInterval(10)) == 0)
        #expect(try await queue.rescue(now: start.addingTimeInterval(60)) == 1)
        #expect(try await queue.rescue(now: start.addingTimeInterval(90)) == 0)

        let messages = try await MeldingTestAbonnementen.messages(.leveringOpgegeven, pool: pool)
        let refusedKey = key(refused, givenUpAt: start)
        let stuckKey = key(stuck, givenUpAt: start.addingTimeInterval(60))
        #expect(messages["projectteam"] == [refusedKey, stuckKey].sorted())
        #expect(messages[codes[0].rawValue] == [refusedKey])
        #expect(messages[codes[1].rawValue] == [stuckKey])
        #expect(messages["leverancier:bkr"] == nil)
        let codesByLevering = Dictionary(
            uniqueKeysWithValues: try await MeldingTestAbonnementen.meldingen(.leveringOpgegeven, pool: pool).map {
                ($0.feiten.levering, $0.feiten.foutcode)
            })
        #expect(codesByLevering[refused] == "unauthorized")
        #expect(codesByLevering[stuck] == "lease_verlopen")
        await pool.close()
    }

    @Test(
        "a revocation announces itself and its cancelled leveringen to the supplier and the project team, once; a cancellation by a person is not announced"
    )
    func revocation() async throws {
        let (pool, queue, codes) = try await database()
        let store = OnboardingStore(pool: pool, workflows: try TestPostgres.workflows)
        let code = codes[0]
        let consent = try await consentID(code, pool)
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: start))
        let other = try await levering(codes[1], pool)
        #expect(try await queue.cancel(other, reason: "dubbel", by: .commandLine, now: start))
        #expect(try await MeldingTestAbonnementen.count(.leveringGeannuleerd, pool: pool) == 0)

        _ = try await store.revokeConsent(
            code, consent: consent, reason: "besluit ingetrokken", actor: .commandLine, expectedVersion: nil, now: start)
        await #expect(throws: OnboardingError.self) {
            _ = try await store.revokeConsent(
                code, consent: consent, reason: "nog eens", actor: .commandLine, expectedVersion: nil, now: start)
        }
        let revoked = try await MeldingTestAbonnementen.messages(.toestemmingIngetrokken, pool: pool)
        #expect(Set(revoked.keys) == ["projectteam", "leverancier:xxllnc"])
        #expect(revoked["projectteam"]?.count == 1)
        #expect(revoked["projectteam"]?.first?.hasPrefix("toestemming.ingetrokken:\(consent.uuidString.lowercased()):") == true)
        let cancelled = try await MeldingTestAbonnementen.messages(.leveringGeannuleerd, pool: pool)
        let id = try await levering(code, pool)
        #expect(cancelled == ["projectteam": [key(.leveringGeannuleerd, id)], "leverancier:xxllnc": [key(.leveringGeannuleerd, id)]])
        await pool.close()
    }

    @Test("a revocation that fails after its melding was written leaves no melding behind")
    func revocationRolledBack() async throws {
        let (pool, queue, codes) = try await database()
        let store = OnboardingStore(pool: pool, workflows: try TestPostgres.workflows)
        let code = codes[0]
        let consent = try await consentID(code, pool)
        try await queue.enqueue(LeveringFixtures.requests([code], notBefore: start))
        // The cancellation of the queued levering comes after the revocation's melding: make it fail.
        try await pool.query(
            """
            CREATE FUNCTION weiger_annulering() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'annulering geweigerd'; END $$
            """)
        try await pool.query(
            """
            CREATE TRIGGER weiger_annulering BEFORE UPDATE ON leveringen FOR EACH ROW
            WHEN (NEW.status = 'geannuleerd') EXECUTE FUNCTION weiger_annulering()
            """)
        await #expect(throws: (any Error).self) {
            _ = try await store.revokeConsent(
                code, consent: consent, reason: "besluit", actor: .commandLine, expectedVersion: nil, now: start)
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM meldingen").first?.decode("n", as: Int.self) == 0)
        #expect(try await pool.query("SELECT count(*) AS n FROM melding_bezorgingen").first?.decode("n", as: Int.self) == 0)
        #expect(
            try await pool.query("SELECT ingetrokken_op FROM toestemmingen WHERE id = $1", [consent]).first?.decode(
                "ingetrokken_op", as: Date?.self) == nil)
        await pool.close()
    }

    @Test("an op-orde-rapport above the threshold is announced once, to the gemeente and its supplier only; one at or below it is not")
    func opOrdeRapport() async throws {
        let (pool, queue, codes) = try await database()
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: start))
        let above = try await levering(codes[0], pool)
        let below = try await levering(codes[1], pool)
        let reports = OpOrdeRapportStore(pool: pool)
        func report(_ id: UUID, errors: Int, oordeel: StoredOpOrdeRapport.Oordeel) -> StoredOpOrdeRapport {
            StoredOpOrdeRapport(
                leveringID: id, poging: 1, gemaaktOp: start, eenheden: 200, eenhedenMetFouten: errors, drempel: 0.05, oordeel: oordeel,
                bevindingen: "{}", suggesties: "{}")
        }
        try await reports.record(report(above, errors: 30, oordeel: .bovenDrempel))
        try await reports.record(report(above, errors: 30, oordeel: .bovenDrempel))
        try await reports.record(report(below, errors: 10, oordeel: .onderDrempel))
        let sleutel = key(.opOrdeRapportBovenDrempel, above)
        #expect(
            try await MeldingTestAbonnementen.messages(.opOrdeRapportBovenDrempel, pool: pool) == [
                codes[0].rawValue: [sleutel], "leverancier:xxllnc": [sleutel],
            ])
        let melding = try #require(try await MeldingTestAbonnementen.meldingen(.opOrdeRapportBovenDrempel, pool: pool).first)
        #expect(melding.feiten.foutaandeel == 0.15)
        #expect(melding.feiten.drempel == 0.05)
        #expect(melding.feiten.stroom == "VS")
        await pool.close()
    }
}
