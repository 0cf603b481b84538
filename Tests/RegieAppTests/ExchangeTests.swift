import Crypto
import DDASClient
import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

@testable import RegieApp

@Suite("The DDAS exchange end to end: the pull client against the simulator")
struct ExchangeTests {
    @Test("a delivery of several pages is pulled, verified and handed over byte for byte, with a manifest and checksums in the database")
    func pagesHandedOver() async throws {
        try await ExchangeFixture.with(gemeenten: 2, recordsPerMonth: 90, pageSize: 100) { fixture in
            try await fixture.enqueue(fixture.codes)
            try await fixture.drain()
            for code in fixture.codes {
                let delivery = try await fixture.delivery(code)
                #expect(delivery.status == "geslaagd" && delivery.pogingen == 1, "\(delivery)")
                let pages = try await LeveringQueue(pool: fixture.pool).pages(delivery.id)
                #expect(pages.count >= 2, "a quarter of about 270 records in pages of 100")
                let folder = fixture.sink.appendingPathComponent(delivery.id.uuidString.lowercased())
                for page in pages {
                    let body = try Data(contentsOf: folder.appendingPathComponent(String(format: "pagina-%04d.json", page.pagina)))
                    #expect(SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() == page.sha256)
                    #expect(body.count == page.bytes)
                }
                let manifest =
                    try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
                    as? [String: Any]
                #expect(manifest?["gemeentecode"] as? String == code.rawValue)
                #expect(manifest?["totaalRecords"] as? Int == pages.reduce(0) { $0 + $1.records })
                let attempt = try await fixture.pool.query(
                    "SELECT paginas, records, bytes, http_status FROM levering_pogingen WHERE levering_id = $1", [delivery.id]
                ).first
                #expect(try attempt?.decode("paginas", as: Int.self) == pages.count)
                #expect(try attempt?.decode("records", as: Int.self) == pages.reduce(0) { $0 + $1.records })
            }
            // Each page was asked exactly once.
            let ledger = await fixture.simulator.ledger.snapshot()
            #expect(ledger.count(gemeentecode: fixture.codes[0].rawValue, page: 2) == 1)
            #expect(fixture.staged().isEmpty)
        }
    }

