import Foundation
import RegieDomain
import RegieStore
import SMTPClient

/// A melding as a mail: the Dutch text and HTML of ``MeldingTekst``, the outbox row's id as its
/// `Message-ID`, and a `List-Unsubscribe` link with one-click unsubscribe (RFC 8058).
enum MeldingMail {
    /// The mail of `opdracht` from `afzender`.
    static func bericht(
        _ opdracht: MeldingOpdracht, afzender: String, afzenderNaam: String?, publiekAdres: String, sleutel: MeldingSleutel, now: Date
    ) throws(SMTPFailure) -> MailMessage {
        let tekst = MeldingTekst(opdracht.melding, basis: publiekAdres)
        let afmelden = sleutel.afmeldLink(basis: publiekAdres, abonnement: opdracht.abonnement.id)
        let voet = "Je ontvangt dit bericht omdat dit adres is aangemeld voor meldingen van DDAS regie. Afmelden: \(afmelden)"
        let htmlVoet =
            "<p style=\"color:#555\">Je ontvangt dit bericht omdat dit adres is aangemeld voor meldingen van DDAS regie. "
            + "<a href=\"\(HTMLPage.escape(afmelden))\">Afmelden</a></p></body>"
        return try MailMessage(
            from: afzender, fromName: afzenderNaam, to: [opdracht.abonnement.adres], subject: tekst.onderwerp,
            text: tekst.tekst + "\n-- \n" + voet + "\n", html: tekst.html.replacingOccurrences(of: "</body>", with: htmlVoet),
            messageID: "\(opdracht.id.uuidString.lowercased())@\(domein(afzender))", date: now,
            headers: [
                ("List-Unsubscribe", "<\(afmelden)>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("X-DDAS-Melding", opdracht.melding.soort.rawValue), ("Auto-Submitted", "auto-generated"),
            ])
    }

    /// Writes `message` as `<id>.eml` in `folder`: to a temporary name first, then renamed, so
    /// a reader never sees half a mail.
    static func schrijf(_ message: MailMessage, id: UUID, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = id.uuidString.lowercased()
        let temporary = folder.appendingPathComponent(".\(name).eml.tmp")
        try Data(message.rendered()).write(to: temporary)
        let target = folder.appendingPathComponent("\(name).eml")
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: temporary, to: target)
    }

    /// The domain of a mailbox, for the `Message-ID`.
    static func domein(_ mailbox: String) -> String {
        mailbox.split(separator: "@").last.map(String.init) ?? "ddas-regie.localhost"
    }
}
