import Foundation
import RegieDomain
import RegieStore

/// A gemeente's page: where it stands and what the next step asks of it, the timeline of its
/// phases with their evidence, its consent records and its deliveries (with their
/// op-orde-rapporten).
enum GemeentePage {
    static let e = HTMLPage.escape

    static func render(
        status: GemeenteStatus, history: [AuditEvent], deliveries: [LeveringRecord], reported: Set<UUID>,
        deadline: (fase: String, due: String, overdueDays: Int)?, visitor: WebVisitor, now: Date, notice: String? = nil,
        formState: WebFormState? = nil
    ) -> String {
        let gemeente = status.gemeente
        var html = "<main><h1>\(e(gemeente.name)) (\(e(gemeente.code.rawValue)))</h1>\n"
        if let notice { html += "<p class=\"gelukt\" role=\"status\" id=\"gelukt\">\(e(notice))</p>\n" }
        html += "<dl>\n"
        html += "<dt>Provincie</dt><dd>\(e(gemeente.province))</dd>\n"
        html += "<dt>Fase</dt><dd id=\"fase\">\(e(status.fase))</dd>\n"
        html += "<dt>Sinds</dt><dd>\(e(GemeentenCSV.day(status.faseSinds)))</dd>\n"
        if let deadline {
            let late = deadline.overdueDays > 0 ? ", \(deadline.overdueDays) dagen achterstallig" : ""
            html += "<dt>Volgende mijlpaal</dt><dd id=\"mijlpaal\">\(e(deadline.fase)) uiterlijk eind \(e(deadline.due))\(e(late))</dd>\n"
        }
        let suppliers = status.leveranciers.map { "\($0.stroom.rawValue): \($0.leverancierID)" }.joined(separator: ", ")
        html += "<dt>Leverancier</dt><dd>\(e(suppliers.isEmpty ? "nog niet vastgelegd" : suppliers))</dd>\n</dl>\n"
        html += "<h2 id=\"volgende-stap\">Volgende stap</h2>\n<p>\(e(WebLayout.nextStep[status.fase] ?? "Geen."))</p>\n"
        if visitor.principal.role == .gemeente {
            html += forms(status: status, visitor: visitor, state: formState, now: now)
        }

        html += "<h2 id=\"tijdlijn\">Tijdlijn</h2>\n<ol class=\"tijdlijn\">\n"
        for event in history {
            let detail = (event.after ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            html +=
                "<li><time datetime=\"\(e(ISO8601DateFormatter().string(from: event.occurredAt)))\">\(e(GemeentenCSV.day(event.occurredAt)))</time> "
            html += "<strong>\(e(event.action))</strong> (\(e(event.actorRole)))\(detail.isEmpty ? "" : ": " + e(detail))</li>\n"
        }
        html += "</ol>\n"

        html += "<h2 id=\"toestemmingen\">Toestemmingen</h2>\n"
        if status.toestemmingen.isEmpty { html += "<p>Nog geen toestemming vastgelegd.</p>\n" }
        if !status.toestemmingen.isEmpty {
            let today = amsterdamDay(now)
            html += "<table><caption>Toestemmingen</caption><thead><tr><th scope=\"col\">Leverancier</th><th scope=\"col\">Stroom</th>"
            html += "<th scope=\"col\">Geldig</th><th scope=\"col\">Besluit</th><th scope=\"col\">Stand</th></tr></thead><tbody>\n"
            for consent in status.toestemmingen {
                let state =
                    consent.ingetrokkenOp.map { "ingetrokken op \(GemeentenCSV.day($0))" }
                    ?? (consent.isActive(on: today) ? "actief" : "niet actief")
                html += "<tr><th scope=\"row\">\(e(consent.leverancierID))</th><td>\(e(consent.stroom.rawValue))</td>"
                html += "<td>\(e(consent.geldigVan.description)) t/m \(e(consent.geldigTot?.description ?? "–"))</td>"
                html += "<td>\(e(consent.besluitvormendOrgaan)), \(e(consent.besluitdatum.description))</td><td>\(e(state))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }

        html += "<h2 id=\"leveringen\">Leveringen</h2>\n"
        if deliveries.isEmpty { html += "<p>Nog geen leveringen.</p>\n" }
        if !deliveries.isEmpty {
            html +=
                "<table><caption>Leveringen, nieuwste eerst</caption><thead><tr><th scope=\"col\">Periode</th><th scope=\"col\">Stroom</th>"
            html +=
                "<th scope=\"col\">Doel</th><th scope=\"col\">Status</th><th scope=\"col\">Pogingen</th><th scope=\"col\">Op-orde-rapport</th>"
            html += "</tr></thead><tbody>\n"
            for delivery in deliveries {
                let id = delivery.id.uuidString.lowercased()
                let report = reported.contains(delivery.id) ? "<a href=\"/leveringen/\(id)/op-orde-rapport\">rapport</a>" : "–"
                html +=
                    "<tr><th scope=\"row\">\(e(delivery.periode))</th><td>\(e(delivery.stroom.rawValue))</td><td>\(e(delivery.doel))</td>"
                html += "<td>\(e(delivery.status))\(delivery.laatsteFoutKlasse.map { " (\(e(FoutKlasse.label($0))))" } ?? "")</td>"
                html += "<td>\(delivery.pogingen)/\(delivery.maxPogingen)</td><td>\(report)</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</main>\n"
        return WebLayout.page(title: gemeente.name, visitor: visitor, body: html)
    }
}
