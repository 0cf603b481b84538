import Foundation

/// The op-orde-rapport as a page in Dutch: the verdict first, then the checks, the code
/// lists, the monthly volume and the suggested official values. Tables with captions and
/// header cells, so that a screen reader reads them as tables; no script.
enum OpOrdeRapportPage {
    static let verdicts = [
        "in_orde": "In orde: geen fouten gevonden.",
        "onder_drempel": "Overgedragen: er zijn fouten, maar niet meer dan de drempel.",
        "boven_drempel": "Niet overgedragen: meer records met fouten dan de drempel toestaat.",
    ]

    /// How a reading of DDAS signing is named on the page.
    static func signingName(_ profile: String) -> String {
        switch profile {
        case "kp-apis": "KP-APIs (de Digest ondertekend, sigD)"
        case "body": "het bericht zelf (RFC 7515 bijlage F)"
        default: profile
        }
    }

    /// How the stream's schema policy is named on the page.
    static func schemaPolicyName(_ policy: String?) -> String {
        switch policy {
        case "reject": "afkeuren (zoals de specificatie zegt)"
        case "count": "tellen als fouten van hun records"
        default: "–"
        }
    }

    static func render(_ report: OpOrdeRapport) -> String {
        let e = HTMLPage.escape
        let levering = report.levering
        var html = """
            <h1>Op-orde-rapport</h1>
            <p>Levering <code>\(e(levering.id))</code> van gemeente \(e(levering.gemeentecode)), leverancier \(e(levering.leverancier)), \
            stroom \(e(levering.stroom)), periode \(e(levering.periode)) (\(e(levering.periodeStart)) t/m \(e(levering.periodeEind))).</p>
            <p class="oordeel \(e(report.oordeel))" id="oordeel"><strong>\(e(verdicts[report.oordeel] ?? report.oordeel))</strong></p>
            <dl>
            <dt>Records</dt><dd id="records">\(HTMLPage.count(report.records))</dd>
            <dt>Vroegsignaalzaken</dt><dd id="zaken">\(HTMLPage.count(report.zaken))</dd>
            <dt>Met fouten</dt><dd id="met-fouten">\(HTMLPage.count(report.eenhedenMetFouten))</dd>
            <dt>Foutaandeel</dt><dd id="foutaandeel">\(HTMLPage.percentage(report.foutaandeel))</dd>
            <dt>Drempel</dt><dd id="drempel">\(HTMLPage.percentage(report.drempel))</dd>
            <dt>Met waarschuwingen</dt><dd id="met-waarschuwingen">\(HTMLPage.count(report.eenhedenMetWaarschuwingen))</dd>
            <dt>Uitwisselmodel</dt><dd>\(e(report.levering.stroom)) v\(e(report.modelVersie))</dd>
            <dt>Poging</dt><dd>\(report.poging)</dd>
            <dt>Ondertekening</dt><dd id="ondertekening">\(e(report.ondertekening.isEmpty ? "–" : report.ondertekening.map(signingName).joined(separator: ", ")))</dd>
            <dt>Schemafouten</dt><dd id="schema-beleid">\(e(schemaPolicyName(report.schemaBeleid)))</dd>
            </dl>

            """
        if report.kleineAantallenOnderdrukt {
            html += "<p>Aantallen van 1 tot en met 4 worden niet getoond (&lt; 5), zodat niemand herkenbaar is.</p>\n"
        }
        html += "<h2 id=\"controles\">Controles</h2>\n<table>\n<caption>Bevindingen per controle</caption>\n"
        html += "<thead><tr><th scope=\"col\">Controle</th><th scope=\"col\">Ernst</th><th scope=\"col\" class=\"getal\">Bevindingen</th>"
        html += "<th scope=\"col\" class=\"getal\">Records en zaken</th></tr></thead>\n<tbody>\n"
        for check in report.controles {
            html += "<tr id=\"controle-\(e(check.code))\"><th scope=\"row\">\(e(check.omschrijving)) <code>\(e(check.code))</code></th>"
            html += "<td>\(e(check.ernst))</td><td class=\"getal\">\(HTMLPage.count(check.bevindingen))</td>"
            html += "<td class=\"getal\">\(HTMLPage.count(check.eenheden))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !report.schemaRegels.isEmpty {
            html += table(
                caption: "Overtredingen van het uitwisselmodel per regel", header: "Regel in het model",
                rows: report.schemaRegels.map { ("<code>\(e($0.regel))</code>", $0.aantal) })
        }
        if !report.schemaOvertredingen.isEmpty {
            html +=
                "<table id=\"schema-overtredingen\">\n<caption>Overtredingen van het uitwisselmodel (\(HTMLPage.count(report.schemaOvertredingenTotaal)) in totaal"
            html +=
                report.schemaOvertredingen.count < (report.schemaOvertredingenTotaal ?? 0)
                ? ", de eerste \(report.schemaOvertredingen.count)" : ""
            html += ")</caption>\n<thead><tr><th scope=\"col\" class=\"getal\">Pagina</th><th scope=\"col\">Plaats (JSON pointer)</th>"
            html += "<th scope=\"col\">Regel in het model</th></tr></thead>\n<tbody>\n"
            for violation in report.schemaOvertredingen {
                html += "<tr><td class=\"getal\">\(violation.pagina)</td><td><code>\(e(violation.pointer))</code></td>"
                html += "<td><code>\(e(violation.regel))</code></td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        html += "<h2 id=\"codelijsten\">Codelijsten</h2>\n"
        for list in report.verdelingen {
            html += table(
                caption: "Verdeling van \(e(list.lijst)) (totaal \(HTMLPage.count(list.totaal)))", header: "Waarde",
                rows: list.waarden.map { (e($0.waarde), $0.aantal) })
        }
        html += "<h2 id=\"volume\">Volume per maand</h2>\n"
        html += table(caption: "Records per maand", header: "Maand", rows: report.volumePerMaand.map { (e($0.waarde), $0.aantal) })
        html += "<h2 id=\"suggesties\">Voorstellen voor ongeldige waarden</h2>\n"
        if report.suggesties.isEmpty {
            html += "<p>Geen ongeldige waarden in codelijsten.</p>\n"
        }
        for list in report.suggesties {
            html += "<table>\n<caption>\(e(list.lijst)): \(HTMLPage.count(list.ongeldig)) ongeldige waarden</caption>\n"
            html += "<thead><tr><th scope=\"col\">Voorgestelde officiële waarde</th><th scope=\"col\">Op grond van</th>"
            html += "<th scope=\"col\">Tekst</th><th scope=\"col\" class=\"getal\">Aantal</th></tr></thead>\n<tbody>\n"
            for proposal in list.voorstellen {
                html += "<tr><th scope=\"row\">\(e(proposal.waarde))</th><td><code>\(e(proposal.regel))</code></td>"
                html += "<td>\(e(proposal.tekst ?? "–"))</td><td class=\"getal\">\(HTMLPage.count(proposal.aantal))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        html += "<p>Tabelversie van de standaardisatie: \(report.tabelversie). Dit rapport bevat alleen aantallen: "
        html += "geen gegevens van personen of zaken.</p>\n"
        return HTMLPage.document(title: "Op-orde-rapport \(levering.gemeentecode) \(levering.periode)", body: html)
    }

    /// A two-column table of counts; `caption` and the `rows`' labels are escaped HTML.
    static func table(caption: String, header: String, rows: [(label: String, count: Int?)]) -> String {
        var html = "<table>\n<caption>\(caption)</caption>\n"
        html +=
            "<thead><tr><th scope=\"col\">\(HTMLPage.escape(header))</th><th scope=\"col\" class=\"getal\">Aantal</th></tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr><th scope=\"row\">\(row.label)</th><td class=\"getal\">\(HTMLPage.count(row.count))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
