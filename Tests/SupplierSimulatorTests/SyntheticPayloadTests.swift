import Foundation
import Testing

@testable import SupplierSimulator

@Suite("Synthetic data")
struct SyntheticPayloadTests {
    let amsterdam = SimulatedGemeente(code: "0363", organisatie: "Gemeente Amsterdam")!
    let januari = Aanleverperiode(start: KalenderDatum("2025-01-01")!, end: KalenderDatum("2025-01-31")!)!

    func generator(recordsPerMonth: Int = 400, variation: Double = 0, seed: UInt64 = 11, stroom: Stroom = .vroegsignalering)
        -> SyntheticPayload
    {
        SyntheticPayload(
            stroom: stroom, seed: seed, volume: SyntheticVolume(recordsPerMonth: recordsPerMonth, variation: variation),
            codeGegevensleverancier: "test")
    }

    func page(_ payload: SyntheticPayload, page: Int, size: Int, period: Aanleverperiode? = nil) throws -> [String: Any] {
        let plan = payload.plan(gemeenten: [amsterdam], period: period ?? januari, page: page, pageSize: size)
        let body = payload.responseBody(plan: plan, period: period ?? januari)
        return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }

    func signals(_ body: [String: Any]) -> [[String: Any]] {
        let leveringen = (body["gegevens"] as? [String: Any])?["leveringen"] as? [[String: Any]] ?? []
        return leveringen.flatMap { $0["vroegsignalen"] as? [[String: Any]] ?? [] }
    }

    @Test("the record count follows the monthly figure: whole months exactly, part of a month in proportion")
    func recordCount() {
        let payload = generator(recordsPerMonth: 300)
        #expect(payload.totalRecords(gemeente: "0363", period: januari) == 300)
        let kwartaal = Aanleverperiode(start: KalenderDatum("2025-01-01")!, end: KalenderDatum("2025-03-31")!)!
        #expect(payload.totalRecords(gemeente: "0363", period: kwartaal) == 900)
        let halfJuni = Aanleverperiode(start: KalenderDatum("2025-06-01")!, end: KalenderDatum("2025-06-15")!)!
        #expect(payload.totalRecords(gemeente: "0363", period: halfJuni) == 150)
    }

    @Test("variation keeps the count within its band, fixed by the seed, and a per-gemeente figure wins")
    func variation() {
        let payload = SyntheticPayload(
            stroom: .vroegsignalering, seed: 3,
            volume: SyntheticVolume(recordsPerMonth: 1_000, recordsPerMonthByGemeente: ["GM0344": 50], variation: 0.1),
            codeGegevensleverancier: "test")
        let counts = (0..<12).map { month in
            let start = KalenderDatum(year: 2025, month: month + 1, day: 1)!
            return payload.totalRecords(gemeente: "0363", period: Aanleverperiode.month(containing: start))
        }
        #expect(counts.allSatisfy { (900...1_100).contains($0) })
        #expect(Set(counts).count > 1)
        #expect(payload.totalRecords(gemeente: "0363", period: januari) == payload.totalRecords(gemeente: "0363", period: januari))
        #expect((45...55).contains(payload.totalRecords(gemeente: "0344", period: januari)))
    }

    @Test("the same page twice is the same bytes; another seed gives other data")
    func determinism() {
        let payload = generator()
        let plan = payload.plan(gemeenten: [amsterdam], period: januari, page: 2, pageSize: 150)
        #expect(payload.responseBody(plan: plan, period: januari) == payload.responseBody(plan: plan, period: januari))
        #expect(generator(seed: 12).responseBody(plan: plan, period: januari) != payload.responseBody(plan: plan, period: januari))
    }

