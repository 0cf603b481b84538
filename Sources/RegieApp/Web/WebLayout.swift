import Foundation
import RegieDomain

/// The frame of every signed-in page: a skip link, the navigation for the visitor's role and
/// the sign-out button (a form with the CSRF token), then the page's own content.
enum WebLayout {
    static func page(title: String, visitor: WebVisitor?, body: String) -> String {
        let e = HTMLPage.escape
        var nav = ""
        if let visitor {
            var links: [(String, String)] = []
            switch visitor.principal.role {
            case .projectteam: links = [("/dashboard", "Dashboard"), ("/cijfers", "Cijfers")]
            case .gemeente: links = [("/gemeenten/\(visitor.principal.scope ?? "")", "Mijn gemeente"), ("/cijfers", "Cijfers")]
            case .leverancier: links = [("/leveranciers/\(visitor.principal.scope ?? "")", "Mijn diensten")]
            default: break
            }
            nav = "<nav aria-label=\"Hoofdmenu\"><ul class=\"menu\">"
            nav += links.map { "<li><a href=\"\(e($0.0))\">\(e($0.1))</a></li>" }.joined()
            nav += "<li><form method=\"post\" action=\"/afmelden\"><input type=\"hidden\" name=\"csrf\" value=\"\(visitor.csrf)\">"
            nav += "<button type=\"submit\">Afmelden</button></form></li></ul></nav>\n"
        }
        let body =
            "<a class=\"skip\" href=\"#inhoud\">Naar de inhoud</a>\n<header><p class=\"merk\">DDAS regie</p>\n\(nav)</header>\n"
            + "<div id=\"inhoud\">\n\(body)</div>\n"
        return HTMLPage.document(title: title, body: body)
    }

    /// What a phase asks of the gemeente, in Dutch.
    static let nextStep: [String: String] = [
        "aangemeld": "Leg het akkoord van uw privacy officer (FG) op de model-DPIA vast.",
        "dpia_akkoord": "Geef toestemming aan uw softwareleverancier om de gegevens aan het CBS te leveren.",
        "toestemming_gegeven": "U hoeft niets te doen: uw leverancier en het CBS testen de koppeling.",
        "api_getest": "U hoeft niets te doen: de eerste reguliere levering volgt zodra uw leverancier in productie is.",
        "eerste_levering": "U hoeft niets te doen: de leveringen lopen volgens schema.",
        "actief": "U hoeft niets te doen: de leveringen lopen volgens schema.",
        "opgeschort": "Het projectteam heeft uw aansluiting opgeschort; het neemt contact met u op.",
        "geblokkeerd": "Het projectteam heeft uw aansluiting geblokkeerd; het neemt contact met u op.",
        "toestemming_ingetrokken": "Uw toestemming is ingetrokken. Geef opnieuw toestemming om de leveringen te hervatten.",
    ]
}
