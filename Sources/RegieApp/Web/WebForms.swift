import Foundation
import RegieDomain
import RegieStore

/// The forms a gemeente fills in on its page: the DPIA sign-off, the consent to its supplier,
/// and the revocation of a consent (after a confirmation). A form that was refused comes back
/// with what was entered and a Dutch message beside each field.
struct WebFormState {
    /// Which form: `dpia`, `toestemming`.
    var form: String
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// A message above the form (the store refused the change).
    var message: String?

    /// The API's reason for an invalid field, in Dutch.
    static func dutch(_ reason: String) -> String {
        if reason.hasPrefix("is required") { return "Vul dit veld in." }
        if reason.hasPrefix("must be a date") { return "Vul een datum in als JJJJ-MM-DD." }
        if reason.hasPrefix("must be a SHA-256") { return "Vul de SHA-256 van het document in: 64 tekens 0-9 en a-f." }
        if reason.hasPrefix("must be at most") {
            let number = reason.split(separator: " ").first { Int($0) != nil } ?? ""
            return "Gebruik ten hoogste \(number) tekens."
        }
        if reason.hasPrefix("must list one or more") { return "Kies ten minste één stroom." }
        if reason.hasPrefix("must not be before geldigVan") { return "Deze datum mag niet vóór 'geldig van' liggen." }
        return reason
    }
}

extension GemeentePage {
    /// One labelled field, with its message when it was refused.
    static func field(
        _ name: String, label: String, type: String = "text", hint: String? = nil, state: WebFormState?, required: Bool = true
    ) -> String {
        let id = (state?.form ?? "veld") + "-" + name
        var html = "<label for=\"\(id)\">\(e(label))</label>\n"
        if let hint { html += "<p class=\"hint\" id=\"\(id)-hint\">\(e(hint))</p>\n" }
        let error = state?.errors[name]
        if let error { html += "<p class=\"melding\" id=\"\(id)-fout\">\(e(error))</p>\n" }
        let described = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-fout" }].compactMap { $0 }.joined(separator: " ")
        html += "<input id=\"\(id)\" name=\"\(name)\" type=\"\(type)\" value=\"\(e(state?.values[name] ?? ""))\""
        if required { html += " required" }
        if error != nil { html += " aria-invalid=\"true\"" }
        if !described.isEmpty { html += " aria-describedby=\"\(described)\"" }
        return html + ">\n"
    }

