import Foundation
import RegieDomain
import RegieStore

/// The pages themselves: the sign-in, the project team's dashboard and a gemeente's page.
enum WebPages {
    static let e = HTMLPage.escape

    static func signIn(message: String? = nil) -> String {
        var body = "<main><h1>Aanmelden</h1>\n"
        if let message { body += "<p class=\"melding\" role=\"alert\" id=\"melding\">\(e(message))</p>\n" }
        body += """
            <p>Meld u aan met het API-token dat u van het DDAS-projectteam of de beheerder heeft gekregen. \
            Het token wordt in een cookie bewaard die alleen deze site kan lezen, tot u zich afmeldt of na acht uur.</p>
            <form method="post" action="/aanmelden">
            <label for="token">API-token</label>
            <input id="token" name="token" type="password" autocomplete="off" required size="50">
            <p><button type="submit">Aanmelden</button></p>
            </form></main>

            """
        return WebLayout.page(title: "Aanmelden", visitor: nil, body: body)
    }

    /// A page that says what went wrong, for a visitor who is signed in.
    static func message(title: String, text: String, visitor: WebVisitor?) -> String {
        WebLayout.page(title: title, visitor: visitor, body: "<main><h1>\(e(title))</h1><p>\(e(text))</p></main>\n")
    }

    /// The filters of the dashboard's gemeenten table.
    struct Filters {
        var fase: String?
        var leverancier: String?
        var provincie: String?
        var achterstallig = false

        func matches(_ row: GemeenteStatusRow, overdue: Bool) -> Bool {
            (fase == nil || row.fase == fase) && (leverancier == nil || row.leveranciers.values.contains(leverancier ?? ""))
                && (provincie == nil || row.gemeente.province == provincie) && (!achterstallig || overdue)
        }
    }

    static func dashboard(
        report: VoortgangReport, rows: [GemeenteStatusRow], overdue: [String: Int], filters: Filters, phases: [String],
        milestones: [(due: DueMonth, label: String)], outbox: (stand: MeldingOutboxStand, mislukt: [MeldingBericht]),
        visitor: WebVisitor, now: Date
    ) -> String {
        var html = "<main><h1>Dashboard DDAS</h1>\n<p>Stand op \(e(report.peildatum)): \(report.gemeenten) gemeenten, "
        html += "\(report.aandacht.count) vragen aandacht.</p>\n"

        html += "<h2 id=\"trechter\">Trechter per fase</h2>\n<figure>"
        html += SVGChart.bars(
            id: "trechter-grafiek", title: "Gemeenten die een fase bereikten",
            description: "Per fase het aantal gemeenten dat die fase of een latere bereikte.",
            report.perFase.map { ($0.fase, $0.bereikt) }, maximum: report.gemeenten)
        html += "<figcaption>Bereikt per fase (van \(report.gemeenten))</figcaption></figure>\n"
        html += "<table><caption>Gemeenten per fase</caption><thead><tr><th scope=\"col\">Fase</th>"
        html += "<th scope=\"col\" class=\"getal\">Nu in fase</th><th scope=\"col\" class=\"getal\">Bereikt</th></tr></thead><tbody>\n"
        for phase in report.perFase {
            html += "<tr id=\"fase-\(e(phase.fase))\"><th scope=\"row\">\(e(phase.fase))</th><td class=\"getal\">\(phase.aantal)</td>"
            html += "<td class=\"getal\">\(phase.bereikt)</td></tr>\n"
        }
        for (state, count) in report.zijstaten.sorted(by: { $0.key < $1.key }) {
            html += "<tr><th scope=\"row\">\(e(state)) (zijstaat)</th><td class=\"getal\">\(count)</td><td></td></tr>\n"
        }
        html += "</tbody></table>\n"

        html += "<h2 id=\"planning\">Planning</h2>\n<figure>"
        html += SVGChart.timeline(
            title: "De mijlpalen van het plan", description: "Per maand de fasen die dan bereikt moeten zijn, en vandaag.",
            milestones: milestones, today: now)
        html += "<figcaption>Mijlpalen en vandaag</figcaption></figure>\n"
        html +=
            "<table><caption>Voortgang tegen de deadlines</caption><thead><tr><th scope=\"col\">Fase</th><th scope=\"col\">Deadline</th>"
        html += "<th scope=\"col\" class=\"getal\">Bereikt</th><th scope=\"col\" class=\"getal\">Op tijd</th>"
        html += "<th scope=\"col\" class=\"getal\">Te laat</th><th scope=\"col\" class=\"getal\">Achterstallig</th>"
        html += "<th scope=\"col\" class=\"getal\">Meeste dagen</th></tr></thead><tbody>\n"
        for milestone in report.planning {
            html += "<tr id=\"planning-\(e(milestone.fase))\"><th scope=\"row\">\(e(milestone.fase))</th><td>\(e(milestone.deadline))</td>"
            html += "<td class=\"getal\">\(milestone.bereikt)</td><td class=\"getal\">\(milestone.opTijd)</td>"
            html += "<td class=\"getal\">\(milestone.teLaat)</td><td class=\"getal\">\(milestone.achterstallig)</td>"
            html += "<td class=\"getal\">\(milestone.maxDagenAchterstallig.map(String.init) ?? "–")</td></tr>\n"
        }
        html += "</tbody></table>\n"

        html += "<h2 id=\"leveringen\">Leveringen</h2>\n"
        if report.leveringen.isEmpty { html += "<p>Nog geen leveringen.</p>\n" }
        for period in report.leveringen {
            let states = period.perStatus.sorted { $0.key < $1.key }
            html +=
                "<figure>"
                + SVGChart.bars(
                    id: "leveringen-\(e(period.stroom))", title: "Leveringen \(period.stroom) \(period.periode) per status",
                    description: "Het aantal leveringen van de laatste periode per status.", states.map { ($0.key, $0.value) })
            html += "<figcaption>\(e(period.stroom)) \(e(period.periode)): \(period.totaal) leveringen</figcaption></figure>\n"
        }

        html += MeldingenSection.render(stand: outbox.stand, mislukt: outbox.mislukt)

        html += "<h2 id=\"aandacht\">Aandacht nodig</h2>\n"
        html += "<table><caption>\(report.aandacht.count) gemeenten, de eerste 50</caption><thead><tr><th scope=\"col\">Gemeente</th>"
        html += "<th scope=\"col\">Fase</th><th scope=\"col\">Waarom</th></tr></thead><tbody>\n"
        for entry in report.aandacht.prefix(50) {
            html +=
                "<tr><th scope=\"row\"><a href=\"/gemeenten/\(e(entry.gemeentecode))\">\(e(entry.naam))</a> (\(e(entry.gemeentecode)))</th>"
            html += "<td>\(e(entry.fase))</td><td>\(e(entry.redenen.map(\.tekst).joined(separator: "; ")))</td></tr>\n"
        }
        html += "</tbody></table>\n"

        html += gemeentenTable(rows: rows, overdue: overdue, filters: filters, phases: phases, report: report)
        html += "</main>\n"
        return WebLayout.page(title: "Dashboard", visitor: visitor, body: html)
    }

