import DDASExchange
import DDASSignature
import Foundation
import RegieDomain
import Synchronization

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
public struct PulledLevering: Sendable {
    public let pages: [StagedPage]
    public let quality: LeveringKwaliteit
    /// Which readings of DDAS signing the supplier's pages were signed in (one, normally).
    public let signing: Set<SigningProfile>
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
/// (``LeveringKwaliteitAnalysis``): their findings, record-level schema violations included,
/// are counted for the op-orde-rapport, and whether they are too many is the caller's
/// decision. A page that passes is staged; any failure ends the pull with a `LeveringFailure`
/// of its class (whether another attempt follows is the lifecycle's decision), and nothing of
/// it is handed over. Only counts, codes and JSON pointers leave this
/// type, apart from the invalid code-list values kept in memory for standardisation.
public struct LeverancierClient: Sendable {
    public let transport: LeverancierTransport
    let signer: PayloadSigner
    let verifier: PayloadVerifier
    let model: ExchangeModel
    /// The room all pulls of the process share for the pages they check.
    let memory: PageMemory

    public init(
        transport: LeverancierTransport, signer: PayloadSigner, verifier: PayloadVerifier, model: ExchangeModel,
        memory: PageMemory = .shared
    ) {
        self.memory = memory
        self.transport = transport
        self.signer = signer
        self.verifier = verifier
        self.model = model
    }

    /// Pulls every page of `request` into `area`.
    ///
    /// While page n goes through the semantic checks and is staged, page n+1 is already asked,
    /// received and read (one page ahead, no more: the ``PageMemory`` holds both). Pages are
    /// still judged in order: a failure of page n ends the pull as it would without the page
    /// ahead, which is cancelled and whose file is removed.
    public func pull(_ request: PullRequest, into area: StagingArea) async throws(LeveringFailure) -> PulledLevering {
        guard let gemeente = ExchangeGemeentecode(request.gemeentecode) else {
            throw LeveringFailure(.configuration, "\(request.gemeentecode) is not a gemeentecode")
        }
        let ahead = PageAhead()
        let result = await withTaskCancellationHandler {
            await outcome { () async throws(LeveringFailure) in try await pull(request, gemeente: gemeente, into: area, ahead: ahead) }
        } onCancel: {
            ahead.cancel()
        }
        await ahead.abandon(memory: memory, area: area)
        return try result.get()
    }

    private func pull(_ request: PullRequest, gemeente: ExchangeGemeentecode, into area: StagingArea, ahead: PageAhead)
        async throws(LeveringFailure) -> PulledLevering
    {
        var staged: [StagedPage] = []
        var signing: Set<SigningProfile> = []
        let quality = PageWorkBox(
            LeveringKwaliteitAnalysis(
                model: model, periodeStart: request.periodeStart, periodeEind: request.periodeEind, today: request.pullDate))
        var totals: (pages: Int, records: Int)?
        var number = 1
        repeat {
            let fetched: FetchedPage
            if let asked = try await ahead.take(number: number) {
                fetched = asked
            } else {
                fetched = try await fetch(request, number: number, gemeente: gemeente, area: area)
            }
            let (response, received) = (fetched.response, fetched.received)
            signing.insert(fetched.signing)
            let recordCount = fetched.recordCount
            let pageTotals = fetched.totals
            // The next page is asked while this one is checked, when this one agrees on how many there are.
            let planned = totals ?? (pages: pageTotals.pages, records: pageTotals.records)
            if number < planned.pages, planned == pageTotals {
                let next = number + 1
                ahead.start(number: next) { () async throws(LeveringFailure) -> FetchedPage in
                    try await fetch(request, number: next, gemeente: gemeente, area: area)
                }
            }
            let checked = await PageWork.run { quality.value.add(fetched.page.take(), schema: fetched.schema) }
            // The page's room in memory is held from its reading until its checks are done; the page
            // itself was freed on the page thread that checked it.
            await memory.release(fetched.reservation)
            if let totals, totals != pageTotals {
                throw LeveringFailure(
                    .paginering,
                    "page \(number) says \(pageTotals.0) pages and \(pageTotals.1) records, page 1 said \(totals.pages) and \(totals.records): the data changed during the pull"
                )
            }
            totals = pageTotals
            if let structural = checked {
                throw LeveringFailure(
                    .schema,
                    "page \(number) does not satisfy the exchange model \(model.version): \(structural.count) violation(s) outside its records, the first \(structural.first?.description ?? "")",
                    httpStatus: 200)
            }
            do {
                let digestHeader = response.digest ?? ""
                let signatureHeader = response.signature ?? ""
                staged.append(
                    try await FileWork.run { [number] in
                        try area.stage(
                            number: number, received: received.file, bytes: received.count, sha256: received.sha256,
                            records: recordCount, digestHeader: digestHeader, signatureHeader: signatureHeader)
                    })
            } catch {
                throw LeveringFailure(.staging, "page \(number) could not be kept for the hand-over: \(error)")
            }
            number += 1
        } while number <= (totals?.pages ?? 1)
        do {
            // The renames of the staged pages made durable at once, not one by one.
            try await FileWork.run { try area.sync() }
        } catch {
            throw LeveringFailure(.staging, "the pages could not be kept for the hand-over: \(error)")
        }
        let pulled = PulledLevering(pages: staged, quality: quality.value.finish(), signing: signing)
        if let totals, pulled.records != totals.records {
            throw LeveringFailure(.paginering, "the pages hold \(pulled.records) records, totalRecords says \(totals.records)")
        }
        return pulled
    }

