import Foundation
import RegieDomain
import RegieStore

/// The dashboard's section on the outbox of meldingen: how many messages wait, are being sent,
/// were sent and failed, how long the oldest waiting one has waited, and the last failed ones
/// with their soort, receiver and reason. On the project team's dashboard only: it shows
/// addresses of every party.
enum MeldingenSection {
    static let e = HTMLPage.escape

    /// How many failed messages the section lists.
    static let failedShown = 10

    static func render(stand: MeldingOutboxStand, mislukt: [MeldingBericht]) -> String {
        var html = "<h2 id=\"meldingen\">Meldingen</h2>\n<p id=\"meldingen-wachttijd\">"
        html +=
            stand.wachtend == 0
            ? "Er wachten geen berichten."
            : "Er \(stand.wachtend == 1 ? "wacht 1 bericht" : "wachten \(stand.wachtend) berichten"); "
                + "het oudste wacht \(e(duur(stand.oudsteWachtendSeconden)))."
        html += "</p>\n"
        html += "<table id=\"meldingen-stand\"><caption>Uitgaande e-mails en webhooks per status</caption><thead><tr>"
        html += "<th scope=\"col\">Status</th><th scope=\"col\" class=\"getal\">Berichten</th></tr></thead><tbody>\n"
        for status in MeldingBezorgStatus.allCases {
            html += "<tr id=\"meldingen-\(status.rawValue)\"><th scope=\"row\">\(status.rawValue)</th>"
            html += "<td class=\"getal\">\(stand[status])</td></tr>\n"
        }
        html += "</tbody></table>\n"
        guard !mislukt.isEmpty else { return html + "<p id=\"meldingen-mislukt\">Geen mislukte berichten.</p>\n" }
        let caption = mislukt.count == 1 ? "Het laatste mislukte bericht" : "De laatste \(mislukt.count) mislukte berichten"
        html += "<table id=\"meldingen-mislukt\"><caption>\(caption)</caption><thead><tr><th scope=\"col\">Aangemaakt</th>"
        html += "<th scope=\"col\">Soort</th><th scope=\"col\">Betreft</th><th scope=\"col\">Ontvanger</th>"
        html +=
            "<th scope=\"col\" class=\"getal\">Pogingen</th><th scope=\"col\">Reden</th><th scope=\"col\">Bericht</th></tr></thead><tbody>\n"
        for bericht in mislukt {
            let betreft = [bericht.gemeente?.rawValue, bericht.leverancier].compactMap { $0 }.joined(separator: ", ")
            html += "<tr><td>\(time(bericht.aangemaaktOp))</td><td>\(e(bericht.soort))</td>"
            html += "<td>\(e(betreft.isEmpty ? "–" : betreft))</td>"
            html += "<td>\(e(bericht.partij.notatie))<br>\(e(bericht.kanaal.rawValue)): \(e(bericht.adres))</td>"
            html += "<td class=\"getal\">\(bericht.pogingen)</td>"
            html += "<td>\(e(bericht.laatsteFout ?? "–"))</td><td><code>\(e(bericht.id.uuidString.lowercased()))</code></td></tr>\n"
        }
        html += "</tbody></table>\n"
        html += "<p>Opnieuw versturen: <code>ddas-regie meldingen retry &lt;bericht&gt;</code>, "
        html += "of alle mislukte met <code>ddas-regie meldingen retry --alle-mislukt</code>.</p>\n"
        return html
    }

    /// A moment as the time in Amsterdam to the minute, with its ISO 8601 form for machines.
    static func time(_ moment: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return "<time datetime=\"\(e(ISO8601DateFormatter().string(from: moment)))\">\(e(formatter.string(from: moment)))</time>"
    }

    /// A waiting time in Dutch, in the largest unit that keeps it readable.
    static func duur(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? Int(min(max(seconds, 0), 1e12).rounded(.down)) : 0
        switch whole {
        case ..<120: return whole == 1 ? "1 seconde" : "\(whole) seconden"
        case ..<7_200: return "\(whole / 60) minuten"
        case ..<172_800: return "\(whole / 3_600) uur"
        default: return "\(whole / 86_400) dagen"
        }
    }
}
