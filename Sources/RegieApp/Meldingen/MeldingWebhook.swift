import Foundation
import RegieDomain

/// A melding as a webhook's JSON body (the `Melding` schema of the OpenAPI document's
/// `webhooks`): Standard Webhooks' `type`, `timestamp` and `data`. The same body at every
/// attempt; the `webhook-id` is the outbox row's id.
enum MeldingWebhook {
    /// The body.
    struct Body: Encodable {
        let type: String
        let timestamp: Date
        let data: Inhoud
    }

    /// What happened.
    struct Inhoud: Encodable {
        let sleutel: String
        let soort: String
        let omschrijving: String
        let onderwerp: String
        let tekst: String
        let gemeente: Gemeente?
        let leverancier: String?
        let feiten: MeldingFeiten
        let plaatsgevondenOp: Date
    }

    struct Gemeente: Encodable {
        let code: String
        let naam: String?
    }

    /// The `webhook-id` of outbox row `id`.
    static func id(_ id: UUID) -> String { "msg_" + id.uuidString.lowercased() }

    /// The JSON body of `melding`, with links under `publiekAdres`.
    static func body(_ melding: Melding, publiekAdres: String) throws -> [UInt8] {
        let tekst = MeldingTekst(melding, basis: publiekAdres)
        let body = Body(
            type: melding.soort.rawValue, timestamp: melding.plaatsgevondenOp,
            data: Inhoud(
                sleutel: melding.sleutel, soort: melding.soort.rawValue, omschrijving: melding.soort.omschrijving,
                onderwerp: tekst.onderwerp, tekst: tekst.tekst,
                gemeente: melding.gemeente.map { Gemeente(code: $0.rawValue, naam: melding.gemeenteNaam) },
                leverancier: melding.leverancier, feiten: melding.feiten, plaatsgevondenOp: melding.plaatsgevondenOp))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(body))
    }
}
