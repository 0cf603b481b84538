import AsyncHTTPClient
import Foundation
import Testing

@testable import SupplierSimulator

@Suite("POST /gegevens")
struct GegevensAPITests {
    static let januari =
        #"{"aanleverperiodeStartdatum":"2025-01-01","aanleverperiodeEinddatum":"2025-01-31","aanleverende_organisatie":"Gemeente Amsterdam""#

    static func request(page: Int, pageSize: Int) -> String { januari + #","page":\#(page),"pageSize":\#(pageSize)}"# }

    @Test("a page: 200, JSON, Digest and signature of the body, paginering with all four fields, the right records")
    func page() async throws {
        try await Fixture.withSimulator { harness async throws in
            let reply = try await harness.gegevens(Self.request(page: 2, pageSize: 50))
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Content-Type") == "application/json")
            #expect(reply.headers.first(name: "Digest") == PayloadDigest.header(for: reply.body))
            #expect(reply.headers.first(name: "nlgov-adr-payload-sig") == NamedSigner.signature("normal", reply.body))
            #expect(reply.paginering == ["pageSize": 50, "currentPage": 2, "totalPages": 3, "totalRecords": 120])
            #expect(reply.vroegsignalen.count == 50)
            #expect(reply.leveringen.map { $0["gemeentecode"] as? String } == ["0363"])
            #expect(reply.gegevens["startdatumLevering"] as? String == "2025-01-01")
            #expect(reply.gegevens["codeGegevensleverancier"] as? String == "xxllnc")
            let last = try await harness.gegevens(Self.request(page: 3, pageSize: 50))
            #expect(last.vroegsignalen.count == 20)
        }
    }

    @Test("the same request twice gives the same bytes")
    func determinism() async throws {
        try await Fixture.withSimulator { harness async throws in
            let first = try await harness.gegevens(Self.request(page: 1, pageSize: 100))
            let second = try await harness.gegevens(Self.request(page: 1, pageSize: 100))
            #expect(first.status == 200)
            #expect(first.body == second.body)
            #expect(first.headers.first(name: "Digest") == second.headers.first(name: "Digest"))
        }
    }

    @Test("a page beyond totalPages is answered with page 1, and currentPage says 1")
    func beyondLastPage() async throws {
        try await Fixture.withSimulator { harness async throws in
            let first = try await harness.gegevens(Self.request(page: 1, pageSize: 50))
            let beyond = try await harness.gegevens(Self.request(page: 7, pageSize: 50))
            #expect(beyond.status == 200)
            #expect(beyond.paginering["currentPage"] == 1)
            #expect(beyond.body == first.body)
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(gemeentecode: "0363", page: 7) == 1)
        }
    }

