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

extension MeldingWebhook {
    /// The OpenAPI document's `webhooks`: what an endpoint that subscribed receives.
    static var openAPI: [String: Any] {
        let header: (String, String) -> [String: Any] = { name, description in
            ["name": name, "in": "header", "required": true, "description": description, "schema": Schema.text]
        }
        return [
            "melding": [
                "post": [
                    "summary": "A melding, as a Standard Webhook",
                    "description":
                        "Sent to each webhook subscription that wants the melding's soort (POST /v1/abonnementen). Signed as Standard Webhooks prescribe: webhook-signature holds `v1,` and the base64 HMAC-SHA256 of `webhook-id.webhook-timestamp.body` under the subscription's secret (whsec_…); during a rotation two signatures, separated by a space. A message sent again (after a failure, or after its sender died) has the same webhook-id and body: drop one you have seen. Answer 2xx to accept; 408, 429 and 5xx are tried again later; anything else is final.",
                    "parameters": [
                        header("webhook-id", "The message's id (msg_…), the same at every attempt."),
                        header("webhook-timestamp", "When this attempt was made, in seconds since 1970."),
                        header("webhook-signature", "v1,<base64 HMAC-SHA256>, one per valid secret."),
                    ],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": bodySchema]]],
                    "responses": ["2XX": ["description": "Accepted."]],
                ] as [String: Any]
            ]
        ]
    }

    /// The schema of ``Body``.
    static var bodySchema: JSONSchema {
        let soorten = Schema.enumeration(MeldingSoort.allCases.map(\.rawValue))
        let feiten = Schema.object(
            [:],
            optional: [
                "levering": Schema.uuid, "toestemming": Schema.uuid, "stroom": Schema.enumeration(["VS", "SHV"]),
                "periode": Schema.periode, "pogingen": Schema.count, "foutcode": Schema.text, "mijlpaal": Schema.text,
                "dagen": Schema.count, "datum": Schema.date, "sinds": Schema.dateTime, "foutaandeel": Schema.share,
                "drempel": Schema.share, "aantallen": Schema.map(Schema.count), "achterstanden": Schema.array(Schema.text),
            ], description: "The facts of this occurrence: identifiers, codes, counts and dates; never a value from a delivered page.")
        let data = Schema.object(
            [
                "sleutel": Schema.text, "soort": soorten, "omschrijving": Schema.text, "onderwerp": Schema.text, "tekst": Schema.text,
                "feiten": feiten, "plaatsgevondenOp": Schema.dateTime,
            ],
            optional: [
                "gemeente": Schema.object(["code": Schema.gemeentecode], optional: ["naam": Schema.text]),
                "leverancier": Schema.text,
            ])
        return Schema.object(
            ["type": soorten, "timestamp": Schema.dateTime, "data": data],
            description: "A melding: its soort (type), when it happened, and what it concerns, with its Dutch text.")
    }
}
