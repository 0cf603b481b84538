import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The web pages, for people rather than programs: sign-in with a token that starts a session
/// (``WebSession``), the project team's dashboard (`/` and `/dashboard`), a gemeente's page
/// (`/gemeenten/{gemeentecode}`: the project team, or the gemeente itself) and the
/// op-orde-rapport of a delivery (`/leveringen/{id}/op-orde-rapport`). Server-rendered HTML
/// in Dutch without script; the API under `/v1` keeps taking bearer tokens only. Who may see
/// a page is in ``RouteTable``; ``AccessGuard`` decides it before a handler runs and puts the
/// visitor in the context.
struct WebController {
    let tokens: any TokenAuthenticating
    let sessions: WebSessionStore
    let refusals: Refusals
    let now: @Sendable () -> Date
    let onboarding: OnboardingStore
    let status: StatusStore
    let queue: LeveringQueue
    let reports: OpOrdeRapportStore
    let meldingen: MeldingOutbox
    let codeLists: [String: CodeListValues]
    /// "Vroegsignalering in cijfers", for `/cijfers`.
    let figures: CijfersController

    func addRoutes(to routes: APIRoutes) {
        routes.get("/aanmelden") { _, _ in HTMLPage.response(WebPages.signIn()) }
        routes.post("/aanmelden", use: signIn)
        routes.post("/afmelden", use: signOut)
        routes.get("/", use: dashboard)
        routes.get("/dashboard", use: dashboard)
        routes.get("/gemeenten/:gemeentecode", use: gemeente)
        routes.get("/leveringen/:id/op-orde-rapport", use: qualityReport)
        routes.get("/leveranciers/:id", use: leverancier)
        routes.get("/cijfers", use: cijfers)
        routes.post("/gemeenten/:gemeentecode/dpia-akkoord", use: recordDPIA)
        routes.post("/gemeenten/:gemeentecode/toestemming", use: giveConsent)
        routes.get("/gemeenten/:gemeentecode/toestemmingen/:id/intrekken", use: confirmRevocation)
        routes.post("/gemeenten/:gemeentecode/toestemmingen/:id/intrekken", use: revokeConsent)
    }

