import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// `ddas-regie meldingen list|retry`, run as an operator would, against the test database.
@Suite("ddas-regie meldingen on the command line")
struct MeldingenCommandTests {
    @Test(
        "a bad flag or argument names what is wrong and exits 2",
        arguments: [
            (["meldingen", "list", "--status", "klaar"], "--status"),
            (["meldingen", "list", "--soort", "levering.kwijt"], "--soort"),
            (["meldingen", "list", "--partij", "Amsterdam"], "--partij"),
            (["meldingen", "list", "--partij", "gemeente:Amsterdam"], "--partij"),
            (["meldingen", "list", "--partij", "leverancier:"], "--partij"),
            (["meldingen", "list", "--partij", "projectteam:x"], "--partij"),
            (["meldingen", "list", "--limit", "0"], "--limit"),
            (["meldingen", "list", "--limit", "-1"], "--limit"),
            (["meldingen", "list", "--limit", "501"], "--limit"),
            (["meldingen", "list", "--limit", "9223372036854775807"], "--limit"),
            (["meldingen", "list", "--limit", "-9223372036854775808"], "--limit"),
            (["meldingen", "list", "--limit", "100000000000000000000"], "--limit"),
            (["meldingen", "list", "--limit", "vijf"], "--limit"),
            (["meldingen", "retry"], "--alle-mislukt"),
            (["meldingen", "retry", "bericht-1"], "UUID"),
            (["meldingen", "retry", "00000000-0000-0000-0000-000000000001", "--alle-mislukt"], "not both"),
            (["meldingen", "herstel"], "herstel"),
        ])
    func badInput(arguments: [String], named: String) async throws {
        let run = try await RegieProcess.run(arguments)
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains(named), "\(run.output)")
    }

    @Test("list prints the outbox as a table or JSON, filtered; retry sends a failed message again, audited, and refuses the rest")
    func listAndRetry() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        try await LeveringFixtures.database(into: pool)
        // Whole seconds, so that the ISO times printed are the ones asked for.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let team = try await OutboxFixtures.subscribe(.projectteam, adres: "ddas@projectteam.example", now: now, pool: pool)
        let gemeente = try await OutboxFixtures.subscribe(
            .gemeente(Gemeentecode("GM0363")!), kanaal: .webhook, adres: "https://amsterdam.example/ddas", now: now, pool: pool)
        let melding = OutboxFixtures.opgegeven(Gemeentecode("GM0363")!, at: now)
        try await MeldingOutbox(pool: pool).record(melding, now: now)
        let messages = try await OutboxFixtures.messages(of: melding.sleutel, pool: pool)
        let failed = try #require(messages[team])
        let waiting = try #require(messages[gemeente])
        try await OutboxFixtures.fail(failed, reden: "smtp_550", pogingen: 8, at: now, pool: pool)
        let url = ["--database-url", database.connectionString]

        let table = try await RegieProcess.run(["meldingen", "list"] + url)
        #expect(table.status == 0, "\(table.output)")
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("id ") == true && lines.first?.contains("laatste fout") == true)
        let failedLine = try #require(lines.first { $0.hasPrefix(failed.uuidString.lowercased()) })
        for cell in ["levering.opgegeven", "GM0363", "xxllnc", "projectteam", "email", "ddas@projectteam.example", "mislukt", "smtp_550"] {
            #expect(failedLine.contains(cell), "\(cell) in \(failedLine)")
        }
        #expect(failedLine.contains(ISO8601DateFormatter().string(from: now)))
        #expect(lines.contains { $0.hasPrefix(waiting.uuidString.lowercased()) && $0.contains("gemeente:GM0363") })
        #expect(table.output.contains("2 message(s)"))

        let json = try await RegieProcess.run(["meldingen", "list", "--json", "--partij", "gemeente:GM0363"] + url)
        #expect(json.status == 0, "\(json.output)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["id"] as? String == waiting.uuidString.lowercased())
        #expect(items.first?["adres"] as? String == "https://amsterdam.example/ddas" && items.first?["status"] as? String == "wachtend")
        #expect(items.first?["aangemaaktOp"] as? String == ISO8601DateFormatter().string(from: now))
        let none = try await RegieProcess.run(["meldingen", "list", "--status", "bezig", "--soort", "overzicht.dag"] + url)
        #expect(none.status == 0 && none.output.contains("geen berichten"), "\(none.output)")

        let retried = try await RegieProcess.run(["meldingen", "retry", failed.uuidString] + url)
        #expect(retried.status == 0, "\(retried.output)")
        #expect(retried.output.contains("\(failed.uuidString.lowercased()) wachtend"))
        let again = try await RegieProcess.run(["meldingen", "retry", failed.uuidString] + url)
        #expect(again.status == 1, "\(again.output)")
        #expect(again.output.contains("is wachtend, not mislukt"))
        let unknown = try await RegieProcess.run(["meldingen", "retry", UUID().uuidString] + url)
        #expect(unknown.status == 2 && unknown.output.contains("there is no message"), "\(unknown.output)")

        try await OutboxFixtures.fail(waiting, reden: "http_410", pogingen: 1, at: now, pool: pool)
        let all = try await RegieProcess.run(["meldingen", "retry", "--alle-mislukt"] + url)
        #expect(all.status == 0, "\(all.output)")
        #expect(all.output.contains("1 failed message(s) queued again."))
        #expect(try await MeldingOutbox(pool: pool).stand(now: now).mislukt == 0)
        let audited = try await pool.queryTrail(
            "SELECT object_id FROM audit_events WHERE action = 'melding.opnieuw' AND origin = 'cli' ORDER BY seq")
        #expect(try audited.map { try $0.decode("object_id", as: String.self) } == [failed, waiting].map { $0.uuidString.lowercased() })
        await pool.close()
    }
}
