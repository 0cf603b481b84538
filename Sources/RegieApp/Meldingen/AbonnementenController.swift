import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The parties' subscriptions to meldingen: `GET /v1/meldingen/soorten` (what there is to
/// subscribe to), `GET|POST /v1/abonnementen`, `GET|PATCH|DELETE /v1/abonnementen/{id}` and
/// `POST /v1/abonnementen/{id}/geheim` (a new webhook secret).
///
/// Each party manages its own: a gemeente or a supplier sees, makes, changes and cancels only
/// its own subscriptions, the project team everyone's (``RouteTable``: the scheduler and admin
/// are refused). Another party's subscription is answered 404, as one that does not exist, so
/// that its existence is not revealed; the attempt is audited as a refusal all the same.
///
/// A webhook's secret (`whsec_…`, derived from the service's key, ``MeldingSleutel``) is in the
/// 201 answer of making the subscription and of rotating it, and nowhere else: it is never
/// stored, and the idempotency store does not keep those answers (``IdempotencyMiddleware/secretField``).
struct AbonnementenController {
    let store: MeldingAbonnementStore
    let gemeenten: any GemeenteStore
    let leveranciers: LeverancierRegister
    /// The key webhook secrets are derived from; nil: webhooks cannot be subscribed (503).
    let sleutel: MeldingSleutel?
    let refusals: Refusals

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/meldingen/soorten", use: soorten)
        routes.get("/v1/abonnementen", use: list)
        routes.post("/v1/abonnementen", use: create)
        routes.get("/v1/abonnementen/:id", use: show)
        routes.on("/v1/abonnementen/:id", method: .patch, use: change)
        routes.on("/v1/abonnementen/:id", method: .delete, use: cancel)
        routes.post("/v1/abonnementen/:id/geheim", use: rotate)
    }

    /// The body of `POST /v1/abonnementen`; what is missing, the validation names.
    struct CreateRequest: Decodable {
        let partij: String?
        let kanaal: String?
        let adres: String?
        let soorten: [String]?
        let omschrijving: String?
    }

    /// The body of `PATCH /v1/abonnementen/{id}`: the fields to change.
    struct ChangeRequest: Decodable {
        let adres: String?
        let soorten: [String]?
        let omschrijving: String?
    }

    /// `GET /v1/meldingen/soorten`.
    @Sendable func soorten(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var check = FieldCheck(code: "invalid-parameters")
        for (name, _) in request.uri.queryParameters { check.add(String(name), "is not a parameter of this resource") }
        try check.finish()
        return JSONBody.response(SoortenLijst(soorten: MeldingSoort.allCases.map(Soort.init)))
    }

    /// `GET /v1/abonnementen`: a scoped caller's own; the project team's filtered by `partij`.
    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: ["partij", "status"])
        let asked = query["partij"].map { (text: $0, partij: Self.partij($0)) }
        if let asked, asked.partij == nil { query.invalid("partij", "must be projectteam, a gemeentecode or a supplier id") }
        let status = query["status"].map(MeldingAbonnement.Status.init(rawValue:))
        if case .some(.none) = status { query.invalid("status", "must be one of actief, opgezegd") }
        try query.finish()
        var filter = asked?.partij
        if let own = Self.own(context) {
            if let wanted = asked?.partij, wanted != own {
                try await refuse(context, action: "abonnement.list", partij: wanted, detail: "This token lists its own subscriptions only.")
            }
            filter = own
        }
        let all = try await store.list(of: filter, status: status ?? nil)
        return query.response("abonnementen", query.slice(all).map(Resource.init), total: all.count, request: request)
    }

    /// `POST /v1/abonnementen`: a scoped caller for itself, the project team for any party.
    @Sendable func create(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
        guard let principal = context.principal else { throw Problem.unauthorized }
        let own = Self.own(context)
        var problems: [Problem.InvalidParam] = []
        // Omitted: the caller's own party (the project team's own for the project team).
        var partij: MeldingPartij? = own ?? .projectteam
        if let text = body.partij {
            partij = Self.partij(text)
            if partij == nil { problems.append(.init(name: "partij", reason: "must be projectteam, a gemeentecode or a supplier id")) }
            if let named = partij, let own, named != own {
                try await refuse(
                    context, action: "abonnement.aangemaakt", partij: named, detail: "This token subscribes its own party only.")
            }
        }
        if let named = partij, own == nil, let reason = try await unknown(named) { problems.append(.init(name: "partij", reason: reason)) }
        let aanvraag: MeldingAbonnementAanvraag
        do {
            aanvraag = try MeldingAbonnementAanvraag(
                kanaal: body.kanaal, adres: body.adres, soorten: body.soorten, omschrijving: body.omschrijving, partij: partij?.soort)
            if !problems.isEmpty { throw MeldingAbonnementAanvraag.Invalid(problems: []) }
        } catch let invalid as MeldingAbonnementAanvraag.Invalid {
            throw Self.invalid(problems + invalid.problems.map { .init(name: $0.field, reason: $0.reason) })
        }
        guard let partij else { throw Self.invalid(problems) }
        if aanvraag.kanaal == .webhook, sleutel == nil { throw Self.notConfigured }
        let abonnement = try await store.create(aanvraag, for: partij, by: .api(principal, requestID: context.requestID))
        var response = try created(abonnement)
        response.headers[.location] = "/v1/abonnementen/\(Resource(abonnement).id)"
        return response
    }

    /// `GET /v1/abonnementen/{id}`.
    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        JSONBody.response(Resource(try await owned(context, action: "abonnement.read")))
    }

    /// `PATCH /v1/abonnementen/{id}`: address, soorten, note.
    @Sendable func change(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = try Self.pathID(context)
        let body = try await JSONBody.decode(ChangeRequest.self, from: request, context: context)
        if body.adres == nil && body.soorten == nil && body.omschrijving == nil {
            throw Self.invalid([.init(name: "body", reason: "must have at least one of adres, soorten, omschrijving")])
        }
        guard let principal = context.principal else { throw Problem.unauthorized }
        _ = try await owned(context, action: "abonnement.gewijzigd")
        do {
            let changed = try await store.change(id, by: .api(principal, requestID: context.requestID)) { current in
                try MeldingAbonnementAanvraag(wijziging: current, adres: body.adres, soorten: body.soorten, omschrijving: body.omschrijving)
            }
            guard let changed else { throw Self.notFound }
            return JSONBody.response(Resource(changed))
        } catch let invalid as MeldingAbonnementAanvraag.Invalid {
            throw Self.invalid(invalid.problems.map { .init(name: $0.field, reason: $0.reason) })
        } catch let refusal as MeldingAbonnementStore.Refusal {
            throw Self.problem(refusal)
        }
    }

    /// `DELETE /v1/abonnementen/{id}`: cancels; again is the same 204.
    @Sendable func cancel(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw Problem.unauthorized }
        let abonnement = try await owned(context, action: "abonnement.opgezegd")
        guard try await store.cancel(abonnement.id, by: .api(principal, requestID: context.requestID)) != nil else { throw Self.notFound }
        return Response(status: .noContent)
    }

    /// `POST /v1/abonnementen/{id}/geheim`: a new webhook secret.
    @Sendable func rotate(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw Problem.unauthorized }
        let abonnement = try await owned(context, action: "abonnement.geheim_vernieuwd")
        guard sleutel != nil else { throw Self.notConfigured }
        do {
            guard let rotated = try await store.rotateSecret(abonnement.id, by: .api(principal, requestID: context.requestID)) else {
                throw Self.notFound
            }
            return try created(rotated)
        } catch let refusal as MeldingAbonnementStore.Refusal {
            throw Self.problem(refusal)
        }
    }

    /// The 201 answer with the subscription and, for a webhook, its current secret; marked so
    /// that it is never kept for a replay.
    func created(_ abonnement: MeldingAbonnement) throws -> Response {
        var geheim: String?
        if abonnement.kanaal == .webhook {
            guard let sleutel else { throw Self.notConfigured }
            geheim = sleutel.webhookGeheim(abonnement: abonnement.id, versie: abonnement.geheimVersie).text
        }
        var response = JSONBody.response(Created(abonnement: Resource(abonnement), geheim: geheim), status: .created)
        if geheim != nil { response.headers[IdempotencyMiddleware.secretField] = "1" }
        return response
    }

    /// The subscription of the path, if it is the caller's (or the caller is the project team);
    /// another party's is refused (audited as `action`) with the same 404 as none at all.
    func owned(_ context: RegieRequestContext, action: String) async throws -> MeldingAbonnement {
        let id = try Self.pathID(context)
        guard let abonnement = try await store.find(id) else { throw Self.notFound }
        if let own = Self.own(context), abonnement.partij != own {
            if let principal = context.principal {
                try await refusals.record(
                    .api(principal, requestID: context.requestID), action: action, objectType: "melding_abonnement",
                    objectID: id.uuidString.lowercased())
            }
            throw Self.notFound
        }
        return abonnement
    }

    /// Records the refusal of a scoped caller acting for another party, and throws the 403.
    func refuse(_ context: RegieRequestContext, action: String, partij: MeldingPartij, detail: String) async throws -> Never {
        guard let principal = context.principal else { throw Problem.unauthorized }
        let stored = partij.opgeslagen
        try await refusals.forbid(
            principal, context: context, action: action, objectType: stored.soort, objectID: String(stored.partij.prefix(60)),
            detail: detail)
    }

    /// Why `partij` cannot subscribe: not in the register, or not a known supplier; nil when it can.
    func unknown(_ partij: MeldingPartij) async throws -> String? {
        switch partij {
        case .projectteam: return nil
        case .gemeente(let code):
            return try await gemeenten.find(code)?.isActive == true ? nil : "must be the gemeentecode of an active gemeente"
        case .leverancier(let id):
            return try await leveranciers.exists(id) ? nil : "must be the id of a registered supplier"
        }
    }

    /// The caller's own party: its gemeente or itself for a scoped token; nil for the project team.
    static func own(_ context: RegieRequestContext) -> MeldingPartij? {
        if let code = context.callerScope.gemeente { return .gemeente(code) }
        if let id = context.callerScope.leverancier { return .leverancier(id) }
        return nil
    }

    /// The party a `partij` text names: `projectteam`, a gemeentecode (`GM0363` or `0363`) or a supplier id.
    static func partij(_ text: String) -> MeldingPartij? {
        if text == "projectteam" { return .projectteam }
        if let code = Gemeentecode(text) { return .gemeente(code) }
        return TokenRequestValidation.isSupplierID(text) ? .leverancier(text) : nil
    }

    /// The subscription id of the path; a 400 when it is not a UUID.
    static func pathID(_ context: RegieRequestContext) throws -> UUID {
        try context.pathID(code: "invalid-abonnement-id", what: "subscription")
    }

    /// The 400 naming every invalid field.
    static func invalid(_ params: [Problem.InvalidParam]) -> Problem {
        Problem(
            .badRequest, code: "invalid-body", title: "Invalid request", detail: "The request has invalid fields.", invalidParams: params)
    }

    /// The 409 of a change the subscription's state refuses.
    static func problem(_ refusal: MeldingAbonnementStore.Refusal) -> Problem {
        switch refusal {
        case .opgezegd:
            Problem(.conflict, code: "abonnement-opgezegd", title: "Conflict", detail: "This subscription was cancelled; make a new one.")
        case .geenWebhook:
            Problem(.conflict, code: "abonnement-geen-webhook", title: "Conflict", detail: "Only a webhook subscription has a secret.")
        }
    }

    /// No subscription, or another party's.
    static let notFound = Problem(.notFound, code: "abonnement-not-found", detail: "There is no subscription with this id.")

    /// Webhooks without the service's key for meldingen.
    static let notConfigured = Problem(
        .serviceUnavailable, code: "meldingen-niet-ingericht", title: "Service Unavailable",
        detail: "Webhooks are not configured on this service (no key for meldingen); e-mail subscriptions work.")
}