    /// Page `number` of `request`: asked and received (see the other `fetch`).
    func fetch(_ request: PullRequest, number: Int, gemeente: ExchangeGemeentecode, area: StagingArea) async throws(LeveringFailure)
        -> FetchedPage
    {
        let asked: GegevensRequest
        do {
            asked = try GegevensRequest(
                aanleverperiodeStartdatum: request.periodeStart, aanleverperiodeEinddatum: request.periodeEind,
                aanleverendeOrganisatie: request.organisatie, page: number, pageSize: transport.connection.pageSize)
        } catch {
            throw LeveringFailure(.configuration, "the request cannot be made: \(error)")
        }
        return try await fetch(asked, number: number, gemeente: gemeente, area: area)
    }

    /// One page: asked, received (streamed to a file in `area`, hashed as it arrives), its
    /// `Digest` checked before a byte of it is read, then read (once it fits in the process's
    /// ``PageMemory``), its signature verified while it is parsed, and checked against the
    /// request; the schema's verdict is returned for the quality analysis to attribute.
    func fetch(_ asked: GegevensRequest, number: Int, gemeente: ExchangeGemeentecode, area: StagingArea) async throws(LeveringFailure)
        -> FetchedPage
    {
        let body = asked.jsonBytes(version: transport.connection.apiVersion)
        let signed: SignedHeaders
        do {
            signed = try signer.sign(body: body)
        } catch {
            throw LeveringFailure(.configuration, "the request could not be signed: \(error)")
        }
        let file = area.incoming(number: number)
        // A page asked ahead can be cancelled before its task ever ran (a busy machine): it is
        // then not asked at all, or it would wait for its answer until the read timeout.
        if Task.isCancelled { throw LeveringFailure(.cancelled, "the pull of page \(number) was cancelled") }
        let response = try await transport.postGegevens(
            body: body, digest: signed.digest, signature: signed.signature, page: number, into: file)
        guard response.status == 200, let received = response.body else {
            throw LeveringFailure.status(
                response.status, page: number, retryAfter: response.retryAfter, fscErrorCode: response.fscErrorCode,
                fscDomain: response.fscError?.domain)
        }
        do throws(SignatureFailure) {
            guard response.digests.count <= 1 else { throw SignatureFailure.digestDuplicate }
            guard response.signatures.count <= 1 else { throw SignatureFailure.signatureDuplicate }
            try PayloadDigest.verify(response.digest, sha256: received.sha256)
        } catch {
            throw Self.signatureFailure(error, page: number)
        }
        let reservation = await memory.reserve(page: received.count)
        if Task.isCancelled {
            await memory.release(reservation)
            throw LeveringFailure(.cancelled, "the pull of page \(number) was cancelled")
        }
        switch await read(received, response: response, asked: asked, number: number, gemeente: gemeente) {
        case .success(let (page, schema, profile)):
            return FetchedPage(
                page: PageHolder(page), recordCount: page.recordCount,
                totals: page.paginering.map { ($0.totalPages, $0.totalRecords) } ?? (1, page.recordCount), response: response,
                schema: schema, signing: profile, received: received, reservation: reservation)
        case .failure(let failure):
            await memory.release(reservation)
            throw failure
        }
    }

    /// A page that passed its checks against the request, holding `reservation` bytes of the
    /// process's ``PageMemory`` until the caller releases them.
    struct FetchedPage: Sendable {
        /// The parsed page, until the checks take it.
        let page: PageHolder
        let recordCount: Int
        /// `totalPages` and `totalRecords` as the page states them.
        let totals: (pages: Int, records: Int)
        let response: LeverancierTransport.Response
        let schema: SchemaValidationResult
        /// Which reading of DDAS signing the supplier signed the page in.
        let signing: SigningProfile
        let received: ReceivedBody
        let reservation: Int
    }

