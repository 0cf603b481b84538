import DDASExchange
import Foundation

/// "Vroegsignalering in cijfers" as a page in Dutch: a filter form, per period the figures of
/// the area with a bar chart per code list and the same numbers in a table beside it, the
/// project team's breakdown per province or gemeente, and the CSV download. No script.
enum CijfersPage {
    /// What a suppressed count shows, on the page and in the CSV.
    static let suppressed = "x"

    /// How a code list is named on the page.
    static let listNames = [
        "contactsoort": "Contactpogingen per soort", "eindresultaat": "Eindresultaten", "signaalpartner": "Signaalpartners",
        "signaalstatus": "Status van de signalen", "dagdeel": "Contactpogingen per dagdeel",
    ]

    /// How a herkomst is named on the page.
    static let herkomstNames = [
        "vroegsignaal": "Vroegsignalen", "crisissignaal": "Crisissignalen", Cijfers.onbekend: "Herkomst onbekend",
    ]

    /// A count as Dutch text, or ``suppressed``.
    static func count(_ value: Int?) -> String {
        value.map { HTMLPage.count($0) } ?? suppressed
    }

    /// The page of `cijfers`; `query` is the query string of the current filter (for the CSV link).
    static func render(_ cijfers: Cijfers, vraag: CijfersVraag, query: String, visitor: WebVisitor) -> String {
        let e = HTMLPage.escape
        // All signals, of every herkomst, unless one is asked for.
        let records =
            cijfers.stroom == "VS" ? cijfers.herkomst.flatMap { herkomstNames[$0] } ?? "Signalen" : "Schuldhulptrajecten"
        var html = "<h1>Vroegsignalering in cijfers</h1>\n"
        html +=
            "<p id=\"gebied\">\(e(cijfers.naam)), stroom \(e(cijfers.stroom)): uit de laatste geslaagde levering per gemeente en periode "
        html += "(een herlevering vervangt de eerdere). Alleen aantallen, uit de op-orde-rapporten.</p>\n"
        html += form(vraag)
        if cijfers.kleineAantallenOnderdrukt {
            html += "<p id=\"onderdrukt\">\(suppressed): niet getoond. Aantallen van 1 tot en met 4 worden niet getoond, en waar nodig "
            html += "ook een ander aantal, zodat niemand herkenbaar is en niets terug te rekenen is.</p>\n"
        }
        if let herkomst = cijfers.herkomst {
            html += "<p id=\"herkomst\">Alleen \(e(herkomstNames[herkomst]?.lowercased() ?? herkomst)) en hun zaken. "
            html += "Een zaak telt als crisissignaal als een van haar signalen een crisissignaal is.</p>\n"
        } else if cijfers.stroom == "VS" {
            html += "<p id=\"herkomst\">Vroegsignalen en crisissignalen naast elkaar. Een zaak telt als crisissignaal als een "
            html += "van haar signalen een crisissignaal is.</p>\n"
        }
        html += "<p><a id=\"csv\" href=\"/cijfers?\(e(query.isEmpty ? "" : query + "&"))formaat=csv\">Download als CSV</a></p>\n"
        if cijfers.perioden.isEmpty {
            html += "<p id=\"leeg\">Nog geen geslaagde leveringen voor deze keuze.</p>\n"
        } else {
            let shown: [(label: String, value: Int)] = cijfers.perioden.compactMap { period in
                period.totaal.records.map { (period.periode, $0) }
            }
            html += "<h2 id=\"verloop\">\(records) per periode</h2>\n<figure>"
            html += SVGChart.bars(
                id: "verloop-grafiek", title: "\(records) per periode", description: "Het aantal per periode, van oud naar nieuw.", shown)
            html += "<figcaption>\(records) per periode</figcaption></figure>\n"
        }
        for period in cijfers.perioden.reversed() {
            let id = e(period.periode)
            html += "<h2 id=\"periode-\(id)\">Periode \(id)</h2>\n<dl>\n"
            html += "<dt>Gemeenten</dt><dd id=\"gemeenten-\(id)\">\(period.totaal.gemeenten)</dd>\n"
            html += "<dt>\(records)</dt><dd id=\"records-\(id)\">\(count(period.totaal.records))</dd>\n"
            if cijfers.stroom == "VS" { html += "<dt>Vroegsignaalzaken</dt><dd id=\"zaken-\(id)\">\(count(period.totaal.zaken))</dd>\n" }
            html += "</dl>\n"
            html += herkomstSummary(period.totaal, periode: period.periode, filtered: cijfers.herkomst != nil)
            let delen = cijfers.herkomst == nil ? period.totaal.perHerkomst ?? [] : []
            for (index, verdeling) in period.totaal.verdelingen.enumerated() {
                let name = listNames[verdeling.lijst] ?? verdeling.lijst
                let chartID = "\(period.periode)-\(verdeling.lijst)"
                html += "<figure>"
                html += SVGChart.bars(
                    id: e(chartID), title: "\(name), \(period.periode)", description: "De getoonde aantallen per waarde.",
                    verdeling.waarden.compactMap { waarde in waarde.aantal.map { (waarde.waarde, $0) } })
                html += "<figcaption>\(e(name)) (totaal \(count(verdeling.totaal)))</figcaption></figure>\n"
                html += "<table id=\"\(e(chartID))\">\n<caption>\(e(name)), \(id)</caption>\n"
                html += "<thead><tr><th scope=\"col\">Waarde</th><th scope=\"col\" class=\"getal\">Aantal</th>"
                for deel in delen { html += "<th scope=\"col\" class=\"getal\">\(e(herkomstNames[deel.herkomst] ?? deel.herkomst))</th>" }
                html += "</tr></thead>\n<tbody>\n"
                for (row, waarde) in verdeling.waarden.enumerated() {
                    html += "<tr><th scope=\"row\">\(e(waarde.waarde))</th><td class=\"getal\">\(count(waarde.aantal))</td>"
                    for deel in delen { html += "<td class=\"getal\">\(count(deel.verdelingen[index].waarden[row].aantal))</td>" }
                    html += "</tr>\n"
                }
                html += "</tbody>\n</table>\n"
            }
            if !period.perGebied.isEmpty {
                html +=
                    "<table id=\"per-gebied-\(id)\">\n<caption>Per \(cijfers.niveau == "land" ? "provincie" : "gemeente"), \(id)</caption>\n"
                html += "<thead><tr><th scope=\"col\">Gebied</th><th scope=\"col\" class=\"getal\">Gemeenten</th>"
                html +=
                    "<th scope=\"col\" class=\"getal\">\(records)</th><th scope=\"col\" class=\"getal\">Zaken</th></tr></thead>\n<tbody>\n"
                for gebied in period.perGebied {
                    html += "<tr><th scope=\"row\">\(e(gebied.naam)) <code>\(e(gebied.code))</code></th>"
                    html += "<td class=\"getal\">\(gebied.cijfers.gemeenten)</td><td class=\"getal\">\(count(gebied.cijfers.records))</td>"
                    html += "<td class=\"getal\">\(count(gebied.cijfers.zaken))</td></tr>\n"
                }
                html += "</tbody>\n</table>\n"
            }
        }
        return WebLayout.page(title: "Vroegsignalering in cijfers", visitor: visitor, body: html)
    }

