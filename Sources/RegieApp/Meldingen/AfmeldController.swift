import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The unsubscribe link of every mail (its `List-Unsubscribe`, RFC 8058 one-click):
/// `GET /meldingen/afmelden/{id}?code=…` shows a page with one button, and
/// `POST /meldingen/afmelden/{id}?code=…` (that button, or a mail client's
/// `List-Unsubscribe=One-Click`) cancels the subscription.
///
/// No sign-in: the code is the proof (``MeldingSleutel/afmeldCode(abonnement:)``, an HMAC of the
/// id under the service's key), and only the mailbox the link was sent to has it. The POST is
/// deliberately exempt from the pages' session and CSRF checks (``WebSession``): a mail client
/// posts it from outside any session and any site, and a forged cross-site POST would need the
/// code, which is what the CSRF token would have proved. A GET changes nothing, so a link
/// scanner that follows the link unsubscribes no one.
///
/// A wrong code, an unknown id, or a service without a key for meldingen: the same 404 page,
/// and nothing changes. The cancellation is audited with actor `afmeldlink`, role `system`,
/// origin `web`.
struct AfmeldController {
    let store: MeldingAbonnementStore
    /// The key the codes are derived from; nil: no link is valid.
    let sleutel: MeldingSleutel?

    /// Who the audit names for a cancellation by the link.
    static func actor(requestID: String) -> AuditActor {
        AuditActor(actor: "afmeldlink", role: "system", origin: "web", requestID: requestID)
    }

    func addRoutes(to routes: APIRoutes) {
        routes.get("/meldingen/afmelden/:id", use: page)
        routes.post("/meldingen/afmelden/:id", use: unsubscribe)
    }

    /// The page of a valid link: the subscription and the button (or that it was cancelled).
    @Sendable func page(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let link = try await linked(request, context: context) else { return Self.unknown }
        guard link.abonnement.isActief else { return HTMLPage.response(AfmeldPage.done(link.abonnement, already: true)) }
        return HTMLPage.response(AfmeldPage.confirm(link.abonnement, code: link.code))
    }

    /// The one-click POST: cancels, audited, and says so.
    @Sendable func unsubscribe(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let link = try await linked(request, context: context) else { return Self.unknown }
        guard link.abonnement.isActief else { return HTMLPage.response(AfmeldPage.done(link.abonnement, already: true)) }
        guard let cancelled = try await store.cancel(link.abonnement.id, by: Self.actor(requestID: context.requestID)) else {
            return Self.unknown
        }
        return HTMLPage.response(AfmeldPage.done(cancelled, already: false))
    }

    /// The subscription of the link and its code, when the code is right and it exists.
    func linked(_ request: Request, context: RegieRequestContext) async throws -> (abonnement: MeldingAbonnement, code: String)? {
        guard let sleutel, let id = UUID(uuidString: context.parameters.get("id") ?? ""),
            let code = request.uri.queryParameters["code"].map(String.init), code.count <= 100,
            sleutel.isAfmeldCode(code, abonnement: id), let abonnement = try await store.find(id)
        else { return nil }
        return (abonnement, code)
    }

    /// The page for a link that is not (or no longer) valid.
    static var unknown: Response {
        HTMLPage.response(
            WebPages.message(
                title: "Afmeldlink ongeldig",
                text:
                    "Deze afmeldlink is niet (meer) geldig. Gebruik de link uit de laatste melding, of vraag de beheerder van uw abonnement om u af te melden.",
                visitor: nil), status: .notFound)
    }
}

/// The pages of the unsubscribe link, in Dutch.
enum AfmeldPage {
    /// What the subscription is, for the person holding the link: the mailbox (it was sent to
    /// them), or only the host of a webhook.
    static func summary(_ abonnement: MeldingAbonnement) -> String {
        let e = HTMLPage.escape
        let adres =
            abonnement.kanaal == .email
            ? abonnement.adres : "webhook naar " + MeldingAbonnement.adresDomein(abonnement.adres, kanaal: abonnement.kanaal)
        let soorten = MeldingSoort.allCases.filter(abonnement.soorten.contains).map { "<li>\(e($0.omschrijving))</li>" }.joined()
        return "<p>Meldingen van DDAS regie aan <strong>\(e(adres))</strong> over:</p>\n<ul>\(soorten)</ul>\n"
    }

    /// The page with the button that unsubscribes.
    static func confirm(_ abonnement: MeldingAbonnement, code: String) -> String {
        let e = HTMLPage.escape
        let action = "/meldingen/afmelden/\(abonnement.id.uuidString.lowercased())?code=\(code)"
        let body =
            "<main><h1>Afmelden voor meldingen</h1>\n\(summary(abonnement))"
            + "<form method=\"post\" action=\"\(e(action))\">"
            + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
            + "<button type=\"submit\">Afmelden</button></form>\n"
            + "<p>Na het afmelden ontvangt dit adres deze meldingen niet meer. U kunt zich opnieuw aanmelden via de API.</p></main>\n"
        return WebLayout.page(title: "Afmelden voor meldingen", visitor: nil, body: body)
    }

    /// The page that says it is done (or was before).
    static func done(_ abonnement: MeldingAbonnement, already: Bool) -> String {
        let text = already ? "Dit abonnement was al opgezegd." : "U bent afgemeld."
        let body =
            "<main><h1>Afgemeld</h1>\n<p class=\"gelukt\">\(HTMLPage.escape(text))</p>\n\(summary(abonnement))"
            + "<p>U ontvangt deze meldingen niet meer.</p></main>\n"
        return WebLayout.page(title: "Afgemeld", visitor: nil, body: body)
    }
}