    /// Reads a received page whose digest holds: the signature, then the JSON, then the
    /// checks against the request.
    func read(
        _ received: ReceivedBody, response: LeverancierTransport.Response, asked: GegevensRequest, number: Int,
        gemeente: ExchangeGemeentecode
    ) async -> Result<(GegevensPage, SchemaValidationResult, SigningProfile), LeveringFailure> {
        let bytes: PageWorkBox<[UInt8]>
        do {
            bytes = PageWorkBox(try await received.bytes())
        } catch {
            return .failure(LeveringFailure(.staging, "page \(number) could not be read back from disk"))
        }
        // The signature needs only the hashes taken as the page arrived: it is verified while the page is parsed.
        async let verified = outcome { () async throws(SignatureFailure) -> VerifiedSigner in
            try await verifier.verify(
                received: received.payload, digestHeaders: response.digests, expecting: transport.connection.supplierIdentity)
        }
        let stream = model.stream
        let parsed = await PageWork.run {
            // The body is handed to the parser and freed on this thread once the page is read from it.
            let body = bytes.value
            bytes.value = []
            return Result { () throws(PageReadError) in try GegevensPage(body: body, stream: stream) }
        }
        let signer: VerifiedSigner
        switch await verified {
        case .success(let verifiedSigner): signer = verifiedSigner
        case .failure(let error): return .failure(Self.signatureFailure(error, page: number))
        }
        let page: GegevensPage
        do {
            page = try parsed.get()
        } catch {
            // The digest held, so the body is what the supplier sent: JSON that does not parse is its error, not the transfer's.
            return .failure(LeveringFailure(.schema, "page \(number): \(error)", httpStatus: 200))
        }
        let model = model
        let validation = await PageWork.run { model.validate(page, answering: asked, for: [gemeente]) }
        if validation.holdsForeignData {
            let foreign = validation.problems.filter { $0.code == "foreign_gemeente" || $0.code == "unidentified_gemeente" }
            return .failure(
                LeveringFailure(
                    .foreignGemeente,
                    "page \(number) holds data the pull did not ask for (\(foreign.map(\.description).joined(separator: "; "))): rejected whole, nothing handed over",
                    httpStatus: 200))
        }
        if let problem = validation.problems.first {
            return .failure(LeveringFailure(.paginering, "page \(number): \(problem.description)", httpStatus: 200))
        }
        return .success((page, validation.schema, signer.profile))
    }

    /// A page's signature check that failed, as a pull failure: final, except a revocation
    /// status that could not be had.
    static func signatureFailure(_ error: SignatureFailure, page: Int) -> LeveringFailure {
        LeveringFailure(
            .signature, "page \(page) failed the signature check: \(error.description) (\(error.code))",
            httpStatus: 200, code: error.code)
    }
}

/// A parsed page handed from the task that read it to the page thread that checks it, which
/// takes it out, so that the page is freed there once checked and nothing keeps it alive.
final class PageHolder: @unchecked Sendable {
    private var page: GegevensPage?

    init(_ page: GegevensPage) {
        self.page = page
    }

    /// The page, leaving the holder empty; taken once, by the one thread that checks it.
    func take() -> GegevensPage {
        defer { page = nil }
        return page!
    }
}

/// The page asked ahead of the one being checked: at most one, started by the pull's loop and
/// taken by it in order, or cancelled and cleaned up when the pull ends early.
final class PageAhead: Sendable {
    private struct Started {
        let number: Int
        let task: Task<Result<LeverancierClient.FetchedPage, LeveringFailure>, Never>
    }
    private let started = Mutex<Started?>(nil)

    /// Asks page `number` now, in a task of its own.
    func start(number: Int, _ fetch: @escaping @Sendable () async throws(LeveringFailure) -> LeverancierClient.FetchedPage) {
        let task = Task { await outcome(fetch) }
        started.withLock { $0 = Started(number: number, task: task) }
    }

    /// Page `number` as fetched ahead (its failure thrown as it would have been), or nil when
    /// it was not asked ahead.
    func take(number: Int) async throws(LeveringFailure) -> LeverancierClient.FetchedPage? {
        guard
            let ahead = started.withLock({ value -> Started? in
                defer { value = nil }
                return value
            })
        else { return nil }
        precondition(ahead.number == number, "pages are taken in order")
        return try await ahead.task.value.get()
    }

    /// Cancels the page ahead (the pull is cancelled); ``abandon(memory:area:)`` cleans up.
    func cancel() {
        started.withLock { $0?.task.cancel() }
    }

    /// Cancels the page ahead, waits for it to stop, gives back its memory and removes its file.
    func abandon(memory: PageMemory, area: StagingArea) async {
        guard
            let ahead = started.withLock({ value -> Started? in
                defer { value = nil }
                return value
            })
        else { return }
        ahead.task.cancel()
        if case .success(let fetched) = await ahead.task.value {
            await memory.release(fetched.reservation)
        }
        let file = area.incoming(number: ahead.number)
        await FileWork.run { () -> Void in _ = try? FileManager.default.removeItem(at: file) }
    }
}

/// The result of an async `body` that throws `Failure`, as a value.
func outcome<Success, Failure: Error>(_ body: () async throws(Failure) -> Success) async -> Result<Success, Failure> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