    @Test("without pagination or period: the previous month, paginated at the maximum page size")
    func defaults() async throws {
        try await Fixture.withSimulator { harness async throws in
            let reply = try await harness.gegevens(#"{"aanleverende_organisatie":"gemeente utrecht"}"#)
            #expect(reply.status == 200)
            #expect(reply.paginering == ["pageSize": 50_000, "currentPage": 1, "totalPages": 1, "totalRecords": 120])
            #expect(reply.gegevens["startdatumLevering"] as? String == "2025-12-01")
            #expect(reply.gegevens["einddatumLevering"] as? String == "2025-12-31")
            let capped = try await harness.gegevens(Self.request(page: 1, pageSize: 90_000))
            #expect(capped.paginering["pageSize"] == 50_000)
        }
    }

    @Test("an organisation of several gemeenten gets one levering per gemeente; none named gets all")
    func severalGemeenten() async throws {
        try await Fixture.withSimulator { harness async throws in
            let reply = try await harness.gegevens(
                #"{"aanleverperiodeStartdatum":"2025-01-01","aanleverperiodeEinddatum":"2025-01-31","aanleverende_organisatie":"Kredietbank Noord"}"#
            )
            #expect(reply.leveringen.compactMap { $0["gemeentecode"] as? String } == ["0014", "0037"])
            #expect(reply.leveringen.compactMap { $0["teller"] as? Int } == [1, 2])
            #expect(reply.paginering["totalRecords"] == 240)
            let all = try await harness.gegevens(#"{"aanleverperiodeStartdatum":"2025-01-01","aanleverperiodeEinddatum":"2025-01-31"}"#)
            #expect(all.paginering["totalRecords"] == 480)
        }
    }

    @Test("a bad body: 400 problem+json naming every fault")
    func badBody() async throws {
        try await Fixture.withSimulator { harness async throws in
            let reply = try await harness.gegevens(#"{"page":0,"pageSize":"veel","aanleverperiodeStartdatum":"2025-02-30","filter":"x"}"#)
            reply.expectProblem(400)
            let detail = reply.json["detail"] as? String ?? ""
            for field in ["page", "pageSize", "aanleverperiodeStartdatum", "filter"] { #expect(detail.contains(field)) }
            #expect(!detail.contains("2025-02-30"))
            try await harness.gegevens("[1,2]").expectProblem(400)
            try await harness.gegevens("").expectProblem(400)
        }
    }

    @Test("an unknown organisation or an end before the start: 422 problem+json")
    func unprocessable() async throws {
        try await Fixture.withSimulator { harness async throws in
            try await harness.gegevens(#"{"aanleverende_organisatie":"Gemeente Nergenshuizen"}"#).expectProblem(422)
            try await harness.gegevens(#"{"aanleverperiodeStartdatum":"2025-03-01","aanleverperiodeEinddatum":"2025-02-01"}"#)
                .expectProblem(422)
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(gemeentecode: nil, outcome: .refused(status: 422)) == 5)  // the second counts for all four gemeenten
            #expect(counts.count(gemeentecode: "0363", outcome: .refused(status: 422)) == 1)
        }
    }

    @Test("a request Digest must match its body; a matching one is accepted")
    func requestDigest() async throws {
        try await Fixture.withSimulator { harness async throws in
            let body = Self.request(page: 1, pageSize: 10)
            let good = try await harness.gegevens(
                body,
                headers: ["Digest": PayloadDigest.header(for: Array(body.utf8)), "nlgov-adr-payload-sig": "eyJhbGciOiJQUzI1NiJ9..c2ln"])
            #expect(good.status == 200)
            let bad = try await harness.gegevens(body, headers: ["Digest": PayloadDigest.header(for: Array("{}".utf8))])
            bad.expectProblem(400)
        }
    }

    @Test("another method: 405 METHOD_UNSUPPORTED; another path: 404 SERVICE_NOT_FOUND")
    func fscErrors() async throws {
        try await Fixture.withSimulator { harness async throws in
            let get = try await harness.send(harness.base() + "/gegevens", method: .GET)
            get.expectProblem(405, fscErrorCode: "ERROR_CODE_METHOD_UNSUPPORTED")
            let elsewhere = try await harness.post(harness.running.origin + "/bkr/v1/gegevens", body: "{}")
            elsewhere.expectProblem(404, fscErrorCode: "ERROR_CODE_SERVICE_NOT_FOUND")
        }
    }

    @Test("SHV: schuldhulptrajecten of the requested gemeente, page size capped at 25,000")
    func schuldhulpverlening() async throws {
        let shv = Fixture.service(name: "shv", basePath: "/shv/v1", stroom: .schuldhulpverlening)
        try await Fixture.withSimulator([shv]) { harness async throws in
            let reply = try await harness.gegevens(Self.januari + #","pageSize":40000}"#, supplier: "shv")
            #expect(reply.status == 200)
            #expect(reply.paginering == ["pageSize": 25_000, "currentPage": 1, "totalPages": 1, "totalRecords": 120])
            let trajecten = reply.leveringen.flatMap { $0["schuldhulptrajecten"] as? [[String: Any]] ?? [] }
            #expect(trajecten.count == 120)
            #expect(trajecten.allSatisfy { $0["gemeentecode"] as? String == "0363" })
        }
    }
}
