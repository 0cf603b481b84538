import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import SupplierSimulator

@Suite("Faults as a client observes them")
struct FaultTests {
    static let request = GegevensAPITests.request(page: 1, pageSize: 50)

    /// The reply to one page request while `fault` is in force for Amsterdam.
    func reply(to fault: Fault, _ check: (Reply, Harness) async throws -> Void) async throws {
        try await Fixture.withSimulator(faults: [FaultRule(fault, gemeentecode: "GM0363")]) { harness async throws in
            let reply = try await harness.gegevens(Self.request)
            try await check(reply, harness)
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(gemeentecode: "0363", outcome: .fault(fault.kind)) == 1)
        }
    }

    @Test("500, 502 with SERVICE_UNREACHABLE, 503 with Retry-After")
    func serverErrors() async throws {
        try await reply(to: Fault(.serverError)) { reply, _ in reply.expectProblem(500) }
        try await reply(to: Fault(.badGateway)) { reply, _ in reply.expectProblem(502, fscErrorCode: "ERROR_CODE_SERVICE_UNREACHABLE") }
        var unavailable = Fault(.serviceUnavailable)
        unavailable.retryAfterSeconds = 12
        try await reply(to: unavailable) { reply, _ in
            reply.expectProblem(503)
            #expect(reply.headers.first(name: "Retry-After") == "12")
        }
    }

    @Test("429 with Retry-After in seconds")
    func tooManyRequests() async throws {
        try await reply(to: .tooManyRequests(retryAfterSeconds: 7)) { reply, _ in
            reply.expectProblem(429)
            #expect(reply.headers.first(name: "Retry-After") == "7")
        }
    }

    @Test("401, 403 and 404 carry their Fsc-Error-Code although the token is valid")
    func fscRefusals() async throws {
        try await reply(to: Fault(.unauthorized)) { reply, _ in reply.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID") }
        try await reply(to: Fault(.forbidden)) { reply, _ in reply.expectProblem(403, fscErrorCode: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN") }
        var expired = Fault(.unauthorized)
        expired.fscErrorCode = "ERROR_CODE_ACCESS_TOKEN_EXPIRED"
        try await reply(to: expired) { reply, _ in reply.expectProblem(401, fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_EXPIRED") }
        try await reply(to: Fault(.notFound)) { reply, _ in reply.expectProblem(404, fscErrorCode: "ERROR_CODE_SERVICE_NOT_FOUND") }
    }

    @Test("a slow response arrives whole, after the delay")
    func slowResponse() async throws {
        let started = ContinuousClock.now
        try await reply(to: .slowResponse(delayMilliseconds: 400)) { reply, _ in
            #expect(reply.status == 200)
            #expect(reply.vroegsignalen.count == 50)
        }
        #expect(ContinuousClock.now - started >= .milliseconds(400))
    }

    @Test("a wrong Digest does not match the body; the signature still signs the body")
    func wrongDigest() async throws {
        try await reply(to: Fault(.wrongDigest)) { reply, _ in
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Digest") != PayloadDigest.header(for: reply.body))
            #expect(reply.headers.first(name: "Digest")?.hasPrefix("SHA-256=") == true)
            #expect(reply.headers.first(name: "nlgov-adr-payload-sig") == NamedSigner.signature("normal", reply.body))
        }
    }

    @Test("a bad signature is made over other bytes; the Digest is right")
    func badSignature() async throws {
        try await reply(to: Fault(.badSignature)) { reply, _ in
            #expect(reply.headers.first(name: "Digest") == PayloadDigest.header(for: reply.body))
            let signature = reply.headers.first(name: "nlgov-adr-payload-sig")
            #expect(signature?.hasPrefix("normal..") == true)
            #expect(signature != NamedSigner.signature("normal", reply.body))
        }
    }

    @Test("untrusted chain and expired certificate: signed by those signers")
    func alternativeSigners() async throws {
        try await reply(to: Fault(.untrustedChain)) { reply, _ in
            #expect(reply.headers.first(name: "nlgov-adr-payload-sig") == NamedSigner.signature("untrusted", reply.body))
        }
        try await reply(to: Fault(.expiredCertificate)) { reply, _ in
            #expect(reply.headers.first(name: "nlgov-adr-payload-sig") == NamedSigner.signature("expired", reply.body))
        }
    }

    @Test("a signer fault without its signer is a configuration error")
    func signerFaultNeedsSigner() async throws {
        var service = Fixture.service()
        service.untrustedSigner = nil
        #expect(throws: SimulatorConfigurationError.self) {
            _ = try SupplierSimulator(
                configuration: SimulatorConfiguration(suppliers: [service], faults: [FaultRule(Fault(.untrustedChain))]))
        }
        let simulator = try SupplierSimulator(configuration: SimulatorConfiguration(suppliers: [service]))
        await #expect(throws: SimulatorConfigurationError.self) { try await simulator.faults.add(FaultRule(Fault(.untrustedChain))) }
        try await simulator.faults.add(FaultRule(Fault(.expiredCertificate)))
    }

    @Test("a schema violation sits in the first record: a required field gone, or a value outside the code list")
    func schemaViolation() async throws {
        try await reply(to: .schemaViolation(.missingRequiredField)) { reply, _ in
            #expect(reply.vroegsignalen.first?["signaalpartner"] == nil)
            #expect(reply.vroegsignalen.dropFirst().allSatisfy { $0["signaalpartner"] != nil })
            #expect(reply.headers.first(name: "Digest") == PayloadDigest.header(for: reply.body))
        }
        try await reply(to: .schemaViolation(.valueOutsideCodeList)) { reply, _ in
            let partner = reply.vroegsignalen.first?["signaalpartner"] as? [String: Any]
            #expect(partner?["type"] as? String == "Telefonie")
        }
    }

    @Test("another gemeente's levering is mixed in")
    func foreignLevering() async throws {
        try await reply(to: Fault(.foreignLevering)) { reply, _ in
            let codes = reply.leveringen.compactMap { $0["gemeentecode"] as? String }
            #expect(codes.count == 2)
            #expect(codes.first == "0363")
            #expect(codes.last != "0363")
        }
    }

    @Test("a wrong currentPage")
    func wrongCurrentPage() async throws {
        try await reply(to: Fault(.wrongCurrentPage)) { reply, _ in
            #expect(reply.status == 200)
            #expect(reply.paginering["currentPage"] == 2)
            #expect(reply.vroegsignalen.count == 50)
        }
    }

    @Test("a truncated body: the client gets part of it and an error, not a whole page")
    func truncatedBody() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.truncatedBody))]) { harness async throws in
            let token = try await harness.token()
            var request = HTTPClientRequest(url: harness.base() + "/gegevens")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(string: Self.request))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            let promised = Int(response.headers.first(name: "Content-Length") ?? "") ?? 0
            #expect(promised > 1_000)
            var received = 0
            await #expect(throws: (any Error).self) {
                for try await part in response.body { received += part.readableBytes }
            }
            #expect(received < promised)
        }
    }

    @Test("a stalled body: headers and part of the body, then silence until the client's read timeout")
    func stalledBody() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(10))))
        do {
            try await Fixture.withSimulator(faults: [FaultRule(.stalledBody(sentFraction: 0.3, stallLimitSeconds: 60))]) {
                harness async throws in
                let token = try await harness.token()
                var request = HTTPClientRequest(url: harness.base() + "/gegevens")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.body = .bytes(ByteBuffer(string: Self.request))
                let started = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(45))
                #expect(response.status == .ok)
                var received = 0
                await #expect(throws: HTTPClientError.readTimeout) {
                    for try await part in response.body { received += part.readableBytes }
                }
                #expect(received > 0)
                #expect(received < Int(response.headers.first(name: "Content-Length") ?? "") ?? 0)
                // The read timeout (10 s) is long enough for the headers on a loaded machine, and far
                // below the stall limit (60 s) that would end the stall otherwise.
                #expect(ContinuousClock.now - started < .seconds(45), "the stall ends at the read timeout, not at the stall limit")
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
