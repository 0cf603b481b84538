import DDASSignature
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One supplier service's API under its base path: `POST {base}/gegevens` as `DDAS-VS.yaml`
/// (or `DDAS-SHV.yaml`) describes it, and the OAuth2 token endpoint.
///
/// Order of checks for `/gegevens`: the bearer token (401); CBS's signature by the request
/// verifier when one is configured (401, or 403 when another party signed), else only a
/// present `Digest` (400); the body as the service's API version reads it (400); the
/// organisation and period (422); then the fault plan may take over; otherwise the page is
/// generated, signed and sent.
struct LeverancierController: Sendable {
    /// The service served, and what it shares with the simulator's other services.
    let service: LeverancierDienst
    let payload: SyntheticPayload
    let tokens: TokenStore
    let faults: FaultPlan
    let ledger: RequestLedger
    let now: @Sendable () -> Date
    let logger: Logger

    /// A controller for `service`.
    init(
        service: LeverancierDienst, tokens: TokenStore, faults: FaultPlan, ledger: RequestLedger, now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.service = service
        payload = SyntheticPayload(
            stroom: service.stroom, seed: service.seed, volume: service.volume, codeGegevensleverancier: service.codeGegevensleverancier)
        self.tokens = tokens
        self.faults = faults
        self.ledger = ledger
        self.now = now
        self.logger = logger
    }

    /// Adds this service's routes to `router`.
    func addRoutes(to router: Router<SimulatorRequestContext>) {
        let base = service.normalizedBasePath
        router.post(RouterPath(base + "/gegevens")) { request, context in try await gegevens(request, context: context) }
        for method in [HTTPRequest.Method.get, .head, .put, .delete, .patch, .options] {
            router.on(RouterPath(base + "/gegevens"), method: method) { _, _ -> Response in
                await ledger.record(supplier: service.name, endpoint: .gegevens, gemeenten: [], page: nil, outcome: .refused(status: 405))
                throw SimulatorProblem.methodNotAllowed
            }
        }
        router.post(RouterPath(base + "/oauth/token")) { request, _ in try await token(request) }
        if service.adminSecret != nil {
            AdminController(service: service, faults: faults, ledger: ledger).addRoutes(to: router, base: base)
        }
    }

    /// What one `/gegevens` request asked for, once understood.
    struct Understood {
        var gemeenten: [SimulatedGemeente] = []
        var page: Int?
        var requestProfile: SigningProfile?
    }

    private func gegevens(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        var understood = Understood()
        do {
            let (response, outcome) = try await answer(request, context: context, understood: &understood)
            await ledger.record(
                supplier: service.name, endpoint: .gegevens, gemeenten: understood.gemeenten.map(\.code), page: understood.page,
                outcome: outcome, requestProfile: understood.requestProfile)
            return response
        } catch let problem as SimulatorProblem {
            await ledger.record(
                supplier: service.name, endpoint: .gegevens, gemeenten: understood.gemeenten.map(\.code), page: understood.page,
                outcome: .refused(status: Int(problem.status.code)), requestProfile: understood.requestProfile)
            throw problem
        }
    }

    private func answer(
        _ request: Request, context: SimulatorRequestContext, understood: inout Understood
    ) async throws -> (Response, RequestOutcome) {
        try await authorize(request)
        let body = try await readBody(request, limit: 64 * 1024)
        if let verifier = service.requestVerifier {
            understood.requestProfile = try await verifyRequest(request, body: body, verifier: verifier)
        } else if let digest = request.headers[.digest], !PayloadDigest.matches(digest, body: body) {
            throw SimulatorProblem(
                .badRequest, code: "digest-onjuist", title: "Ongeldig verzoek", detail: "The Digest header does not match the body.")
        }
        let parsed = try GegevensRequest.parse(body, version: service.apiVersion)
        understood.page = parsed.page ?? 1
        understood.gemeenten = try gemeenten(named: parsed.organisatie)
        let period = try self.period(parsed)
        let plan = payload.plan(
            gemeenten: understood.gemeenten, period: period, page: parsed.page, pageSize: service.pageSize(requested: parsed.pageSize))

        guard let fault = await faults.draw(supplier: service.name, gemeenten: understood.gemeenten.map(\.code), page: parsed.page ?? 1)
        else {
            return (try page(plan, period: period, fault: nil, context: context), .served)
        }
        logger.info("fault injected", metadata: ["supplier": "\(service.name)", "fault": "\(fault.kind.rawValue)"])
        if fault.kind == .accessTokenExpired, let token = Self.bearerToken(request) { await tokens.expire(token) }
        if let problem = problem(for: fault) { return (problem.response(), .fault(fault.kind)) }
        if fault.kind == .slowResponse {
            try await Task.sleep(for: .milliseconds(fault.delayMilliseconds ?? 2_000))
        }
        return (try page(plan, period: period, fault: fault, context: context), .fault(fault.kind))
    }