    /// The forms that fit the gemeente's state (for the gemeente itself).
    static func forms(status: GemeenteStatus, visitor: WebVisitor, state: WebFormState?, now: Date) -> String {
        let code = status.gemeente.code.rawValue
        let hidden =
            "<input type=\"hidden\" name=\"csrf\" value=\"\(visitor.csrf)\"><input type=\"hidden\" name=\"versie\" value=\"\(status.versie)\">\n"
        var html = ""
        if status.dpia == nil {
            let form = state?.form == "dpia" ? state : WebFormState(form: "dpia")
            html += "<h2 id=\"dpia\">DPIA-akkoord vastleggen</h2>\n"
            if let message = form?.message { html += "<p class=\"melding\" role=\"alert\">\(e(message))</p>\n" }
            html += "<form method=\"post\" action=\"/gemeenten/\(e(code))/dpia-akkoord\">\n" + hidden
            html += field("besluitdatum", label: "Datum van het akkoord", type: "date", hint: "JJJJ-MM-DD", state: form)
            html += field(
                "goedkeurendeRol", label: "Wie gaf het akkoord (rol)", hint: "Bijvoorbeeld: functionaris gegevensbescherming", state: form)
            html += field("documentreferentie", label: "Kenmerk van het document", state: form)
            html += field("documentSha256", label: "SHA-256 van het document", hint: "64 tekens 0-9 en a-f", state: form)
            html += "<p><button type=\"submit\">DPIA-akkoord vastleggen</button></p></form>\n"
        }
        let today = amsterdamDay(now)
        let open = status.leveranciers.filter { assignment in
            !status.toestemmingen.contains {
                $0.leverancierID == assignment.leverancierID && $0.stroom == assignment.stroom && $0.isActive(on: today)
            }
        }
        if status.dpia != nil, let supplier = open.first?.leverancierID {
            var form = state?.form == "toestemming" ? state : WebFormState(form: "toestemming")
            if form?.values["geldigVan"] == nil { form?.values["geldigVan"] = today.description }
            html += "<h2 id=\"toestemming\">Toestemming geven aan \(e(supplier))</h2>\n"
            if let message = form?.message { html += "<p class=\"melding\" role=\"alert\">\(e(message))</p>\n" }
            html += "<form method=\"post\" action=\"/gemeenten/\(e(code))/toestemming\">\n" + hidden
            html += "<input type=\"hidden\" name=\"leverancier\" value=\"\(e(supplier))\">\n<fieldset><legend>Stromen</legend>\n"
            if let error = form?.errors["stromen"] { html += "<p class=\"melding\" id=\"toestemming-stromen-fout\">\(e(error))</p>\n" }
            for assignment in open where assignment.leverancierID == supplier {
                let stream = assignment.stroom.rawValue
                html += "<label for=\"toestemming-stroom-\(stream)\"><input type=\"checkbox\" id=\"toestemming-stroom-\(stream)\" "
                html +=
                    "name=\"stromen\" value=\"\(stream)\" checked> \(stream == "VS" ? "Vroegsignalering (VS)" : "Schuldhulpverlening (SHV)")</label>\n"
            }
            html += "</fieldset>\n"
            html += field("besluitdatum", label: "Datum van het besluit", type: "date", hint: "JJJJ-MM-DD", state: form)
            html += field("besluitvormendOrgaan", label: "Orgaan dat besloot", hint: "Bijvoorbeeld: college van B&W", state: form)
            html += field("documentreferentie", label: "Kenmerk van het besluit", state: form)
            html += field("documentSha256", label: "SHA-256 van het besluit", hint: "64 tekens 0-9 en a-f", state: form)
            html += field("geldigVan", label: "Geldig vanaf", type: "date", state: form)
            html += field("geldigTot", label: "Geldig tot en met (leeg: zonder einde)", type: "date", state: form, required: false)
            html += "<p><button type=\"submit\">Toestemming geven</button></p></form>\n"
        }
        let active = status.toestemmingen.filter { $0.isActive(on: today) }
        if !active.isEmpty {
            html += "<h2 id=\"intrekken\">Toestemming intrekken</h2>\n<ul>\n"
            for consent in active {
                let id = consent.id.uuidString.lowercased()
                html += "<li>\(e(consent.leverancierID)), \(e(consent.stroom.rawValue)): "
                html += "<a href=\"/gemeenten/\(e(code))/toestemmingen/\(id)/intrekken\">intrekken…</a></li>\n"
            }
            html += "</ul>\n"
        }
        return html
    }

    /// The confirmation step before a revocation.
    static func confirmRevocation(status: GemeenteStatus, consent: ToestemmingRecord, visitor: WebVisitor, error: String?) -> String {
        let code = status.gemeente.code.rawValue
        let id = consent.id.uuidString.lowercased()
        var html = "<main><h1>Toestemming intrekken</h1>\n"
        html += "<p>U trekt de toestemming in van \(e(status.gemeente.name)) aan \(e(consent.leverancierID)) voor de stroom "
        html += "\(e(consent.stroom.rawValue)). Lopende leveringen stoppen direct en er wordt niets meer aan het CBS overgedragen. "
        html += "Dit kunt u alleen ongedaan maken door opnieuw toestemming te geven.</p>\n"
        html += "<form method=\"post\" action=\"/gemeenten/\(e(code))/toestemmingen/\(id)/intrekken\">\n"
        html +=
            "<input type=\"hidden\" name=\"csrf\" value=\"\(visitor.csrf)\"><input type=\"hidden\" name=\"versie\" value=\"\(status.versie)\">\n"
        var state = WebFormState(form: "intrekking")
        if let error { state.errors["reden"] = error }
        html += field("reden", label: "Reden van de intrekking", state: state)
        html += "<p><button type=\"submit\">Ja, trek de toestemming in</button> <a href=\"/gemeenten/\(e(code))\">Nee, terug</a></p>\n"
        html += "</form></main>\n"
        return WebLayout.page(title: "Toestemming intrekken", visitor: visitor, body: html)
    }
}
