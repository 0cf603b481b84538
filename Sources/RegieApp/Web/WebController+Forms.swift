import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The gemeente's own steps through forms: the same validation, store calls and audit
/// events as the API (`OnboardingController`), the CSRF token of the session, and the refusal
/// shown in Dutch beside the field.
extension WebController {
    /// The signed-in gemeente acting on its own page (``AccessGuard`` decided that) with a
    /// valid CSRF token; otherwise the answer to give.
    func formVisitor(_ request: Request, context: RegieRequestContext) async throws -> Result<
        (visitor: WebVisitor, code: Gemeentecode, form: WebForm), WebRefusal
    > {
        guard let visitor = context.visitor else { return .failure(WebRefusal(Self.redirect("/aanmelden"))) }
        let form = try await WebSession.form(request)
        let code = Gemeentecode(context.parameters.get("gemeentecode") ?? "")
        let object = code?.rawValue ?? "?"
        guard !WebSession.isCrossSite(request), WebSession.isValidCSRF(form["csrf"], sessionID: visitor.sessionID) else {
            return .failure(
                WebRefusal(
                    try await refuse(
                        visitor, context: context, action: "web.csrf", objectType: "gemeente", objectID: object,
                        text: "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw.")))
        }
        guard let code else {
            return .failure(
                WebRefusal(
                    Self.refused(visitor, status: .notFound, text: "Een gemeentecode is GM en vier cijfers.")))
        }
        return .success((visitor, code, form))
    }

    /// The audit actor of a form: the token, its role, origin `web`.
    static func actor(_ visitor: WebVisitor, context: RegieRequestContext) -> AuditActor {
        actor(visitor.principal, context: context)
    }

    /// The audit actor of a token on the pages.
    static func actor(_ principal: Principal, context: RegieRequestContext) -> AuditActor {
        AuditActor(actor: principal.tokenID, role: principal.role.rawValue, origin: "web", requestID: context.requestID)
    }

    /// Runs a change; a refusal becomes the form shown again with the reasons in Dutch.
    func submit(
        _ request: Request, context: RegieRequestContext, form: String, values: WebForm, success: String,
        change: () async throws -> Void
    ) async throws -> Response {
        var state = WebFormState(form: form)
        for (name, entered) in values.fields where name != "csrf" && name != "versie" { state.values[name] = entered.first }
        do {
            try await change()
        } catch let problem as Problem where !problem.invalidParams.isEmpty {
            for parameter in problem.invalidParams { state.errors[parameter.name] = WebFormState.dutch(parameter.reason) }
            state.message = "Niet alles is goed ingevuld; zie de meldingen bij de velden."
            return try await gemeentePage(request, context: context, formState: state)
        } catch OnboardingError.versionMismatch {
            state.message = "De gegevens van uw gemeente zijn intussen gewijzigd. Controleer ze en verstuur het formulier opnieuw."
            return try await gemeentePage(request, context: context, formState: state)
        } catch let error as OnboardingError {
            state.message = "De wijziging is geweigerd: " + (Problem.from(error).detail ?? "")
            return try await gemeentePage(request, context: context, formState: state)
        }
        guard let code = context.parameters.get("gemeentecode") else { return Self.redirect("/") }
        return Self.redirect("/gemeenten/\(code)?gelukt=\(success)")
    }

    @Sendable func recordDPIA(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (visitor, code, form): (WebVisitor, Gemeentecode, WebForm)
        switch try await formVisitor(request, context: context) {
        case .success(let accepted): (visitor, code, form) = accepted
        case .failure(let refusal): return refusal.response
        }
        return try await submit(request, context: context, form: "dpia", values: form, success: "dpia") {
            var check = FieldCheck()
            let input = OnboardingController.dpiaInput(
                .init(
                    besluitdatum: form.text("besluitdatum"), goedkeurendeRol: form.text("goedkeurendeRol"),
                    documentreferentie: form.text("documentreferentie"), documentSha256: form.text("documentSha256")), check: &check)
            try check.finish()
            _ = try await onboarding.recordDPIA(
                code, input, role: .gemeente, actor: Self.actor(visitor, context: context),
                expectedVersion: form["versie"].flatMap { Int($0) })
        }
    }

    @Sendable func giveConsent(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (visitor, code, form): (WebVisitor, Gemeentecode, WebForm)
        switch try await formVisitor(request, context: context) {
        case .success(let accepted): (visitor, code, form) = accepted
        case .failure(let refusal): return refusal.response
        }
        return try await submit(request, context: context, form: "toestemming", values: form, success: "toestemming") {
            var check = FieldCheck()
            let input = OnboardingController.consentInput(
                .init(
                    leverancier: form.text("leverancier"), stromen: form.all("stromen"), besluitdatum: form.text("besluitdatum"),
                    besluitvormendOrgaan: form.text("besluitvormendOrgaan"), documentreferentie: form.text("documentreferentie"),
                    documentSha256: form.text("documentSha256"), geldigVan: form.text("geldigVan"), geldigTot: form.text("geldigTot")),
                check: &check)
            try check.finish()
            _ = try await onboarding.giveConsent(
                code, input, actor: Self.actor(visitor, context: context), expectedVersion: form["versie"].flatMap { Int($0) })
        }
    }

    /// The consent of the path, of the gemeente of the path.
    func consent(_ context: RegieRequestContext, visitor: WebVisitor) async throws -> (GemeenteStatus, ToestemmingRecord)? {
        guard let code = Gemeentecode(context.parameters.get("gemeentecode") ?? ""),
            let id = UUID(uuidString: context.parameters.get("id") ?? ""),
            let state = try await onboarding.status(code), let consent = state.toestemmingen.first(where: { $0.id == id })
        else { return nil }
        return (state, consent)
    }

    @Sendable func confirmRevocation(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        guard let (state, consent) = try await consent(context, visitor: visitor) else {
            return Self.refused(visitor, status: .notFound, text: "Deze toestemming is er niet, of is niet van uw gemeente.")
        }
        return HTMLPage.response(GemeentePage.confirmRevocation(status: state, consent: consent, visitor: visitor, error: nil))
    }

    @Sendable func revokeConsent(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (visitor, code, form): (WebVisitor, Gemeentecode, WebForm)
        switch try await formVisitor(request, context: context) {
        case .success(let accepted): (visitor, code, form) = accepted
        case .failure(let refusal): return refusal.response
        }
        guard let (state, consent) = try await consent(context, visitor: visitor) else {
            return Self.refused(visitor, status: .notFound, text: "Deze toestemming is er niet, of is niet van uw gemeente.")
        }
        var check = FieldCheck()
        let reason = check.text(form["reden"], "reden")
        guard check.invalid.isEmpty else {
            return HTMLPage.response(
                GemeentePage.confirmRevocation(
                    status: state, consent: consent, visitor: visitor, error: WebFormState.dutch(check.invalid.first?.reason ?? "")),
                status: .badRequest)
        }
        do {
            _ = try await onboarding.revokeConsent(
                code, consent: consent.id, reason: reason, actor: Self.actor(visitor, context: context),
                expectedVersion: form["versie"].flatMap { Int($0) })
        } catch let error as OnboardingError {
            return Self.refused(visitor, status: .conflict, text: "De intrekking is geweigerd: " + (Problem.from(error).detail ?? ""))
        }
        return Self.redirect("/gemeenten/\(code)?gelukt=intrekking")
    }
}

/// A form that is not handled: the answer to give instead.
struct WebRefusal: Error {
    let response: Response

    init(_ response: Response) {
        self.response = response
    }
}