    /// CBS's signature on the request, by `verifier`, over every `Digest` and
    /// `nlgov-adr-payload-sig` value sent; the profile it used.
    ///
    /// Another signer than CBS is refused with 403 `ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN` (the
    /// only refusal of a party the spec's code list has); any other failure, duplicate headers
    /// included, with 401 `ERROR_CODE_ACCESS_TOKEN_INVALID`. Both are Inway errors; the body's
    /// `type` ends in `handtekening-ongeldig` or `ondertekenaar-onbekend`, and `detail` names
    /// the stable `SignatureFailure` code.
    private func verifyRequest(_ request: Request, body: [UInt8], verifier: any RequestVerifying) async throws -> SigningProfile {
        do {
            return try await verifier.verify(
                body: body, digestHeaders: request.headers[values: .digest],
                signatureHeaders: request.headers[values: .payloadSignature])
        } catch .signerMismatch {
            throw SimulatorProblem(
                .forbidden, code: "ondertekenaar-onbekend", title: "Ondertekenaar niet toegestaan",
                detail: "The request is not signed by the party this service serves (signer_mismatch).",
                fscErrorCode: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN")
        } catch {
            throw SimulatorProblem(
                .unauthorized, code: "handtekening-ongeldig", title: "Ongeldige handtekening",
                detail: "The request signature (nlgov-adr-payload-sig) is not valid (\(error.code)).",
                fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID")
        }
    }

    /// The bearer token of `Authorization`, nil when there is none.
    static func bearerToken(_ request: Request) -> String? {
        guard let authorization = request.headers[.authorization], authorization.count > 7,
            authorization.prefix(7).lowercased() == "bearer "
        else { return nil }
        return authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }

    private func authorize(_ request: Request) async throws {
        guard request.headers[.authorization] != nil else {
            throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_MISSING", detail: "No access token was sent.")
        }
        guard let token = Self.bearerToken(request) else {
            throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_MISSING", detail: "No bearer access token was sent.")
        }
        switch await tokens.check(token, supplier: service.name) {
        case .valid: return
        case .expired: throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_EXPIRED", detail: "The access token has expired.")
        case .unknown: throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_INVALID", detail: "The access token is not valid.")
        }
    }

    /// The gemeenten an organisation name stands for; all of the service's when no name is given.
    private func gemeenten(named organisatie: String?) throws(SimulatorProblem) -> [SimulatedGemeente] {
        guard let organisatie else { return service.gemeenten }
        let wanted = Self.normalized(organisatie)
        let found = service.gemeenten.filter { Self.normalized($0.organisatie) == wanted }
        guard !found.isEmpty else {
            throw SimulatorProblem(
                .unprocessableContent, code: "onbekende-organisatie", title: "Onbekende organisatie",
                detail: "\(service.apiVersion.organisationField) is not an organisation this supplier delivers for.")
        }
        return found
    }

    private static func normalized(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The period asked for: both dates as given; one date alone extends to its month;
    /// none gives the previous calendar month (UTC).
    private func period(_ request: GegevensRequest) throws(SimulatorProblem) -> Aanleverperiode {
        switch (request.startdatum, request.einddatum) {
        case (let start?, let end?):
            guard let period = Aanleverperiode(start: start, end: end) else {
                throw SimulatorProblem(
                    .unprocessableContent, code: "periode-ongeldig", title: "Ongeldige periode",
                    detail: "aanleverperiodeEinddatum is before aanleverperiodeStartdatum.")
            }
            return period
        case (let start?, nil):
            return Aanleverperiode(uncheckedStart: start, end: start.lastOfMonth)
        case (nil, let end?):
            return Aanleverperiode(uncheckedStart: end.firstOfMonth, end: end)
        case (nil, nil):
            let today = KalenderDatum(dayNumber: Int((now().timeIntervalSince1970 / 86_400).rounded(.down)))
            return Aanleverperiode.month(containing: today.firstOfMonth.adding(days: -1))
        }
    }

    /// The body, up to `limit` bytes.
    func readBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw SimulatorProblem(.contentTooLarge, code: "verzoek-te-groot", detail: "The request body is larger than \(limit) bytes.")
        }
    }
}
