import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The onboarding of one gemeente: DPIA sign-offs, consent and its revocation, the supplier
/// per stream, and the project team's moves (suspend, block, reopen). Every change answers
/// with the gemeente's new `ETag` and accepts `If-Match`.
struct OnboardingController {
    let onboarding: OnboardingStore

    func addRoutes(to routes: APIRoutes) {
        let base = "/v1/gemeenten/:gemeentecode"
        routes.on(base + "/dpia-akkoorden", method: .post, use: recordDPIA)
        routes.get(base + "/toestemmingen", use: listConsents)
        routes.on(base + "/toestemmingen", method: .post, use: giveConsent)
        routes.on(base + "/toestemmingen/:id/intrekkingen", method: .post, use: revokeConsent)
        routes.on(base + "/leveranciers/:stroom", method: .put, use: assignSupplier)
        routes.on(base + "/fase-overgangen", method: .post, use: move)
    }

    func actor(_ context: RegieRequestContext) throws -> (AuditActor, WorkflowRole) {
        guard let principal = context.principal, let role = WorkflowRole(rawValue: principal.role.rawValue) else {
            throw Problem.unauthorized
        }
        return (.api(principal, requestID: context.requestID), role)
    }

    /// `201` with the gemeente's state, its new ETag and a Location.
    func changed(_ code: Gemeentecode, location: String?, status: HTTPResponse.Status = .created) async throws -> Response {
        guard let state = try await onboarding.status(code) else { throw OnboardingError.gemeenteNotFound(code) }
        return changed(state, location: location, status: status)
    }

    /// `201` with the state a change left, its ETag and a Location.
    func changed(_ state: GemeenteStatus, location: String?, status: HTTPResponse.Status = .created) -> Response {
        var response = JSONBody.response(GemeenteDetail(state), status: status)
        response.headers[.eTag] = EntityTag.header(state.versie)
        if let location { response.headers[.location] = location }
        return response
    }

    struct DPIABody: Decodable {
        let besluitdatum: String?
        let goedkeurendeRol: String?
        let documentreferentie: String?
        let documentSha256: String?
    }

    @Sendable func recordDPIA(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let body = try await JSONBody.decode(DPIABody.self, from: request, context: context)
        var check = FieldCheck()
        let input = Self.dpiaInput(body, check: &check)
        try check.finish()
        let (actor, role) = try actor(context)
        let id = try await onboarding.recordDPIA(
            code, input, role: role, actor: actor, expectedVersion: try EntityTag.expectedVersion(request))
        return try await changed(code, location: "/v1/gemeenten/\(code)/dpia-akkoorden/\(id.uuidString.lowercased())")
    }

    struct ToestemmingBody: Decodable {
        let leverancier: String?
        let stromen: [String]?
        let besluitdatum: String?
        let besluitvormendOrgaan: String?
        let documentreferentie: String?
        let documentSha256: String?
        let geldigVan: String?
        let geldigTot: String?
    }

    @Sendable func giveConsent(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let body = try await JSONBody.decode(ToestemmingBody.self, from: request, context: context)
        var check = FieldCheck()
        let input = Self.consentInput(body, check: &check)
        try check.finish()
        let (actor, _) = try actor(context)
        // The answer lists the new records only; the gemeente's detail and its consent list have them all.
        let state = try await onboarding.give(code, input, actor: actor, expectedVersion: try EntityTag.expectedVersion(request))
        return changed(
            state, location: state.toestemmingen.first.map { "/v1/gemeenten/\(code)/toestemmingen/\($0.id.uuidString.lowercased())" })
    }

    /// The DPIA sign-off of a body or a form, every invalid field noted in `check`.
    static func dpiaInput(_ body: DPIABody, check: inout FieldCheck) -> OnboardingStore.DPIAInput {
        OnboardingStore.DPIAInput(
            besluitdatum: check.date(body.besluitdatum, "besluitdatum"),
            goedkeurendeRol: check.text(body.goedkeurendeRol, "goedkeurendeRol", maximum: 100),
            documentreferentie: check.text(body.documentreferentie, "documentreferentie"),
            documentSHA256: check.sha256(body.documentSha256, "documentSha256"))
    }