    static func gemeentenTable(
        rows: [GemeenteStatusRow], overdue: [String: Int], filters: Filters, phases: [String], report: VoortgangReport
    ) -> String {
        func options(_ values: [String], selected: String?) -> String {
            "<option value=\"\">alle</option>"
                + values.map { "<option value=\"\(e($0))\"\($0 == selected ? " selected" : "")>\(e($0))</option>" }.joined()
        }
        var html = "<h2 id=\"gemeenten\">Gemeenten</h2>\n<form method=\"get\" action=\"/dashboard\" class=\"filters\">\n"
        html +=
            "<div><label for=\"fase\">Fase</label><select id=\"fase\" name=\"fase\">\(options(phases, selected: filters.fase))</select></div>\n"
        html += "<div><label for=\"leverancier\">Leverancier</label><select id=\"leverancier\" name=\"leverancier\">"
        html += options(report.perLeverancier.map(\.naam).filter { $0 != "(geen)" }, selected: filters.leverancier) + "</select></div>\n"
        html += "<div><label for=\"provincie\">Provincie</label><select id=\"provincie\" name=\"provincie\">"
        html += options(report.perProvincie.map(\.naam), selected: filters.provincie) + "</select></div>\n"
        html += "<div><label for=\"achterstallig\"><input type=\"checkbox\" id=\"achterstallig\" name=\"achterstallig\" value=\"ja\""
        html += "\(filters.achterstallig ? " checked" : "")> Alleen achterstallig</label></div>\n"
        html += "<div><button type=\"submit\">Filteren</button></div></form>\n"
        let shown = rows.filter { filters.matches($0, overdue: overdue[$0.gemeente.code.rawValue] != nil) }
        html += "<table id=\"gemeenten-tabel\"><caption>\(shown.count) gemeenten</caption><thead><tr><th scope=\"col\">Gemeente</th>"
        html += "<th scope=\"col\">Provincie</th><th scope=\"col\">Leverancier</th><th scope=\"col\">Fase</th>"
        html += "<th scope=\"col\" class=\"getal\">Dagen achterstallig</th><th scope=\"col\">Laatste levering</th></tr></thead><tbody>\n"
        for row in shown {
            let code = row.gemeente.code.rawValue
            let last = row.laatsteLeveringen.map { "\($0.stroom) \($0.periode): \($0.status)" }.joined(separator: ", ")
            html += "<tr><th scope=\"row\"><a href=\"/gemeenten/\(e(code))\">\(e(row.gemeente.name))</a> (\(e(code)))</th>"
            html += "<td>\(e(row.gemeente.province))</td><td>\(e(Set(row.leveranciers.values).sorted().joined(separator: ", ")))</td>"
            html +=
                "<td>\(e(row.fase))</td><td class=\"getal\">\(overdue[code].map(String.init) ?? "")</td><td>\(e(last.isEmpty ? "–" : last))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}
