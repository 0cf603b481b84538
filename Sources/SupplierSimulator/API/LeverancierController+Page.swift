import HTTPTypes
import Hummingbird
import NIOCore

extension LeverancierController {
    /// The error answer a fault gives instead of a page; nil for faults that damage or delay a page.
    func problem(for fault: Fault) -> SimulatorProblem? {
        switch fault.kind {
        case .serverError:
            return SimulatorProblem(.internalServerError, code: "interne-fout", detail: "The service failed (simulated).")
        case .badGateway:
            return SimulatorProblem(
                .badGateway, code: "service-onbereikbaar", detail: "The Inway cannot reach the service (simulated).",
                fscErrorCode: "ERROR_CODE_SERVICE_UNREACHABLE")
        case .serviceUnavailable:
            var headers: HTTPFields = [:]
            if let seconds = fault.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
            return SimulatorProblem(
                .serviceUnavailable, code: "niet-beschikbaar", detail: "The service is unavailable (simulated).", headers: headers)
        case .tooManyRequests:
            return SimulatorProblem(
                .tooManyRequests, code: "te-veel-verzoeken", detail: "Rate limit exceeded (simulated).",
                headers: [.retryAfter: String(fault.retryAfterSeconds ?? 30)])
        case .unauthorized:
            return SimulatorProblem.unauthorized(
                fault.fscErrorCode ?? "ERROR_CODE_ACCESS_TOKEN_INVALID", detail: "The access token is not accepted (simulated).",
                domain: fault.fscErrorDomain ?? .inway)
        case .forbidden:
            return SimulatorProblem(
                .forbidden, code: "geen-toegang", detail: "Access denied (simulated).",
                fscErrorCode: fault.fscErrorCode ?? "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", domain: fault.fscErrorDomain ?? .inway)
        case .notFound:
            return SimulatorProblem(
                .notFound, code: "service-not-found", detail: "The service was not found (simulated).",
                fscErrorCode: fault.fscErrorCode ?? "ERROR_CODE_SERVICE_NOT_FOUND", domain: fault.fscErrorDomain ?? .inway)
        case .accessTokenExpired:
            return SimulatorProblem.unauthorized(
                "ERROR_CODE_ACCESS_TOKEN_EXPIRED", detail: "The access token has expired (simulated).",
                domain: fault.fscErrorDomain ?? .outway)
        case .wrongGroupID:
            return SimulatorProblem(
                .forbidden, code: "verkeerde-groep", title: "Verkeerde FSC-groep",
                detail: "The access token is for another FSC group (simulated).", fscErrorCode: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN",
                domain: fault.fscErrorDomain ?? .inway)
        case .slowResponse, .stalledBody, .truncatedBody, .wrongDigest, .badSignature, .untrustedChain, .expiredCertificate,
            .schemaViolation, .foreignLevering, .wrongCurrentPage, .duplicateSignatureHeader, .wrongOINSigner:
            return nil
        }
    }

    /// The 200 answer with the page of `plan`, damaged, signed and sent as `fault` says.
    func page(_ plan: PagePlan, period: Aanleverperiode, fault: Fault?, context: SimulatorRequestContext) throws -> Response {
        var tampering = PayloadTampering()
        switch fault?.kind {
        case .schemaViolation: tampering.schemaViolation = fault?.schemaViolation ?? .missingRequiredField
        case .foreignLevering: tampering.foreignGemeente = foreignGemeente(besides: plan, code: fault?.foreignGemeentecode)
        case .wrongCurrentPage: tampering.currentPage = plan.paginering.currentPage + 1
        default: break
        }
        let body = payload.responseBody(plan: plan, period: period, tampering: tampering)

        let signer: any ResponseSigning
        switch fault?.kind {
        case .untrustedChain: signer = try configuredSigner(service.untrustedSigner, role: .untrusted)
        case .expiredCertificate: signer = try configuredSigner(service.expiredSigner, role: .expired)
        case .wrongOINSigner: signer = try configuredSigner(service.wrongOINSigner, role: .wrongOIN)
        default: signer = service.signer
        }
        var signed: (digest: String, signature: String)
        do {
            signed = try signer.signatureHeaders(for: body)
            if fault?.kind == .wrongDigest { signed.digest = PayloadDigest.header(for: body + [0x20]) }
            if fault?.kind == .badSignature { signed.signature = try signer.signatureHeaders(for: body + [0x20]).signature }
        } catch {
            logger.error("signing failed", metadata: ["supplier": "\(service.name)", "error.type": "\(type(of: error))"])
            throw SimulatorProblem(.internalServerError, code: "ondertekenen-mislukt", detail: "The response could not be signed.")
        }
        var headers: HTTPFields = [.contentType: "application/json", .digest: signed.digest, .payloadSignature: signed.signature]
        if fault?.kind == .duplicateSignatureHeader { headers.append(HTTPField(name: .payloadSignature, value: signed.signature)) }

        switch fault?.kind {
        case .truncatedBody:
            let sent = sentPart(of: body, fraction: fault?.sentFraction)
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: body.count) { writer in
                    try await writer.write(ByteBuffer(bytes: sent))
                    throw BrokenBody.truncated
                })
        case .stalledBody:
            let sent = sentPart(of: body, fraction: fault?.sentFraction)
            let limit = Duration.seconds(fault?.stallLimitSeconds ?? 600)
            let channel = context.channel
            let logger = logger
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: body.count) { writer in
                    try await writer.write(ByteBuffer(bytes: sent))
                    let end = try await InboundCloseWatcher.waitWhileConnected(channel, atMost: limit)
                    logger.info("stalled body ended", metadata: ["reason": "\(end.rawValue)"])
                    throw BrokenBody.stalled
                })
        default:
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    private func configuredSigner(_ signer: (any ResponseSigning)?, role: SignerRole) throws -> any ResponseSigning {
        guard let signer else {
            throw SimulatorProblem(
                .internalServerError, code: "ondertekenaar-ontbreekt", detail: "The simulator has no '\(role.rawValue)' signer configured.")
        }
        return signer
    }

    /// The first part of `body`, at least one byte short of all of it.
    private func sentPart(of body: [UInt8], fraction: Double?) -> ArraySlice<UInt8> {
        let share = min(max(fraction ?? 0.5, 0), 1)
        return body.prefix(min(Int(Double(body.count) * share), max(body.count - 1, 0)))
    }

    /// The gemeente of a `foreignLevering`: the one named, else another gemeente of this
    /// supplier that is not on the page, else a made-up one.
    private func foreignGemeente(besides plan: PagePlan, code: String?) -> SimulatedGemeente {
        let present = Set(plan.parts.map(\.gemeente.code))
        if let code, let digits = SimulatedGemeente.digits(of: code) {
            let known = service.gemeenten.first { $0.code == digits }
            return SimulatedGemeente(code: digits, organisatie: known?.organisatie ?? "Gemeente \(digits)")!
        }
        if let other = service.gemeenten.first(where: { !present.contains($0.code) }) { return other }
        let code = (9_000...9_999).lazy.map { String($0) }.first { !present.contains($0) } ?? "9999"
        return SimulatedGemeente(code: code, organisatie: "Gemeente \(code)")!
    }

    /// Why the server broke off a body on purpose.
    enum BrokenBody: Error {
        case truncated
        case stalled
    }
}