    @Test(
        "transient faults are retried until the delivery succeeds: 5xx, 429, a truncated or stalled body, a wrong currentPage, a 401 once",
        arguments: [
            (FaultRule(Fault(.serverError), limit: 2), "serverError", 3),
            (FaultRule(Fault(.badGateway), limit: 1), "fscUnreachable", 2),
            (FaultRule(Fault(.accessTokenExpired), limit: 3), "fscTokenExpired", 2),
            (FaultRule(Fault(.serviceUnavailable), limit: 1), "serverError", 2),
            (FaultRule(.tooManyRequests(retryAfterSeconds: 120), limit: 1), "tooManyRequests", 2),
            (FaultRule(Fault(.truncatedBody), limit: 1), "brokenPage", 2),
            (FaultRule(.stalledBody(sentFraction: 0.3, stallLimitSeconds: 30), limit: 1), "timeout", 2),
            (FaultRule(Fault(.wrongCurrentPage), page: 2, limit: 1), "paginering", 2),
            (FaultRule(Fault(.unauthorized), limit: 1), "", 1),
            (FaultRule(.slowResponse(delayMilliseconds: 300)), "", 1),
        ])
    func transientFaults(rule: FaultRule, firstClass: String, attempts: Int) async throws {
        // A short read timeout only where a stalled body must be noticed (it stalls for 30 s); elsewhere the
        // default, so that a loaded machine's slow page is not an extra attempt.
        let readTimeout: Duration = firstClass == "timeout" ? .seconds(10) : .seconds(20)
        try await ExchangeFixture.with(gemeenten: 1, readTimeout: readTimeout, faults: { _ in [rule] }) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            _ = try await fixture.worker.runOnce()
            let first = try await fixture.delivery(code)
            if attempts > 1 {
                #expect(first.status == "mislukt" && first.klasse == firstClass, "\(first)")
                if firstClass == "tooManyRequests" {
                    let next = try await fixture.pool.query("SELECT volgende_poging_op FROM leveringen WHERE id = $1", [first.id]).first?
                        .decode("volgende_poging_op", as: Date.self)
                    #expect((next?.timeIntervalSince(fixture.clock.now) ?? 0) >= 119, "Retry-After is honoured")
                }
            }
            try await fixture.drain()
            let final = try await fixture.delivery(code)
            #expect(final.status == "geslaagd" && final.pogingen == attempts, "\(final)")
            #expect(fixture.sinkFiles(final.id).contains("manifest.json"))
            #expect(fixture.staged().isEmpty)
        }
    }

    @Test(
        "a page that fails a check ends the delivery opgegeven with the reason, and nothing of it reaches the sink",
        arguments: [
            (Fault(.wrongDigest), "signature", "digest_mismatch"),
            (Fault(.badSignature), "signature", "signature_invalid"),
            (Fault(.untrustedChain), "signature", "certificate_untrusted"),
            (Fault(.expiredCertificate), "signature", "certificate_expired"),
            (.schemaViolation(.missingSupplierCode), "schema", "outside its records"),
            (.schemaViolation(.valueOutsideCodeListInEveryRecord), "schema", "rejected as the specification says"),
            (.schemaViolation(.valueOutsideCodeList), "schema", "in 1 place(s): rejected as the specification says"),
            (Fault(.foreignLevering), "foreignGemeente", "rejected whole"),
            (Fault(.unauthorized), "fscConfiguration", "ERROR_CODE_ACCESS_TOKEN_INVALID"),
            (Fault(.forbidden), "fscConfiguration", "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN"),
            (Fault(.notFound), "fscConfiguration", "ERROR_CODE_SERVICE_NOT_FOUND"),
            (Fault(.wrongGroupID), "fscConfiguration", "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN"),
            (Fault(.duplicateSignatureHeader), "signature", "signature_duplicate"),
            (Fault(.wrongOINSigner), "signature", "signer_mismatch"),
        ])
    func finalFaults(fault: Fault, errorClass: String, reason: String) async throws {
        // The fault hits page 2 only where it can: page 1 is fine and staged, and still nothing is handed over.
        let page: Int? = ["signature", "schema", "foreignGemeente"].contains(errorClass) ? 2 : nil
        let incident = reason == "signer_mismatch" ? "levering.verkeerde_ondertekenaar" : "levering.vreemde_gegevens"
        try await ExchangeFixture.with(gemeenten: 1, faults: { _ in [FaultRule(fault, page: page)] }) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.pogingen == 1, "\(delivery)")
            #expect(delivery.klasse == errorClass)
            #expect(delivery.fout?.contains(reason) == true, "\(delivery.fout ?? "")")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
            #expect(try await LeveringQueue(pool: fixture.pool).pages(delivery.id).isEmpty)
            #expect(fixture.staged().isEmpty)
            let incidents = try await fixture.pool.queryTrail("SELECT count(*) AS n FROM audit_events WHERE action = $1", [incident])
                .first?.decode("n", as: Int.self)
            #expect(incidents == (errorClass == "foreignGemeente" || reason == "signer_mismatch" ? 1 : 0), "an incident is audited")
        }
    }

    @Test(
        "a supplier on API 1.0 signing the body and one on API 1.2 signing the KP-APIs way, in one run: both are pulled whole; each attempt records the supplier's reading, and CBS signs to each as configured"
    )
    func bothVersionsAndReadings() async throws {
        let old = ExchangeFixture.Leverancier(name: "bkr", apiVersion: .v1_0, responseSigning: .body, requestSigning: .body)
        let new = ExchangeFixture.Leverancier(name: "xxllnc", apiVersion: .v1_2, responseSigning: .kpAPIs, requestSigning: .kpAPIs)
        try await ExchangeFixture.with(gemeenten: 4, suppliers: [new, old]) { fixture in
            try await fixture.enqueue(fixture.codes)
            try await fixture.drain()
            for code in fixture.codes {
                let delivery = try await fixture.delivery(code)
                #expect(delivery.status == "geslaagd" && delivery.pogingen == 1, "\(code): \(delivery)")
                #expect(fixture.sinkFiles(delivery.id).contains("manifest.json"))
                let reading = try await fixture.pool.query(
                    "SELECT ondertekening FROM levering_pogingen WHERE levering_id = $1", [delivery.id]
                ).first?.decode("ondertekening", as: String?.self)
                #expect(reading == (fixture.supplierOf[code] == "bkr" ? "body" : "kp-apis"), "\(code)")
            }
            let ledger = await fixture.simulator.ledger.snapshot()
            #expect(ledger.count(supplier: "bkr", outcome: .served) > 0)
            #expect(ledger.count(supplier: "bkr", requestProfile: .body) == ledger.count(supplier: "bkr", outcome: .served))
            #expect(ledger.count(supplier: "xxllnc", requestProfile: .kpAPIs) == ledger.count(supplier: "xxllnc", outcome: .served))
        }
    }

    @Test("a client configured for the other API version is refused by the supplier with 400, final, and nothing is handed over")
    func versionMismatch() async throws {
        var supplier = ExchangeFixture.Leverancier(name: "xxllnc", apiVersion: .v1_2)
        supplier.clientAPIVersion = .v1_0
        try await ExchangeFixture.with(gemeenten: 1, suppliers: [supplier]) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.pogingen == 1 && delivery.klasse == "rejected", "\(delivery)")
            #expect(delivery.fout?.contains("400") == true, "\(delivery.fout ?? "")")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
        }
    }

    @Test(
        "with revocation required: a good certificate passes after an OCSP answer; once revoked, the pull fails as certificate_revoked, final, nothing handed over"
    )
    func revocation() async throws {
        try await ExchangeFixture.with(gemeenten: 2, revocation: .require) { fixture in
            let (responder, pki) = try #require(fixture.revocation)
            let first = fixture.codes[0]
            try await fixture.enqueue([first])
            try await fixture.drain()
            let passed = try await fixture.delivery(first)
            #expect(passed.status == "geslaagd", "\(passed)")
            #expect(await responder.ocspRequestCount > 0, "the responder was asked")

            _ = pki
        }
        try await ExchangeFixture.with(gemeenten: 1, revocation: .require) { fixture in
            let (responder, pki) = try #require(fixture.revocation)
            await responder.revoke(pki.leverancier.certificate)
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.pogingen == 1 && delivery.klasse == "signature", "\(delivery)")
            #expect(delivery.fout?.contains("certificate_revoked") == true, "\(delivery.fout ?? "")")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
            #expect(fixture.staged().isEmpty)
        }
    }

    @Test("under the count policy a schema violation in every record is a data-quality error: above the threshold, nothing is handed over")
    func schemaCounted() async throws {
        try await ExchangeFixture.with(
            gemeenten: 1, schemaViolations: .count, faults: { _ in [FaultRule(.schemaViolation(.valueOutsideCodeListInEveryRecord))] }
        ) { fixture in
            let code = fixture.codes[0]
            try await fixture.enqueue([code])
            try await fixture.drain()
            let delivery = try await fixture.delivery(code)
            #expect(delivery.status == "opgegeven" && delivery.klasse == "validation", "\(delivery)")
            #expect(delivery.fout?.contains("above the threshold of 5.0%") == true, "\(delivery.fout ?? "")")
            #expect(fixture.sinkFiles(delivery.id).isEmpty)
        }
    }

    @Test("a page above the configured size cap is refused without reading on")
    func responseTooLarge() async throws {
        try await ExchangeFixture.with(gemeenten: 1, recordsPerMonth: 3_000, pageSize: 10_000, maxResponseMB: 1) { fixture in
            try await fixture.enqueue([fixture.codes[0]])
            try await fixture.drain()
            let delivery = try await fixture.delivery(fixture.codes[0])
            #expect(delivery.status == "opgegeven" && delivery.klasse == "responseTooLarge", "\(delivery)")
        }
    }
}

