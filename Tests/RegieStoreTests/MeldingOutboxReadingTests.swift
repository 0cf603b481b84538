import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@Suite("Reading the outbox of meldingen: its figures, its messages, and sending a failed one again")
struct MeldingOutboxReadingTests {
    let start = Date(timeIntervalSince1970: 1_796_000_000)
    let amsterdam = Gemeentecode("GM0363")!
    let utrecht = Gemeentecode("GM0344")!

    /// An outbox with three subscriptions (the project team by mail, Amsterdam by webhook, the
    /// supplier xxllnc by mail) and two meldingen: Amsterdam's levering given up at `start`
    /// (three messages) and Utrecht's a minute later (two: Utrecht has no subscription).
    struct Outbox {
        let pool: PostgresPool
        let outbox: MeldingOutbox
        let team: UUID
        let gemeente: UUID
        let leverancier: UUID
        let first: Melding
        let second: Melding
    }

    func outbox() async throws -> Outbox {
        let pool = try await LeveringFixtures.database()
        let team = try await OutboxFixtures.subscribe(.projectteam, adres: "ddas@projectteam.example", now: start, pool: pool)
        let gemeente = try await OutboxFixtures.subscribe(
            .gemeente(amsterdam), kanaal: .webhook, adres: "https://amsterdam.example/ddas", now: start, pool: pool)
        let leverancier = try await OutboxFixtures.subscribe(
            .leverancier("xxllnc"), adres: "support@xxllnc.example", soorten: [.leveringOpgegeven], now: start, pool: pool)
        let outbox = MeldingOutbox(pool: pool)
        let first = OutboxFixtures.opgegeven(amsterdam, at: start)
        let second = OutboxFixtures.opgegeven(utrecht, at: start + 60)
        #expect(try await outbox.record(first, now: start))
        #expect(try await outbox.record(second, now: start + 60))
        return Outbox(pool: pool, outbox: outbox, team: team, gemeente: gemeente, leverancier: leverancier, first: first, second: second)
    }

    @Test("The figures count the messages per status and how long the oldest waiting one has waited")
    func stand() async throws {
        let empty = MeldingOutbox(pool: try await LeveringFixtures.database())
        #expect(
            try await empty.stand(now: start)
                == MeldingOutboxStand(wachtend: 0, bezig: 0, verzonden: 0, mislukt: 0, oudsteWachtendSeconden: 0))

