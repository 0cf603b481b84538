import DDASClient
import Foundation
import RegieDomain
import RegieTestSupport
import SupplierSimulator
import Testing

@testable import RegieApp

@Suite("A pull asks the next page while it checks the current one")
struct PullAheadTests {
    /// Pulls the fixture's first gemeente's 2026-Q1 delivery straight through its client into a
    /// fresh staging area; the outcome and the area's files afterwards.
    static func pull(_ fixture: ExchangeFixture) async throws -> (Result<PulledLevering, LeveringFailure>, files: [String], seconds: Double)
    {
        let code = fixture.codes[0]
        let register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
        let name = try #require(register.gemeenten.first { $0.code == code }?.name)
        let client = try #require(fixture.exchange.client(leverancierID: "xxllnc", stroom: "VS"))
        let area = try fixture.exchange.staging.area(levering: UUID(), attempt: 1)
        defer { area.discard() }
        let request = PullRequest(
            leveringID: UUID(), attempt: 1, gemeentecode: code.rawValue, organisatie: "Gemeente \(name)", periodeStart: "2026-01-01",
            periodeEind: "2026-03-31", pullDate: "2026-04-15")
        let start = ContinuousClock.now
        let result: Result<PulledLevering, LeveringFailure>
        do {
            result = .success(try await client.pull(request, into: area))
        } catch {
            result = .failure(error)
        }
        let elapsed = ContinuousClock.now - start
        let files = try FileManager.default.contentsOfDirectory(atPath: area.folder.path).sorted()
        return (result, files, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test("a delivery of three pages is pulled whole, each page asked once, and staged in order")
    func wholeDelivery() async throws {
        try await ExchangeFixture.with(gemeenten: 1, recordsPerMonth: 90, pageSize: 100) { fixture in
            let (result, files, _) = try await Self.pull(fixture)
            let pulled = try result.get()
            #expect(pulled.pages.map(\.number) == [1, 2, 3])
            #expect(pulled.records > 200, "about 270 records in pages of 100")
            #expect(files == ["pagina-0001.json", "pagina-0002.json", "pagina-0003.json"])
            let ledger = await fixture.simulator.ledger.snapshot()
            for page in 1...3 { #expect(ledger.count(gemeentecode: fixture.codes[0].rawValue, page: page) == 1, "page \(page)") }
            #expect(ledger.count(gemeentecode: fixture.codes[0].rawValue, page: 4) == 0)
        }
    }

    @Test("a pull cancelled before it ran asks the supplier nothing and ends at once, however long the supplier would stall")
    func cancelledBeforeItRan() async throws {
        let faults: @Sendable ([Gemeentecode]) -> [FaultRule] = { _ in [FaultRule(.stalledBody(sentFraction: 0.3, stallLimitSeconds: 30))] }
        try await ExchangeFixture.with(gemeenten: 1, recordsPerMonth: 90, pageSize: 100, faults: faults) { fixture in
            // A child added to a cancelled group starts cancelled, as a page asked ahead does
            // when the pull ends before that page's task ran.
            let outcome = await withTaskGroup(of: (Result<PulledLevering, LeveringFailure>, Double).self) { group in
                group.cancelAll()
                group.addTask {
                    guard let (result, _, seconds) = try? await Self.pull(fixture) else {
                        return (.failure(LeveringFailure(.internal, "the pull could not be set up")), 0)
                    }
                    return (result, seconds)
                }
                return await group.next()
            }
            let (result, seconds) = try #require(outcome)
            guard case .failure(let failure) = result else {
                Issue.record("a cancelled pull succeeded")
                return
            }
            #expect(failure.klasse == .cancelled, "\(failure)")
            #expect(seconds < 15, "the cancelled pull took \(seconds) s")
            let ledger = await fixture.simulator.ledger.snapshot()
            #expect(ledger.count(gemeentecode: fixture.codes[0].rawValue, page: 1) == 0, "nothing was asked")
        }
    }

    @Test(
        "when page 2 fails its checks while page 3 is already asked, the pull ends with page 2's failure at once, page 3's file is gone, and nothing after page 3 is asked"
    )
    func failureWhileAhead() async throws {
        // Page 3 sends part of its body and then stalls for 300 s, under a read timeout of 120 s: a
        // pull that waited for it would take 120 s or more. One that ends at once stays far below the
        // bound even on a machine busy with every other suite.
        let faults: @Sendable ([Gemeentecode]) -> [FaultRule] = { _ in
            [
                FaultRule(.schemaViolation(.missingSupplierCode), page: 2),
                FaultRule(.stalledBody(sentFraction: 0.3, stallLimitSeconds: 300), page: 3),
            ]
        }
        try await ExchangeFixture.with(gemeenten: 1, recordsPerMonth: 90, pageSize: 100, readTimeout: .seconds(120), faults: faults) {
            fixture in
            let (result, files, seconds) = try await Self.pull(fixture)
            guard case .failure(let failure) = result else {
                Issue.record("the pull succeeded although page 2 breaks the schema")
                return
            }
            #expect(failure.klasse == .schema, "\(failure)")
            #expect(failure.message.hasPrefix("page 2 does not satisfy the exchange model"), "\(failure.message)")
            #expect(failure.message.contains("outside its records"))
            #expect(seconds < 60, "the pull waited \(seconds) s for the page asked ahead")
            #expect(!files.contains { $0.contains("0003") }, "\(files)")
            #expect(files.contains("pagina-0001.json"))
            let ledger = await fixture.simulator.ledger.snapshot()
            let code = fixture.codes[0].rawValue
            #expect(ledger.count(gemeentecode: code, page: 1) == 1)
            #expect(ledger.count(gemeentecode: code, page: 2) == 1)
            #expect(ledger.count(gemeentecode: code, page: 3) <= 1)
            #expect(ledger.count(gemeentecode: code, page: 4) == 0)
        }
    }
}