    /// The filter: stream, periods and area, sent as a GET.
    static func form(_ vraag: CijfersVraag) -> String {
        let e = HTMLPage.escape
        var html = "<form method=\"get\" action=\"/cijfers\" class=\"filters\">\n"
        html += "<div><label for=\"stroom\">Stroom</label><select id=\"stroom\" name=\"stroom\">"
        for stroom in ["VS", "SHV"] {
            html += "<option value=\"\(stroom)\"\(vraag.stroom == stroom ? " selected" : "")>\(stroom)</option>"
        }
        html += "</select></div>\n"
        html += "<div><label for=\"herkomst\">Herkomst (VS)</label><select id=\"herkomst\" name=\"herkomst\">"
        html += "<option value=\"\">Beide</option>"
        for herkomst in Herkomst.allCases {
            let name = herkomstNames[herkomst.rawValue] ?? herkomst.rawValue
            html += "<option value=\"\(herkomst.rawValue)\"\(vraag.herkomst == herkomst ? " selected" : "")>\(name)</option>"
        }
        html += "</select></div>\n"
        let fields = [
            ("van", "Van periode", vraag.van?.key ?? ""), ("tot", "Tot en met periode", vraag.tot?.key ?? ""),
            ("provincie", "Provincie", vraag.provincie?.name ?? ""), ("gemeente", "Gemeente (code)", vraag.gemeente?.code.rawValue ?? ""),
        ]
        for (name, label, value) in fields {
            html += "<div><label for=\"\(name)\">\(label)</label><input id=\"\(name)\" name=\"\(name)\" value=\"\(e(value))\"></div>\n"
        }
        return html + "<div><button type=\"submit\">Toon</button></div>\n</form>\n"
    }

    /// Per herkomst side by side, the signals and zaken of a period with a chart, and what the
    /// deliveries without the split mean for the figures; empty for SHV.
    static func herkomstSummary(_ figuur: Cijfers.Figuur, periode: String, filtered: Bool) -> String {
        guard let delen = figuur.perHerkomst else { return "" }
        let e = HTMLPage.escape
        let id = e(periode)
        var html = ""
        if figuur.zonderHerkomst > 0 {
            let one = figuur.zonderHerkomst == 1
            let leveringen = one ? "1 levering heeft" : "\(figuur.zonderHerkomst) leveringen hebben"
            html += "<p id=\"zonder-herkomst-\(id)\">\(leveringen) een op-orde-rapport van vóór de telling per herkomst: "
            html += filtered ? "niet meegeteld.</p>\n" : "\(one ? "haar" : "hun") aantallen staan onder herkomst onbekend.</p>\n"
        }
        guard !filtered else { return html }
        html += "<figure>"
        html += SVGChart.bars(
            id: "herkomst-grafiek-\(id)", title: "Signalen per herkomst, \(periode)", description: "De getoonde aantallen per herkomst.",
            delen.compactMap { deel in deel.records.map { (herkomstNames[deel.herkomst] ?? deel.herkomst, $0) } })
        html += "<figcaption>Signalen per herkomst</figcaption></figure>\n"
        html += "<table id=\"herkomst-\(id)\">\n<caption>Per herkomst, \(id)</caption>\n<thead><tr><th scope=\"col\"></th>"
        for deel in delen { html += "<th scope=\"col\" class=\"getal\">\(e(herkomstNames[deel.herkomst] ?? deel.herkomst))</th>" }
        html += "</tr></thead>\n<tbody>\n<tr><th scope=\"row\">Signalen</th>"
        for deel in delen { html += "<td class=\"getal\">\(count(deel.records))</td>" }
        html += "</tr>\n<tr><th scope=\"row\">Vroegsignaalzaken</th>"
        for deel in delen { html += "<td class=\"getal\">\(count(deel.zaken))</td>" }
        return html + "</tr>\n</tbody>\n</table>\n"
    }
}