        let fixture = try await outbox()
        #expect(try await fixture.outbox.stand(now: start + 90).wachtend == 5)
        #expect(try await fixture.outbox.stand(now: start + 90).oudsteWachtendSeconden == 90)
        let first = try await OutboxFixtures.messages(of: fixture.first.sleutel, pool: fixture.pool)
        try await OutboxFixtures.send(try #require(first[fixture.team]), at: start + 1, pool: fixture.pool)
        try await OutboxFixtures.fail(
            try #require(first[fixture.gemeente]), reden: "http_410", pogingen: 1, at: start + 2, pool: fixture.pool)
        try await OutboxFixtures.hold(try #require(first[fixture.leverancier]), houder: "a", until: start + 120, pool: fixture.pool)
        // Only the second melding's messages wait now, queued a minute later.
        let stand = try await fixture.outbox.stand(now: start + 90)
        #expect(stand == MeldingOutboxStand(wachtend: 2, bezig: 1, verzonden: 1, mislukt: 1, oudsteWachtendSeconden: 30))
        #expect(MeldingBezorgStatus.allCases.map { stand[$0] } == [2, 1, 1, 1])
        // A clock behind the queue's never makes a negative age.
        #expect(try await fixture.outbox.stand(now: start).oudsteWachtendSeconden == 0)
        await fixture.pool.close()
    }

    @Test("The list shows messages newest first with their melding and receiver, filtered by status, soort and party")
    func list() async throws {
        let fixture = try await outbox()
        let all = try await fixture.outbox.list(MeldingOutbox.Filter())
        #expect(all.count == 5)
        #expect(all.prefix(2).allSatisfy { $0.sleutel == fixture.second.sleutel })
        #expect(all.suffix(3).allSatisfy { $0.sleutel == fixture.first.sleutel })
        let webhook = try #require(all.first { $0.abonnementID == fixture.gemeente })
        #expect(webhook.partij == .gemeente(amsterdam) && webhook.kanaal == .webhook && webhook.adres == "https://amsterdam.example/ddas")
        #expect(webhook.soort == "levering.opgegeven" && webhook.gemeente == amsterdam && webhook.leverancier == "xxllnc")
        #expect(webhook.status == .wachtend && webhook.pogingen == 0 && webhook.volgendePogingOp == start)
        #expect(webhook.aangemaaktOp == start && webhook.afgerondOp == nil && webhook.laatsteFout == nil)
        // Utrecht has no subscription: its melding reached the project team and the supplier only.
        #expect(Set(all.filter { $0.gemeente == utrecht }.map(\.partij)) == [.projectteam, .leverancier("xxllnc")])

        let first = try await OutboxFixtures.messages(of: fixture.first.sleutel, pool: fixture.pool)
        let toTeam = try #require(first[fixture.team])
        let toAmsterdam = try #require(first[fixture.gemeente])
        try await OutboxFixtures.fail(toTeam, reden: "smtp_550", pogingen: 8, at: start + 5, pool: fixture.pool)
        let failed = try await fixture.outbox.list(MeldingOutbox.Filter(status: .mislukt))
        #expect(failed.map(\.id) == [toTeam])
        #expect(failed.first?.laatsteFout == "smtp_550" && failed.first?.pogingen == 8 && failed.first?.afgerondOp == start + 5)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(status: .bezig)).isEmpty)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(soort: .leveringOpgegeven)).count == 5)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(soort: .toestemmingIngetrokken)).isEmpty)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(partij: .projectteam)).count == 2)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(partij: .gemeente(amsterdam))).map(\.id) == [toAmsterdam])
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(partij: .gemeente(utrecht))).isEmpty)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(partij: .leverancier("bkr"))).isEmpty)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(status: .wachtend, partij: .leverancier("xxllnc"))).count == 2)
        await fixture.pool.close()
    }

    @Test("A limit is taken within 1 to 500, whatever number is asked", arguments: [0, -1, 1, 2, 500, 501, Int.max, Int.min])
    func limit(_ limit: Int) async throws {
        let fixture = try await outbox()
        let expected = min(max(limit, 1), 5)
        #expect(try await fixture.outbox.list(MeldingOutbox.Filter(limit: limit)).count == expected)
        await fixture.pool.close()
    }

    @Test("A failed message is sent again only from mislukt: waiting, due now, attempts reset, reason kept, audited, dispatchers woken")
    func retry() async throws {
        let fixture = try await outbox()
        let first = try await OutboxFixtures.messages(of: fixture.first.sleutel, pool: fixture.pool)
        let failed = try #require(first[fixture.team])
        let sent = try #require(first[fixture.gemeente])
        let waiting = try #require(first[fixture.leverancier])
        try await OutboxFixtures.fail(failed, reden: "smtp_550 mailbox unavailable", pogingen: 8, at: start + 5, pool: fixture.pool)
        try await OutboxFixtures.send(sent, at: start + 5, pool: fixture.pool)
        let events = try PostgresListener.events(
            configuration: fixture.pool.configuration.connection, channels: [MeldingOutbox.channel], logger: TestPostgres.logger)
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .listening)

        let later = start + 3_600
        #expect(try await fixture.outbox.retry(failed, by: .commandLine, now: later) == .wachtend)
        #expect(await iterator.next() == .notification(channel: MeldingOutbox.channel, payload: "1"))
        let row = try #require(try await fixture.outbox.list(MeldingOutbox.Filter(partij: .projectteam)).first { $0.id == failed })
        #expect(row.status == .wachtend && row.pogingen == 0 && row.volgendePogingOp == later && row.afgerondOp == nil)
        #expect(row.laatsteFout == "smtp_550 mailbox unavailable")
        #expect(try await fixture.outbox.stand(now: later).mislukt == 0)

        // Not again, nor a message that was sent, waits, or does not exist; none of them changes anything.
        #expect(try await fixture.outbox.retry(failed, by: .commandLine, now: later) == .geweigerd(.wachtend))
        #expect(try await fixture.outbox.retry(sent, by: .commandLine, now: later) == .geweigerd(.verzonden))
        #expect(try await fixture.outbox.retry(waiting, by: .commandLine, now: later) == .geweigerd(.wachtend))
        #expect(try await fixture.outbox.retry(UUID(), by: .commandLine, now: later) == .onbekend)
        #expect(
            try await fixture.outbox.stand(now: later)
                == MeldingOutboxStand(wachtend: 4, bezig: 0, verzonden: 1, mislukt: 0, oudsteWachtendSeconden: 3_600))

        let audited = try await fixture.pool.queryTrail(
            "SELECT actor, origin, object_type, object_id, before::text AS before, after::text AS after FROM audit_events WHERE action = 'melding.opnieuw'"
        )
        #expect(audited.count == 1)
        let event = try #require(audited.first)
        #expect(try event.decode("object_id", as: String.self) == failed.uuidString.lowercased())
        #expect(try event.decode("object_type", as: String.self) == "melding_bezorging")
        #expect(try event.decode("origin", as: String.self) == "cli")
        let before = try event.decode("before", as: String.self)
        #expect(before.contains("\"mislukt\"") && before.contains("\"8\"") && !before.contains("mailbox"))
        #expect(try event.decode("after", as: String.self).contains("\"wachtend\""))
        await fixture.pool.close()
    }

    @Test("Every failed message is sent again, each audited, and nothing else")
    func retryFailed() async throws {
        let fixture = try await outbox()
        let first = try await OutboxFixtures.messages(of: fixture.first.sleutel, pool: fixture.pool)
        let second = try await OutboxFixtures.messages(of: fixture.second.sleutel, pool: fixture.pool)
        let failed = [try #require(first[fixture.team]), try #require(second[fixture.leverancier])]
        try await OutboxFixtures.fail(failed[0], reden: "http_410", pogingen: 1, at: start + 10, pool: fixture.pool)
        try await OutboxFixtures.fail(failed[1], reden: "smtp_550", pogingen: 8, at: start + 20, pool: fixture.pool)
        try await OutboxFixtures.send(try #require(first[fixture.gemeente]), at: start + 5, pool: fixture.pool)

        #expect(try await fixture.outbox.retryFailed(by: .commandLine, now: start + 60) == failed)
        #expect(
            try await fixture.outbox.stand(now: start + 60)
                == MeldingOutboxStand(wachtend: 4, bezig: 0, verzonden: 1, mislukt: 0, oudsteWachtendSeconden: 60))
        #expect(try await fixture.outbox.retryFailed(by: .commandLine, now: start + 61).isEmpty)
        let audited = try await fixture.pool.queryTrail(
            "SELECT object_id FROM audit_events WHERE action = 'melding.opnieuw' ORDER BY seq")
        #expect(try audited.map { try $0.decode("object_id", as: String.self) } == failed.map { $0.uuidString.lowercased() })
        await fixture.pool.close()
    }
}
