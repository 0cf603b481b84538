import Foundation
import Logging
import RegieDomain
import RegieStore
import SMTPClient
import Webhooks

/// Where mail goes: a mail server, or (the demonstration) a folder of `.eml` files.
public enum MailBestemming: Sendable {
    /// Over SMTP, from `afzender` (a plain mailbox) with a display name.
    case smtp(SMTPClient, afzender: String, afzenderNaam: String?)
    /// Each message as `<id>.eml` in this folder, written whole (a resend of a message
    /// overwrites its own file).
    case map(URL, afzender: String)
}

/// Sends one claimed message by its subscription's channel and says how it went: the text is
/// made from the melding (``MeldingTekst``), the message id is the outbox row's id at every
/// attempt, and a failure's reason is a code (an SMTP reply code, an HTTP status), never the
/// message, an address or a server's own words.
public struct MeldingKanalen: Sendable {
    let mail: MailBestemming?
    let webhooks: WebhookSender?
    let sleutel: MeldingSleutel
    /// The service's public address, for links.
    let publiekAdres: String

    /// Channels; a nil one leaves its messages waiting (they are given up after the retries).
    public init(mail: MailBestemming?, webhooks: WebhookSender?, sleutel: MeldingSleutel, publiekAdres: String) {
        self.mail = mail
        self.webhooks = webhooks
        self.sleutel = sleutel
        self.publiekAdres = publiekAdres
    }

    /// Sends `opdracht` at `now`.
    public func verstuur(_ opdracht: MeldingOpdracht, now: Date) async -> MeldingUitkomst {
        let abonnement = opdracht.abonnement
        // Cancelled, or no longer wanting this soort, after the message was queued: nothing goes out.
        guard abonnement.isActief else { return .mislukt(tijdelijk: false, reden: "abonnement_opgezegd") }
        guard abonnement.soorten.contains(opdracht.melding.soort) else { return .mislukt(tijdelijk: false, reden: "soort_afgemeld") }
        switch abonnement.kanaal {
        case .email: return await mail(opdracht, now: now)
        case .webhook: return await webhook(opdracht, now: now)
        }
    }

    func mail(_ opdracht: MeldingOpdracht, now: Date) async -> MeldingUitkomst {
        guard let mail else { return .mislukt(tijdelijk: true, reden: "email_niet_ingericht") }
        let message: MailMessage
        do {
            message = try MeldingMail.bericht(
                opdracht, afzender: mail.afzender, afzenderNaam: mail.afzenderNaam, publiekAdres: publiekAdres, sleutel: sleutel,
                now: now)
        } catch {
            return .mislukt(tijdelijk: false, reden: "bericht_ongeldig: \(error.kind.rawValue)")
        }
        switch mail {
        case .smtp(let client, _, _):
            do {
                try await client.send(message)
                return .verzonden
            } catch {
                let code = error.replyCode.map { " \($0)" } ?? ""
                return .mislukt(tijdelijk: error.isTransient, reden: "smtp_\(error.kind.rawValue)\(code)")
            }
        case .map(let folder, _):
            do {
                try MeldingMail.schrijf(message, id: opdracht.id, in: folder)
                return .verzonden
            } catch {
                return .mislukt(tijdelijk: true, reden: "map_onschrijfbaar")
            }
        }
    }

    func webhook(_ opdracht: MeldingOpdracht, now: Date) async -> MeldingUitkomst {
        guard let webhooks else { return .mislukt(tijdelijk: true, reden: "webhooks_niet_ingericht") }
        guard let url = URL(string: opdracht.abonnement.adres) else { return .mislukt(tijdelijk: false, reden: "adres_ongeldig") }
        let body: [UInt8]
        do {
            body = try MeldingWebhook.body(opdracht.melding, publiekAdres: publiekAdres)
        } catch {
            return .mislukt(tijdelijk: false, reden: "bericht_ongeldig")
        }
        do {
            try await webhooks.send(
                to: url, id: MeldingWebhook.id(opdracht.id), timestamp: Int64(now.timeIntervalSince1970.rounded(.down)), body: body,
                secrets: sleutel.webhookGeheimen(opdracht.abonnement, at: now))
            return .verzonden
        } catch {
            let status = error.status.map { "http_\($0)" } ?? error.kind.rawValue
            return .mislukt(tijdelijk: error.isTransient, reden: "webhook_\(status)")
        }
    }
}

extension MailBestemming {
    var afzender: String {
        switch self {
        case .smtp(_, let afzender, _), .map(_, let afzender): afzender
        }
    }

    var afzenderNaam: String? {
        switch self {
        case .smtp(_, _, let naam): naam
        case .map: "DDAS regie (demonstratie)"
        }
    }
}
