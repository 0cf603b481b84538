import DDASExchange
import DDASSignature
import Foundation

/// What one pull asks a supplier for.
public struct PullRequest: Sendable {
    public let leveringID: UUID
    public let attempt: Int
    /// The gemeente whose data is asked for (`GM0363`): the only gemeente a page may hold.
    public let gemeentecode: String
    /// `aanleverende_organisatie`: the name the supplier knows the gemeente by.
    public let organisatie: String
    /// `YYYY-MM-DD`.
    public let periodeStart: String
    public let periodeEind: String
    /// The day of the pull (`YYYY-MM-DD`): no date in the data may lie after it.
    public let pullDate: String

    public init(
        leveringID: UUID, attempt: Int, gemeentecode: String, organisatie: String, periodeStart: String, periodeEind: String,
        pullDate: String
    ) {
        self.leveringID = leveringID
        self.attempt = attempt
        self.gemeentecode = gemeentecode
        self.organisatie = organisatie
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.pullDate = pullDate
    }
}

/// The pages of a pull that passed every check, staged for the hand-over, and the quality
/// of their data (the semantic checks, counted over all pages).
public struct PulledDelivery: Sendable {
    public let pages: [StagedPage]
    public let quality: DeliveryQuality
    public var records: Int { pages.reduce(0) { $0 + $1.records } }
    public var bytes: Int { pages.reduce(0) { $0 + $1.bytes } }
}

/// Pulls one delivery from one supplier service, page by page, per the DDAS specification.
///
/// For each page 1...`totalPages`: the request body is signed as CBS signs it (`Digest` and a
/// JAdES signature); the answer must be complete JSON (a body cut short is retried), carry a
/// `Digest` over the exact bytes and a PS256 signature whose certificate chains to the
/// configured trust anchors, be the page asked for (the spec answers a missing page with
/// page 1), hold data of the requested gemeente only, and satisfy the exchange model's
/// schema outside its records. Totals must agree across pages, and the records must add up
/// to `totalRecords`. Each page's records then go through the semantic checks
/// (``DeliveryQualityAnalysis``): their findings, record-level schema violations included,
/// are counted for the op-orde-rapport, and whether they are too many is the caller's
/// decision. A page that passes is staged; any failure ends the pull with a classified
/// failure, and nothing of it is handed over. Only counts, codes and JSON pointers leave this
/// type, apart from the invalid code-list values kept in memory for standardisation.
public struct SupplierClient: Sendable {
    public let transport: SupplierTransport
    let signer: PayloadSigner
    let verifier: PayloadVerifier
    let model: ExchangeModel

    public init(transport: SupplierTransport, signer: PayloadSigner, verifier: PayloadVerifier, model: ExchangeModel) {
        self.transport = transport
        self.signer = signer
        self.verifier = verifier
        self.model = model
    }

