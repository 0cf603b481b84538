import Foundation
import RegieDomain
import RegieStore

/// A supplier's page: its services and where each stands in the onboarding, with what was
/// reported, and the gemeenten that have active consent for it.
enum LeverancierPage {
    static let e = HTMLPage.escape

    static func render(supplier: Leverancier, consenting: [(Gemeentecode, Stroom)], names: [String: String], visitor: WebVisitor, now: Date)
        -> String
    {
        var html = "<main><h1>\(e(supplier.naam))</h1>\n<h2 id=\"diensten\">Uw diensten</h2>\n"
        html += "<table><caption>Diensten en hun fase</caption><thead><tr><th scope=\"col\">Stroom</th><th scope=\"col\">Fase</th>"
        html += "<th scope=\"col\">Sinds</th><th scope=\"col\">Vastgelegd</th></tr></thead><tbody>\n"
        for service in supplier.diensten {
            let evidence = service.bewijs.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            html += "<tr id=\"dienst-\(e(service.stroom.rawValue))\"><th scope=\"row\">\(e(service.stroom.rawValue))</th>"
            html +=
                "<td>\(e(service.fase))</td><td>\(e(GemeentenCSV.day(service.faseSinds)))</td><td>\(e(evidence.isEmpty ? "–" : evidence))</td></tr>\n"
        }
        html += "</tbody></table>\n<h2 id=\"toestemmingen\">Gemeenten met actieve toestemming</h2>\n"
        if consenting.isEmpty { html += "<p>Nog geen gemeente heeft u toestemming gegeven.</p>\n" }
        if !consenting.isEmpty {
            html += "<table><caption>\(consenting.count) toestemmingen</caption><thead><tr><th scope=\"col\">Gemeente</th>"
            html += "<th scope=\"col\">Stroom</th></tr></thead><tbody>\n"
            for (code, stroom) in consenting {
                html += "<tr><th scope=\"row\">\(e(names[code.rawValue] ?? code.rawValue)) (\(e(code.rawValue)))</th>"
                html += "<td>\(e(stroom.rawValue))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</main>\n"
        return WebLayout.page(title: supplier.naam, visitor: visitor, body: html)
    }
}