    @Test("a record is the same whichever page it is on")
    func recordsIndependentOfPaging() throws {
        let payload = generator()
        let whole = signals(try page(payload, page: 1, size: 400))
        let thirds = try (1...3).flatMap { signals(try page(payload, page: $0, size: 150)) }
        #expect(whole.count == 400)
        #expect(thirds.count == 400)
        func canonical(_ record: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: record, options: .sortedKeys) }
        #expect(try whole.map(canonical) == thirds.map(canonical))
    }

    @Test("paging: pages cut the records, the last page is short, a page past the end is page 1")
    func paging() {
        let payload = generator(recordsPerMonth: 250)
        let last = payload.plan(gemeenten: [amsterdam], period: januari, page: 3, pageSize: 100)
        #expect(last.paginering == Paginering(pageSize: 100, currentPage: 3, totalPages: 3, totalRecords: 250))
        #expect(last.parts.map(\.records) == [200..<250])
        let beyond = payload.plan(gemeenten: [amsterdam], period: januari, page: 9, pageSize: 100)
        #expect(beyond.paginering.currentPage == 1)
        #expect(beyond.parts.map(\.records) == [0..<100])
        let empty = generator(recordsPerMonth: 0).plan(gemeenten: [amsterdam], period: januari, page: nil, pageSize: 100)
        #expect(empty.paginering == Paginering(pageSize: 100, currentPage: 1, totalPages: 1, totalRecords: 0))
        #expect(empty.parts.count == 1)
    }

    @Test("several gemeenten share the pages in the order of their codes")
    func severalGemeenten() {
        let utrecht = SimulatedGemeente(code: "0344", organisatie: "Gemeente Utrecht")!
        let plan = generator(recordsPerMonth: 100).plan(gemeenten: [amsterdam, utrecht], period: januari, page: 2, pageSize: 80)
        #expect(plan.paginering.totalRecords == 200)
        #expect(plan.parts.map(\.gemeente.code) == ["0344", "0363"])
        #expect(plan.parts.map(\.records) == [80..<100, 0..<60])
    }

    @Test("a page that ends within the first gemeente's records leaves the later gemeenten off")
    func pageWithinFirstGemeente() {
        let utrecht = SimulatedGemeente(code: "0344", organisatie: "Gemeente Utrecht")!
        let plan = generator(recordsPerMonth: 100).plan(gemeenten: [amsterdam, utrecht], period: januari, page: 1, pageSize: 10)
        #expect(plan.parts.map(\.gemeente.code) == ["0344"])
        #expect(plan.parts.map(\.records) == [0..<10])
    }

    @Test("BSNs pass the elfproef, postcodes look Dutch, dates fall in the period, IDs are unique")
    func realisticValues() throws {
        let body = try page(generator(recordsPerMonth: 2_000), page: 1, size: 2_000)
        let records = signals(body)
        #expect(records.count == 2_000)
        let clients = records.compactMap { $0["client"] as? [String: Any] }
        let bsns = clients.compactMap { $0["burgerservicenummer"] as? String }
        let postcodes = clients.compactMap { $0["postcode"] as? String }
        #expect(bsns.count > 1_500)
        #expect(postcodes.count > 50)
        #expect(bsns.allSatisfy(passesElfproef))
        #expect(postcodes.allSatisfy(isPostcode))
        for client in clients where client["burgerservicenummer"] != nil {
            #expect(client.count == 1)  // the schema's oneOf allows nothing beside a BSN
        }
        let dates = records.flatMap { [$0["signaaldatum"], $0["ontstaansdatum"]].compactMap { $0 as? String } }
        #expect(dates.allSatisfy { ("2025-01-01"..."2025-01-31").contains($0) })
        let ids = records.compactMap { $0["ID"] as? String }
        #expect(Set(ids).count == records.count)
    }

    @Test("zaken refer only to vroegsignalen on the same page, with dates in the period")
    func zakenReferToPage() throws {
        for pageNumber in 1...3 {
            let body = try page(generator(), page: pageNumber, size: 150)
            let levering = try #require(((body["gegevens"] as? [String: Any])?["leveringen"] as? [[String: Any]])?.first)
            let ids = Set((levering["vroegsignalen"] as? [[String: Any]] ?? []).compactMap { $0["ID"] as? String })
            let zaken = levering["vroegsignaalzaken"] as? [[String: Any]] ?? []
            #expect(zaken.count > ids.count / 2)
            for zaak in zaken {
                let references = (zaak["vroegsignalen"] as? [[String: Any]] ?? []).compactMap { $0["ID"] as? String }
                #expect(!references.isEmpty)
                #expect(references.allSatisfy(ids.contains))
                let pogingen = (zaak["contactpogingen"] as? [[String: Any]] ?? []).compactMap { $0["datum"] as? String }
                let zaakDates = ["matchingsdatum", "datumOpgepakt", "startdatumMatchingperiode", "einddatumMatchingperiode"]
                    .compactMap { zaak[$0] as? String }
                #expect((pogingen + zaakDates).allSatisfy { ("2025-01-01"..."2025-01-31").contains($0) })
            }
        }
    }

    @Test("the outcomes follow the seed table: 'no contact' leads, a zaak without outcome is common")
    func outcomeDistribution() throws {
        let body = try page(generator(recordsPerMonth: 3_000), page: 1, size: 3_000)
        let levering = try #require(((body["gegevens"] as? [String: Any])?["leveringen"] as? [[String: Any]])?.first)
        let zaken = levering["vroegsignaalzaken"] as? [[String: Any]] ?? []
        let outcomes = zaken.map { $0["resultaat"] as? String ?? "" }
        let geenContact = outcomes.filter { $0 == "Definitief geen contact kunnen krijgen" }.count
        let advies = outcomes.filter { $0 == "(Budget)advies en/of quick fix" }.count
        #expect(geenContact > advies * 3)
        #expect(outcomes.filter(\.isEmpty).count > zaken.count / 10)
    }

    @Test("tampering: foreign levering, schema violation and wrong currentPage show in the body")
    func tampering() throws {
        let payload = generator()
        let plan = payload.plan(gemeenten: [amsterdam], period: januari, page: 1, pageSize: 50)
        let foreign = SimulatedGemeente(code: "9001", organisatie: "Gemeente Elders")!
        let damaged = payload.responseBody(
            plan: plan, period: januari,
            tampering: PayloadTampering(schemaViolation: .missingRequiredField, foreignGemeente: foreign, currentPage: 4))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(damaged)) as? [String: Any])
        let leveringen = (body["gegevens"] as? [String: Any])?["leveringen"] as? [[String: Any]] ?? []
        #expect(leveringen.compactMap { $0["gemeentecode"] as? String } == ["0363", "9001"])
        let first = try #require(signals(body).first)
        #expect(first["signaalpartner"] == nil)
        #expect(signals(body).dropFirst().allSatisfy { $0["signaalpartner"] != nil })
        #expect((body["paginering"] as? [String: Int])?["currentPage"] == 4)
    }

    @Test("SHV: schuldhulptrajecten carry the gemeentecode, valid BSNs and dates in the period")
    func schuldhulpverlening() throws {
        let body = try page(generator(recordsPerMonth: 200, stroom: .schuldhulpverlening), page: 1, size: 200)
        let leveringen = (body["gegevens"] as? [String: Any])?["leveringen"] as? [[String: Any]] ?? []
        let trajecten = leveringen.flatMap { $0["schuldhulptrajecten"] as? [[String: Any]] ?? [] }
        #expect(trajecten.count == 200)
        #expect(trajecten.allSatisfy { $0["gemeentecode"] as? String == "0363" })
        let clients = trajecten.flatMap { $0["client"] as? [[String: Any]] ?? [] }
        #expect(clients.compactMap { $0["Burgerservicenummer"] as? String }.allSatisfy(passesElfproef))
        #expect(clients.compactMap { $0["Postcode"] as? String }.allSatisfy(isPostcode))
        #expect(trajecten.compactMap { $0["startdatum"] as? String }.allSatisfy { ("2025-01-01"..."2025-01-31").contains($0) })
    }

    @Test("dates: parsing refuses what is not a day, and day numbers round-trip")
    func kalenderDatum() {
        #expect(KalenderDatum("2024-02-29")?.description == "2024-02-29")
        #expect(KalenderDatum("2025-02-29") == nil)
        #expect(KalenderDatum("2025-1-01") == nil)
        #expect(KalenderDatum("2025-13-01") == nil)
        #expect(KalenderDatum("1970-01-01")?.dayNumber == 0)
        for day in stride(from: -719_000, to: 2_900_000, by: 997) {
            let datum = KalenderDatum(dayNumber: day)
            let parts = datum.components
            #expect(KalenderDatum(year: parts.year, month: parts.month, day: parts.day) == datum)
        }
    }
}