    /// The signed-in visitor, if the cookie names a live session (on a public page; the
    /// others find theirs in the context).
    func visitor(_ request: Request) async throws -> WebVisitor? {
        guard let id = WebSession.sessionID(in: request), let principal = try await sessions.resume(id, now: now()) else { return nil }
        return WebVisitor(principal: principal, sessionID: id)
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// A page that says why a request was not done (not found, a conflict; 403 goes through ``refuse``).
    static func refused(_ visitor: WebVisitor?, status: HTTPResponse.Status, text: String) -> Response {
        HTMLPage.response(WebPages.message(title: "Geen toegang", text: text, visitor: visitor), status: status)
    }

    /// The 403 page; the refusal of a signed-in visitor goes to the audit trail (``Refusals``).
    func refuse(
        _ visitor: WebVisitor?, context: RegieRequestContext, action: String, objectType: String, objectID: String, text: String
    ) async throws -> Response {
        if let visitor {
            try await refusals.record(Self.actor(visitor, context: context), action: action, objectType: objectType, objectID: objectID)
        }
        return Self.refused(visitor, status: .forbidden, text: text)
    }

    /// The page a role starts on.
    static func home(of principal: Principal) -> String? {
        switch principal.role {
        case .projectteam: "/dashboard"
        case .gemeente: principal.scope.map { "/gemeenten/\($0)" }
        case .leverancier: principal.scope.map { "/leveranciers/\($0)" }
        default: nil
        }
    }

    @Sendable func signIn(_ request: Request, context: RegieRequestContext) async throws -> Response {
        if WebSession.isCrossSite(request) {
            return try await refuse(
                nil, context: context, action: "web.aanmelden", objectType: "pagina", objectID: "/aanmelden",
                text: "Aanmelden kan alleen vanaf deze site.")
        }
        let form = try await WebSession.form(request)
        let secret = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, secret.count <= 200, let principal = try await tokens.authenticate(secret: secret, now: now()) else {
            return HTMLPage.response(
                WebPages.signIn(message: "Dit token is onbekend, verlopen of ingetrokken. Controleer het en probeer het opnieuw."),
                status: .unauthorized)
        }
        guard let home = Self.home(of: principal) else {
            try await refusals.record(
                Self.actor(principal, context: context), action: "web.aanmelden", objectType: "token", objectID: principal.tokenID)
            return HTMLPage.response(
                WebPages.signIn(message: "Met een token van de rol \(principal.role.rawValue) zijn er geen pagina's; gebruik de API."),
                status: .forbidden)
        }
        let session = try await sessions.start(for: principal, now: now())
        return Self.redirect(home, cookie: WebSession.signInCookie(session, maxAge: sessions.configuration.lifetime))
    }

    /// Ends the session on the server and clears the cookie.
    @Sendable func signOut(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let form = try await WebSession.form(request)
        guard let id = WebSession.sessionID(in: request), !WebSession.isCrossSite(request),
            WebSession.isValidCSRF(form["csrf"], sessionID: id)
        else {
            return try await refuse(
                try await visitor(request), context: context, action: "web.afmelden", objectType: "pagina", objectID: "/afmelden",
                text: "Afmelden kan alleen met de knop op een pagina van deze site.")
        }
        try await sessions.end(id)
        return Self.redirect("/aanmelden", cookie: WebSession.signOutCookie)
    }

    @Sendable func dashboard(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        // The start page takes a gemeente or a supplier to its own page.
        if visitor.principal.role != .projectteam, let home = Self.home(of: visitor.principal) { return Self.redirect(home) }
        let now = self.now()
        let rows = try await status.rows(now: now)
        let entries = try await status.phaseEntries()
        let definition = onboarding.workflows.gemeente
        let report = VoortgangReport.build(
            rows: rows, entries: entries, suppliers: try await onboarding.suppliers(),
            deliveries: try await status.latestPeriodDeliveries(),
            definition: definition, now: now)
        let engine = WorkflowEngine(definition)
        var overdue: [String: Int] = [:]
        for row in rows {
            let main = VoortgangReport.mainPhase(row, entries: entries[row.gemeente.code.rawValue] ?? [], definition: definition)
            if engine.overdue(phase: main, now: now), let deadline = VoortgangReport.deadline(after: main, engine: engine, now: now) {
                overdue[row.gemeente.code.rawValue] = deadline.overdueDays
            }
        }
        let query = request.uri.queryParameters
        let phases = definition.phases.map(\.name) + definition.sideStates.map(\.name)
        func known(_ name: String, in values: [String]) -> String? {
            query[Substring(name)].map(String.init).flatMap { values.contains($0) ? $0 : nil }
        }
        let filters = WebPages.Filters(
            fase: known("fase", in: phases), leverancier: known("leverancier", in: report.perLeverancier.map(\.naam)),
            provincie: known("provincie", in: report.perProvincie.map(\.naam)), achterstallig: query["achterstallig"] == "ja")
        let milestones = definition.phases.compactMap { phase in
            phase.due.map { due in
                (due, "\(phase.name): \(report.perFase.first { $0.fase == phase.name }?.bereikt ?? 0)/\(report.gemeenten)")
            }
        }
        let outbox = (
            stand: try await meldingen.stand(now: now),
            mislukt: try await meldingen.list(MeldingOutbox.Filter(status: .mislukt, limit: MeldingenSection.failedShown))
        )
        return HTMLPage.response(
            WebPages.dashboard(
                report: report, rows: rows, overdue: overdue, filters: filters, phases: phases, milestones: milestones, outbox: outbox,
                visitor: visitor, now: now))
    }

    @Sendable func gemeente(_ request: Request, context: RegieRequestContext) async throws -> Response {
        try await gemeentePage(request, context: context, formState: nil)
    }

    /// A gemeente's page; with `formState`, a refused form shown again (status 400).
    func gemeentePage(_ request: Request, context: RegieRequestContext, formState: WebFormState?) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        guard let code = Gemeentecode(context.parameters.get("gemeentecode") ?? "") else {
            return HTMLPage.response(
                WebPages.message(title: "Onbekende gemeente", text: "Een gemeentecode is GM en vier cijfers.", visitor: visitor),
                status: .notFound)
        }
        guard let state = try await onboarding.status(code) else {
            return HTMLPage.response(
                WebPages.message(title: "Onbekende gemeente", text: "\(code.rawValue) staat niet in het register.", visitor: visitor),
                status: .notFound)
        }
        let now = self.now()
        let history = try await onboarding.history(objectType: "gemeente", objectID: code.rawValue)
        let deliveries = try await queue.list(LeveringQueue.Filter(gemeente: code), offset: 0, limit: 50).records
        let reported = try await reports.reported(among: deliveries.map(\.id))
        let definition = onboarding.workflows.gemeente
        let main =
            definition.index(ofPhase: state.fase) != nil
            ? state.fase
            : history.last { $0.action == "gemeente.fase" && definition.index(ofPhase: $0.after?["fase"] ?? "") != nil }?
                .after?["fase"] ?? definition.initial
        let deadline = VoortgangReport.deadline(after: main, engine: WorkflowEngine(definition), now: now)
        let notices = [
            "dpia": "Het DPIA-akkoord is vastgelegd.", "toestemming": "De toestemming is vastgelegd.",
            "intrekking": "De toestemming is ingetrokken; lopende leveringen zijn gestopt.",
        ]
        return HTMLPage.response(
            GemeentePage.render(
                status: state, history: history, deliveries: deliveries, reported: reported, deadline: deadline, visitor: visitor, now: now,
                notice: request.uri.queryParameters["gelukt"].flatMap { notices[String($0)] }, formState: formState),
            status: formState == nil ? .ok : .badRequest)
    }

    @Sendable func leverancier(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        let id = context.parameters.get("id") ?? ""
        guard let supplier = try await onboarding.suppliers().first(where: { $0.id == id }) else {
            return HTMLPage.response(
                WebPages.message(title: "Onbekende leverancier", text: "Deze leverancier is niet bekend.", visitor: visitor),
                status: .notFound)
        }
        let now = self.now()
        let consenting = try await onboarding.consentingGemeenten(for: id, on: amsterdamDay(now))
        let names = Dictionary(uniqueKeysWithValues: try await status.rows(now: now).map { ($0.gemeente.code.rawValue, $0.gemeente.name) })
        return HTMLPage.response(
            LeverancierPage.render(supplier: supplier, consenting: consenting, names: names, visitor: visitor, now: now))
    }

    @Sendable func qualityReport(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        guard let id = UUID(uuidString: context.parameters.get("id") ?? ""), let (record, _) = try await queue.find(id),
            let stored = try await reports.report(levering: id)
        else {
            return HTMLPage.response(
                WebPages.message(title: "Geen rapport", text: "Voor deze levering is geen op-orde-rapport.", visitor: visitor),
                status: .notFound)
        }
        let report = try OpOrdeRapport(
            stored: stored, record: record, codeLists: codeLists, cells: SmallCells(applies: visitor.principal.role != .projectteam))
        return HTMLPage.response(OpOrdeRapportPage.render(report))
    }
}