    /// The consent of a body or a form, every invalid field noted in `check`.
    static func consentInput(_ body: ToestemmingBody, check: inout FieldCheck) -> OnboardingStore.ToestemmingInput {
        let supplier = check.text(body.leverancier, "leverancier", maximum: 40)
        let streams = (body.stromen ?? []).compactMap(Stroom.init(rawValue:))
        if streams.isEmpty || streams.count != body.stromen?.count || Set(streams).count != streams.count {
            check.add("stromen", "must list one or more of VS, SHV, each once")
        }
        let from = check.date(body.geldigVan, "geldigVan")
        let until = check.optionalDate(body.geldigTot, "geldigTot")
        if let until, until < from { check.add("geldigTot", "must not be before geldigVan") }
        return OnboardingStore.ToestemmingInput(
            leverancierID: supplier, stromen: streams, besluitdatum: check.date(body.besluitdatum, "besluitdatum"),
            besluitvormendOrgaan: check.text(body.besluitvormendOrgaan, "besluitvormendOrgaan", maximum: 100),
            documentreferentie: check.text(body.documentreferentie, "documentreferentie"),
            documentSHA256: check.sha256(body.documentSha256, "documentSha256"),
            geldigVan: from, geldigTot: until)
    }

    struct RevocationBody: Decodable {
        let reden: String?
    }

    @Sendable func revokeConsent(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let id = try context.pathID(code: "invalid-consent-id", what: "consent")
        let body = try await JSONBody.decode(RevocationBody.self, from: request, context: context)
        var check = FieldCheck()
        let reason = check.text(body.reden, "reden")
        try check.finish()
        let (actor, _) = try actor(context)
        // The answer lists the revoked record only.
        let state = try await onboarding.revoke(
            code, consent: id, reason: reason, actor: actor, expectedVersion: try EntityTag.expectedVersion(request))
        return changed(state, location: nil)
    }

    @Sendable func listConsents(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let query = ListQuery(request, known: [])
        try query.finish()
        guard let state = try await onboarding.status(code) else { throw OnboardingError.gemeenteNotFound(code) }
        let today = amsterdamDay(Date())
        let all = state.toestemmingen.map { ToestemmingResource($0, today: today) }
        return query.response("toestemmingen", query.slice(all), total: all.count, request: request)
    }

    struct LeverancierBody: Decodable {
        let leverancier: String?
        let organisatienaam: String?
    }

    @Sendable func assignSupplier(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let body = try await JSONBody.decode(LeverancierBody.self, from: request, context: context)
        var check = FieldCheck()
        let stroom = Stroom(rawValue: context.parameters.get("stroom") ?? "")
        if stroom == nil { check.add("stroom", "must be VS or SHV") }
        let supplier = check.text(body.leverancier, "leverancier", maximum: 40)
        let name = check.text(body.organisatienaam, "organisatienaam", maximum: 200)
        try check.finish()
        let (actor, _) = try actor(context)
        try await onboarding.assignSupplier(
            code, stroom: stroom ?? .vs, leverancierID: supplier, organisatienaam: name, actor: actor,
            expectedVersion: try EntityTag.expectedVersion(request))
        return try await changed(code, location: nil, status: .ok)
    }

    struct MoveBody: Decodable {
        let naar: String?
        let reden: String?
    }

    @Sendable func move(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let body = try await JSONBody.decode(MoveBody.self, from: request, context: context)
        var check = FieldCheck()
        let target = check.text(body.naar, "naar", maximum: 60)
        let reason = check.text(body.reden, "reden")
        try check.finish()
        let (actor, role) = try actor(context)
        try await onboarding.moveGemeente(
            code, to: target, reason: reason, role: role, actor: actor, expectedVersion: try EntityTag.expectedVersion(request))
        return try await changed(code, location: nil)
    }
}
