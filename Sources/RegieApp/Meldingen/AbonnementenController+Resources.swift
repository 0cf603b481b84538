import Foundation
import RegieDomain

/// What the subscription API answers, the schemas the OpenAPI document publishes of it, and
/// its operations there.
extension AbonnementenController {
    /// A subscription as the API shows it (never a webhook's secret).
    struct Resource: Encodable {
        let id: String
        let partij: String
        let partijSoort: String
        let kanaal: String
        let adres: String
        let soorten: [String]
        let omschrijving: String
        let status: String
        /// The version of a webhook's secret; nil for e-mail.
        let geheimVersie: Int?
        /// Until when the previous secret still signs, after a rotation.
        let vorigGeheimGeldigTot: Date?
        let aangemaaktOp: Date
        let gewijzigdOp: Date
        let opgezegdOp: Date?

        init(_ abonnement: MeldingAbonnement) {
            let stored = abonnement.partij.opgeslagen
            id = abonnement.id.uuidString.lowercased()
            partij = stored.partij
            partijSoort = stored.soort
            kanaal = abonnement.kanaal.rawValue
            adres = abonnement.adres
            soorten = abonnement.soorten.map(\.rawValue).sorted()
            omschrijving = abonnement.omschrijving
            status = abonnement.status.rawValue
            geheimVersie = abonnement.kanaal == .webhook ? abonnement.geheimVersie : nil
            vorigGeheimGeldigTot = abonnement.kanaal == .webhook ? abonnement.vorigGeheimGeldigTot : nil
            aangemaaktOp = abonnement.aangemaaktOp
            gewijzigdOp = abonnement.gewijzigdOp
            opgezegdOp = abonnement.opgezegdOp
        }
    }

    /// The answer of making a subscription or rotating its secret: the subscription and, for a
    /// webhook, its current secret, in this answer only.
    struct Created: Encodable {
        let abonnement: Resource
        let geheim: String?

        func encode(to encoder: any Encoder) throws {
            try abonnement.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(geheim, forKey: .geheim)
        }

        enum Key: String, CodingKey { case geheim }
    }

    /// A soort of melding: its code, what it means and whom it may reach.
    struct Soort: Encodable {
        let code: String
        let omschrijving: String
        let partijen: [String]

        init(_ soort: MeldingSoort) {
            code = soort.rawValue
            omschrijving = soort.omschrijving
            partijen = MeldingPartij.Soort.allCases.filter(soort.partijen.contains).map(\.rawValue)
        }
    }

    /// Every soort.
    struct SoortenLijst: Encodable {
        let soorten: [Soort]
    }

    /// The operations of the OpenAPI document.
    static var operations: [OpenAPIDocument.Operation] {
        let soorten: [String: Any] = [
            "type": "array", "items": Schema.ref(OpenAPIDocument.meldingSoort), "minItems": 1,
            "maxItems": MeldingAbonnementAanvraag.maximumSoorten,
        ]
        let adres: [String: Any] = ["type": "string", "minLength": 3, "maxLength": MeldingAbonnementAanvraag.maximumURL]
        let omschrijving: [String: Any] = ["type": "string", "maxLength": MeldingAbonnementAanvraag.maximumOmschrijving]
        let one = "/v1/abonnementen/{id}"
        return [
            .init(
                method: "get", path: "/v1/meldingen/soorten", summary: "Every soort of melding: its code, meaning and whom it may reach",
                responses: [200, 400, 401, 403, 503]),
            .init(
                method: "get", path: "/v1/abonnementen",
                summary: "Subscriptions to meldingen: the project team everyone's (partij filters), a gemeente or supplier its own",
                responses: [200, 400, 401, 403, 503], query: ["partij", "status", "pagina", "paginaGrootte"]),
            .init(
                method: "post", path: "/v1/abonnementen",
                summary:
                    "Subscribe a mailbox or a webhook endpoint to soorten of meldingen; a webhook's secret (whsec_) is in this answer only",
                responses: [201, 400, 401, 403, 409, 415, 422, 503],
                body: OpenAPIDocument.object(
                    [
                        "partij": OpenAPIDocument.text, "kanaal": Schema.enumeration(MeldingKanaal.allCases.map(\.rawValue)),
                        "adres": adres, "soorten": soorten, "omschrijving": omschrijving,
                    ], optional: ["partij", "omschrijving"]), idempotent: true),
            .init(method: "get", path: one, summary: "A subscription", responses: [200, 400, 401, 403, 404, 503]),
            .init(
                method: "patch", path: one, summary: "Change a subscription's address, soorten or note",
                responses: [200, 400, 401, 403, 404, 409, 415, 503],
                body: OpenAPIDocument.object(
                    ["adres": adres, "soorten": soorten, "omschrijving": omschrijving], optional: ["adres", "soorten", "omschrijving"])
            ),
            .init(
                method: "delete", path: one, summary: "Cancel a subscription: it gets nothing more",
                responses: [204, 400, 401, 403, 404, 503]),
            .init(
                method: "post", path: one + "/geheim",
                summary:
                    "A new secret for a webhook subscription, in this answer only; the previous one still signs for 24 hours",
                responses: [201, 400, 401, 403, 404, 409, 422, 503], idempotent: true),
        ]
    }

