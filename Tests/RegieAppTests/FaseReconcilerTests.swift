import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Phase reconciler")
struct FaseReconcilerTests {
    @Test("consent becomes active on its geldigVan and stops counting after its geldigTot: the reconciler moves the phase")
    func validityWindow() async throws {
        let app = try await TestApp.make()
        let store = app.dependencies.onboarding
        let reconciler = FaseReconciler(onboarding: store, logger: TestPostgres.logger)
        let code = try #require(Gemeentecode("GM0363"))
        let day: TimeInterval = 86_400
        let start = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
        let hash = String(repeating: "cd", count: 32)
        try await store.assignSupplier(
            code, stroom: .vs, leverancierID: "xxllnc", organisatienaam: "Gemeente Amsterdam", actor: .commandLine, expectedVersion: nil,
            now: start)
        _ = try await store.recordDPIA(
            code, .init(besluitdatum: amsterdamDay(start), goedkeurendeRol: "FG", documentreferentie: "DPIA-1", documentSHA256: hash),
            role: .gemeente,
            actor: .commandLine, expectedVersion: nil, now: start)
        _ = try await store.giveConsent(
            code,
            .init(
                leverancierID: "xxllnc", stromen: [.vs], besluitdatum: amsterdamDay(start), besluitvormendOrgaan: "college",
                documentreferentie: "B-1", documentSHA256: hash, geldigVan: amsterdamDay(start.addingTimeInterval(2 * day)),
                geldigTot: amsterdamDay(start.addingTimeInterval(10 * day))), actor: .commandLine, expectedVersion: nil, now: start)
        #expect(try await store.status(code)?.fase == "dpia_akkoord")

        #expect(try await reconciler.runOnce(now: start.addingTimeInterval(1 * day)).isEmpty)
        #expect(try await reconciler.runOnce(now: start.addingTimeInterval(3 * day)) == [code])
        #expect(try await store.status(code)?.fase == "toestemming_gegeven")
        #expect(try await reconciler.runOnce(now: start.addingTimeInterval(4 * day)).isEmpty)
        #expect(try await reconciler.runOnce(now: start.addingTimeInterval(12 * day)) == [code])
        #expect(try await store.status(code)?.fase == "dpia_akkoord")
        if case .broken = try await AuditLog().verify(pool: app.pool) { Issue.record("the audit chain is broken") }
        await app.pool.close()
    }
}