/// The resident memory of this process, in bytes (`VmRSS`).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes * 1024
}

@Suite("The exchange's memory")
struct ExchangeMemoryTests {
    @Test("a pull of 3 pages of 50,000 vroegsignalen holds one page at a time: peak memory stays bounded")
    func fullPages() async throws {
        try await ExchangeFixture.with(gemeenten: 1, recordsPerMonth: 50_000, pageSize: 50_000, maxResponseMB: 128) { fixture in
            try await fixture.enqueue([fixture.codes[0]])
            let baseline = residentBytes()
            let sampler = Task {
                var peak = 0
                while !Task.isCancelled {
                    peak = max(peak, residentBytes())
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return peak
            }
            try await fixture.drain()
            sampler.cancel()
            let peak = await sampler.value
            let delivery = try await fixture.delivery(fixture.codes[0])
            #expect(delivery.status == "geslaagd", "\(delivery)")
            let pages = try await LeveringQueue(pool: fixture.pool).pages(delivery.id)
            let records = pages.reduce(0) { $0 + $1.records }
            let largest = pages.map(\.bytes).max() ?? 0
            let total = pages.reduce(0) { $0 + $1.bytes }
            #expect(pages.count >= 3 && records >= 135_000, "\(pages.count) pages, \(records) records")
            let growth = max(0, peak - baseline)
            print(
                "memory: \(pages.count) pages, \(records) records, \(total >> 20) MB pulled, largest page \(largest >> 20) MB, peak growth \(growth >> 20) MB"
            )
            // Bounded by a page, not by the delivery: well under what holding every page at once would take.
            #expect(growth < 12 * largest + (256 << 20), "peak growth \(growth >> 20) MB for pages of \(largest >> 20) MB")
        }
    }
}