    /// Pulls every page of `request` into `area`.
    public func pull(_ request: PullRequest, into area: StagingArea) async throws(ExchangeFailure) -> PulledDelivery {
        guard let gemeente = ExchangeGemeentecode(request.gemeentecode) else {
            throw ExchangeFailure("configuration", retryable: false, "\(request.gemeentecode) is not a gemeentecode")
        }
        var staged: [StagedPage] = []
        let quality = PageWorkBox(
            DeliveryQualityAnalysis(
                model: model, periodeStart: request.periodeStart, periodeEind: request.periodeEind, today: request.pullDate))
        var totals: (pages: Int, records: Int)?
        var number = 1
        repeat {
            let asked: GegevensRequest
            do {
                asked = try GegevensRequest(
                    aanleverperiodeStartdatum: request.periodeStart, aanleverperiodeEinddatum: request.periodeEind,
                    aanleverendeOrganisatie: request.organisatie, page: number, pageSize: transport.connection.pageSize)
            } catch {
                throw ExchangeFailure("configuration", retryable: false, "the request cannot be made: \(error)")
            }
            let (page, response, schema) = try await fetch(asked, number: number, gemeente: gemeente)
            let pageTotals = page.paginering.map { ($0.totalPages, $0.totalRecords) } ?? (1, page.recordCount)
            if let totals, totals != pageTotals {
                throw ExchangeFailure(
                    "paginering", retryable: true,
                    "page \(number) says \(pageTotals.0) pages and \(pageTotals.1) records, page 1 said \(totals.pages) and \(totals.records): the data changed during the pull"
                )
            }
            totals = pageTotals
            if let structural = await PageWork.run({ quality.value.add(page, schema: schema) }) {
                throw ExchangeFailure(
                    "schema", retryable: false,
                    "page \(number) does not satisfy the exchange model \(model.version): \(structural.count) violation(s) outside its records, the first \(structural.first?.description ?? "")",
                    httpStatus: 200)
            }
            do {
                staged.append(
                    try area.stage(
                        number: number, body: response.body, records: page.recordCount, digestHeader: response.digest ?? "",
                        signatureHeader: response.signature ?? ""))
            } catch {
                throw ExchangeFailure("staging", retryable: true, "page \(number) could not be kept for the hand-over: \(error)")
            }
            number += 1
        } while number <= (totals?.pages ?? 1)
        let pulled = PulledDelivery(pages: staged, quality: quality.value.finish())
        if let totals, pulled.records != totals.records {
            throw ExchangeFailure(
                "paginering", retryable: true, "the pages hold \(pulled.records) records, totalRecords says \(totals.records)")
        }
        return pulled
    }

    /// One page: asked, received, read, verified and checked against the request; the
    /// schema's verdict is returned for the quality analysis to attribute.
    func fetch(_ asked: GegevensRequest, number: Int, gemeente: ExchangeGemeentecode) async throws(ExchangeFailure) -> (
        GegevensPage, SupplierTransport.Response, SchemaValidationResult
    ) {
        let body = asked.jsonBytes()
        let signed: SignedHeaders
        do {
            signed = try signer.sign(body: body)
        } catch {
            throw ExchangeFailure("configuration", retryable: false, "the request could not be signed: \(error)")
        }
        let response = try await transport.postGegevens(body: body, digest: signed.digest, signature: signed.signature, page: number)
        guard response.status == 200 else {
            throw ExchangeFailure.status(
                response.status, page: number, retryAfter: response.retryAfter, fscErrorCode: response.fscErrorCode)
        }
        let page: GegevensPage
        let stream = model.stream
        do {
            page = try await PageWork.run { Result { () throws(PageReadError) in try GegevensPage(body: response.body, stream: stream) } }
                .get()
        } catch {
            // JSON cut short is a broken transfer, worth another attempt; JSON of the wrong shape is not.
            let retryable = error.code == .invalidJSON
            throw ExchangeFailure(retryable ? "brokenPage" : "schema", retryable: retryable, "page \(number): \(error)", httpStatus: 200)
        }
        do {
            _ = try await verifier.verify(body: response.body, digestHeader: response.digest, signatureHeader: response.signature)
        } catch {
            throw ExchangeFailure(
                "signature", retryable: false, "page \(number) failed the signature check: \(error.description) (\(error.code))",
                httpStatus: 200)
        }
        let model = model
        let validation = await PageWork.run { model.validate(page, answering: asked, for: [gemeente]) }
        if validation.holdsForeignData {
            let foreign = validation.problems.filter { $0.code == "foreign_gemeente" || $0.code == "unidentified_gemeente" }
            throw ExchangeFailure(
                "foreignGemeente", retryable: false,
                "page \(number) holds data the pull did not ask for (\(foreign.map(\.description).joined(separator: "; "))): rejected whole, nothing handed over",
                httpStatus: 200)
        }
        if let problem = validation.problems.first {
            throw ExchangeFailure("paginering", retryable: true, "page \(number): \(problem.description)", httpStatus: 200)
        }
        return (page, response, validation.schema)
    }
}
