import DDASSignature
import DDASTestPKI
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The test PKI's revocation services as the simulator offers them (see
/// `SimulatorConfiguration.revocation`), under `SimulatedRevocation.basePath` (default `/pki`):
/// - `POST ocsp` (`application/ocsp-request`) and `GET ocsp/{base64 of the DER request}`
///   (RFC 6960 appendix A): the OCSP answer, `application/ocsp-response`;
/// - `GET crl/{slug}.crl`: the CA's current CRL, `application/pkix-crl` (404 for another CA);
/// - `POST _simulator/intrekkingen` with `{"serial": "<hex>"}` or `{"vingerafdruk": "<SHA-256 hex>"}`,
///   guarded by the admin secret (`Authorization: Bearer <secret>`): revokes a certificate the
///   responder knows (200 with the serial revoked; 404 for an unknown certificate).
struct RevocationController: Sendable {
    let revocation: SimulatedRevocation

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        let base = revocation.normalizedBasePath
        let responder = revocation.responder
        router.post(RouterPath(base + "/ocsp")) { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return ocsp(await responder.answer(ocspRequest: Array(buffer: body)))
        }
        router.get(RouterPath(base + "/ocsp/**")) { request, _ in
            let prefix = base + "/ocsp/"
            let encoded = String(request.uri.path.dropFirst(prefix.count)).removingPercentEncoding ?? ""
            guard let der = Data(base64Encoded: encoded) else { return ocsp([0x30, 0x03, 0x0A, 0x01, 0x01]) }
            return ocsp(await responder.answer(ocspRequest: Array(der)))
        }
        router.get(RouterPath(base + "/crl/:file")) { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".crl"), let crl = await responder.crl(slug: String(file.dropLast(4))) else {
                throw HTTPError(.notFound)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/pkix-crl"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: crl)))
        }
        router.post(RouterPath(base + "/_simulator/intrekkingen")) { request, _ in
            guard let secret = revocation.adminSecret, request.headers[.authorization] == "Bearer \(secret)" else {
                throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_INVALID", detail: "The admin secret is missing or wrong.")
            }
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            guard let asked = try? JSONDecoder().decode(Intrekking.self, from: Data(buffer: buffer)),
                let key = asked.serial ?? asked.vingerafdruk
            else {
                throw SimulatorProblem.badRequest(["the body is not {\"serial\": \"<hex>\"} or {\"vingerafdruk\": \"<hex>\"}"])
            }
            guard let serial = await responder.revoke(key) else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"serial\":\"\(serial)\"}")))
        }
    }

    private func ocsp(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/ocsp-response"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private struct Intrekking: Decodable {
        let serial: String?
        let vingerafdruk: String?
    }
}

/// The test PKI's OCSP responder and CRLs in the simulator.
public struct SimulatedRevocation: Sendable {
    /// Answers and revokes.
    public var responder: TestRevocationResponder
    /// Where the services live, e.g. `/pki`; the PKI's `revocationBaseURL` is the simulator's
    /// origin followed by this.
    public var basePath: String
    /// Bearer secret for `{basePath}/_simulator/intrekkingen`; nil: nobody can revoke over HTTP.
    public var adminSecret: String?

    /// The services of `responder` under `basePath`.
    public init(responder: TestRevocationResponder, basePath: String = "/pki", adminSecret: String? = nil) {
        self.responder = responder
        self.basePath = basePath
        self.adminSecret = adminSecret
    }

    var normalizedBasePath: String {
        let trimmed = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
        return trimmed.hasPrefix("/") ? trimmed : "/" + trimmed
    }
}