    /// The success bodies of the operations, for ``OpenAPIDocument/successBodies``.
    static var successBodies: [String: [String: JSONSchema]] {
        [
            "get /v1/meldingen/soorten": OpenAPIDocument.json(SoortenLijst.self),
            "get /v1/abonnementen": OpenAPIDocument.list("abonnementen"),
            "post /v1/abonnementen": OpenAPIDocument.json(Created.self),
            "get /v1/abonnementen/{id}": OpenAPIDocument.json(Resource.self),
            "patch /v1/abonnementen/{id}": OpenAPIDocument.json(Resource.self),
            "post /v1/abonnementen/{id}/geheim": OpenAPIDocument.json(Created.self),
        ]
    }

    /// The types whose schemas are components.
    static var describedTypes: [any JSONSchemaDescribed.Type] {
        [Resource.self, Created.self, Soort.self, SoortenLijst.self]
    }
}

extension OpenAPIDocument {
    /// The vocabulary of the soorten of meldingen.
    static let meldingSoort = "MeldingSoort"
}

extension AbonnementenController.Resource: JSONSchemaDescribed {
    static let schemaName = "MeldingAbonnement"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "id": Schema.uuid, "partij": Schema.text,
                "partijSoort": Schema.enumeration(MeldingPartij.Soort.allCases.map(\.rawValue)),
                "kanaal": Schema.enumeration(MeldingKanaal.allCases.map(\.rawValue)), "adres": Schema.text,
                "soorten": Schema.array(Schema.ref(OpenAPIDocument.meldingSoort)), "omschrijving": Schema.string,
                "status": Schema.enumeration(MeldingAbonnement.Status.allCases.map(\.rawValue)), "aangemaaktOp": Schema.dateTime,
                "gewijzigdOp": Schema.dateTime,
            ],
            optional: [
                "geheimVersie": Schema.integer(minimum: 1, maximum: 1_000_000, format: "int32"),
                "vorigGeheimGeldigTot": Schema.dateTime, "opgezegdOp": Schema.dateTime,
            ],
            description: "A subscription to meldingen as the API shows it: never a webhook's secret.")
    }
}

extension AbonnementenController.Created: JSONSchemaDescribed {
    static let schemaName = "NieuwMeldingAbonnement"
    static var jsonSchema: JSONSchema {
        Schema.extending(
            AbonnementenController.Resource.jsonSchema, [:],
            optional: ["geheim": ["type": "string", "pattern": "^whsec_[A-Za-z0-9+/=]+$"]],
            description: "A subscription just made or its secret just rotated; `geheim` (a webhook's) is in this answer only.")
    }
}

extension AbonnementenController.Soort: JSONSchemaDescribed {
    static let schemaName = "MeldingSoortOmschrijving"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "code": Schema.ref(OpenAPIDocument.meldingSoort), "omschrijving": Schema.text,
                "partijen": Schema.array(Schema.enumeration(MeldingPartij.Soort.allCases.map(\.rawValue))),
            ], description: "A soort of melding and the kinds of party it may reach.")
    }
}

extension AbonnementenController.SoortenLijst: JSONSchemaDescribed {
    static let schemaName = "MeldingSoorten"
    static var jsonSchema: JSONSchema {
        Schema.object(["soorten": Schema.array(Schema.ref(AbonnementenController.Soort.self))])
    }
}
