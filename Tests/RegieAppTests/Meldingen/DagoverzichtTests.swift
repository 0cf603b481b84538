import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@Suite("The project team's daily digest")
struct DagoverzichtTests {
    /// A moment on 15 January 2030, at `hour`:`minute` in Amsterdam (UTC+1 in winter).
    func moment(_ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar.date(from: DateComponents(year: 2030, month: 1, day: 15, hour: hour, minute: minute))!
    }

    func dagoverzicht(_ app: TestApp, at moment: Date) -> Dagoverzicht {
        Dagoverzicht(
            tijdstip: Dagoverzicht.Tijdstip("07:30")!, outbox: app.dependencies.meldingen, status: app.dependencies.stores.status,
            workflows: app.dependencies.onboarding.workflows, leadership: nil, logger: TestPostgres.logger, now: { moment })
    }

    @Test(
        "at its time (Europe/Amsterdam) one digest a day reaches the project team: what changed and who is overdue; not before, not twice")
    func oncePerDay() async throws {
        let app = try await TestApp.make()
        let team = try await MeldingFixtures.abonneer(.projectteam, kanaal: .email, adres: "team@ddas.example", pool: app.pool)
        let gemeente = try LeveringFixtures.gemeenten(1)[0]
        _ = try await MeldingFixtures.abonneer(.gemeente(gemeente), kanaal: .email, adres: "wijk@gemeente.example", pool: app.pool)
        try await app.dependencies.meldingen.record(MeldingFixtures.opgegeven(gemeente, at: moment(6, 0)), now: moment(6, 0))
        #expect(try await dagoverzicht(app, at: moment(7, 29)).runOnce() == false)
        #expect(try await dagoverzicht(app, at: moment(7, 30)).runOnce() == true)
        #expect(try await dagoverzicht(app, at: moment(18, 0)).runOnce() == false)
        let rows = try await app.pool.query(
            "SELECT m.inhoud::text AS inhoud, b.abonnement_id FROM meldingen m JOIN melding_bezorgingen b ON b.melding_id = m.id WHERE m.soort = 'overzicht.dag'"
        )
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(try row.decode("abonnement_id", as: UUID.self) == team)
        let melding = try Melding.decoded(Data(try row.decode("inhoud", as: String.self).utf8))
        #expect(melding.sleutel == "overzicht.dag:2030-01-15")
        #expect(melding.feiten.aantallen?["levering.opgegeven"] == 1)
        // In 2030 every milestone of the plan has passed: each gemeente that is not active is overdue.
        let achterstanden = try #require(melding.feiten.achterstanden)
        #expect(achterstanden.count > 300)
        #expect(achterstanden.allSatisfy { $0.range(of: #"^.+ \(GM[0-9]{4}\): [a-z_]+$"#, options: .regularExpression) != nil })
        let tekst = MeldingTekst(melding, basis: "https://regie.example")
        #expect(tekst.onderwerp == "DDAS dagoverzicht 2030-01-15")
        #expect(tekst.tekst.contains("Gemeenten die achterlopen (\(achterstanden.count)):"))
        #expect(tekst.tekst.contains("- en nog \(achterstanden.count - 50) (zie het dashboard)"))
        // The next day, the next one.
        #expect(try await dagoverzicht(app, at: moment(7, 30).addingTimeInterval(86_400)).runOnce() == true)
        await app.pool.close()
    }

    @Test("a time of day is HH:MM from 00:00 to 23:59; anything else is refused")
    func tijdstip() {
        #expect(Dagoverzicht.Tijdstip("07:30")?.description == "07:30")
        #expect(Dagoverzicht.Tijdstip("00:00") != nil)
        #expect(Dagoverzicht.Tijdstip("23:59") != nil)
        for bad in ["24:00", "7:30", "07:60", "-1:00", "07-30", "", "07:3", "٠٧:٣٠", "99999999999999999999:00"] {
            #expect(Dagoverzicht.Tijdstip(bad) == nil, "\(bad)")
        }
    }
}
