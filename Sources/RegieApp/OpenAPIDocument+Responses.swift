import DDASExchange
import Foundation
import RegieDomain
import RegieStore
import Standardisation

/// The answers of the contract: per operation the body of its success by media type, and the
/// components they refer to (every ``JSONSchemaDescribed`` type, the list envelopes and the
/// vocabularies: streams, statuses, phases, roles, failure classes).
extension OpenAPIDocument {
    /// The body of each operation's 2xx answer (204 has none), keyed by method and OpenAPI
    /// path, by media type. `/metrics` is text (``Operation/produces``).
    static var successBodies: [String: [String: JSONSchema]] {
        let gemeente = "/v1/gemeenten/{gemeentecode}"
        let health = json(HealthController.Status.self)
        let csv: JSONSchema = ["type": "string", "description": "UTF-8 with a byte order mark, fields separated by ';'"]
        return [
            "get /health/live": health,
            "get /health/ready": health,
            "get /v1/health/live": health,
            "get /v1/health/ready": health,
            "get /v1/openapi.json": [
                "application/json": Schema.object(
                    ["openapi": Schema.text, "info": ["type": "object"], "paths": ["type": "object"]],
                    optional: [
                        "servers": Schema.array(["type": "object"]), "components": ["type": "object"], "webhooks": ["type": "object"],
                    ])
            ],
            "get /v1/gemeenten": list("gemeenten").merging(["text/csv": csv]) { $1 },
            "get /v1/voortgang": json(VoortgangReport.self).merging(["text/csv": csv]) { $1 },
            "get /v1/cijfers": json(Cijfers.self).merging(["text/csv": csv]) { $1 },
            "get \(gemeente)": json(GemeentenController.Detail.self),
            "post \(gemeente)/dpia-akkoorden": json(GemeenteDetail.self),
            "get \(gemeente)/toestemmingen": list("toestemmingen"),
            "post \(gemeente)/toestemmingen": json(GemeenteDetail.self),
            "post \(gemeente)/toestemmingen/{id}/intrekkingen": json(GemeenteDetail.self),
            "put \(gemeente)/leveranciers/{stroom}": json(GemeenteDetail.self),
            "post \(gemeente)/fase-overgangen": json(GemeenteDetail.self),
            "get /v1/leveranciers": list("leveranciers"),
            "get /v1/leveranciers/{id}": json(LeveranciersController.Resource.self),
            "post /v1/leveranciers/{id}/diensten/{stroom}/fase-overgangen": json(LeveranciersController.Resource.self),
            "get /v1/audit-gebeurtenissen": list("auditGebeurtenissen"),
            "get /v1/leveringen": list("leveringen"),
            "post /v1/leveringen": json(LeveringenController.Triggered.self),
            "get /v1/leveringen/{id}": json(LeveringenController.Detail.self),
            "post /v1/leveringen/{id}/annuleringen": json(LeveringenController.Item.self),
            "post /v1/leveringen/{id}/herhalingen": json(LeveringenController.Item.self),
            "get /v1/leveringen/{id}/op-orde-rapport": json(OpOrdeRapport.self).merging(["text/html": Schema.string]) { $1 },
            "get \(gemeente)/datakwaliteit": json(DatakwaliteitController.Trend.self),
            "post /v1/standaardisaties": json(DatakwaliteitController.Standardised.self),
            "post /v1/validaties": json(ValidatieRapport.self),
            "get /v1/vertalingen": json(DatakwaliteitController.EntryList.self),
            "post /v1/vertalingen": json(DatakwaliteitController.Entry.self),
            "get /v1/vertalingen/{id}": json(DatakwaliteitController.EntryDetail.self),
            "get /v1/tokens": list("tokens"),
            "post /v1/tokens": json(TokensController.Created.self),
            "get /v1/tokens/{id}": json(TokensController.Resource.self),
        ].merging(AbonnementenController.successBodies) { $1 }
    }

    /// Every type whose schema is a component.
    static var describedTypes: [any JSONSchemaDescribed.Type] {
        [
            Problem.Body.self, ListQuery.Paging.self, HealthController.Status.self, GemeentenController.Item.self, GemeenteDetail.self,
            LeverancierResource.self, DPIAResource.self, ToestemmingResource.self, GemeentenController.HistoryItem.self,
            GemeentenController.Detail.self, LeveranciersController.Resource.self, LeveranciersController.Service.self,
            LeveranciersController.ToestemmingGever.self, AuditController.Item.self, LeveringenController.Item.self,
            LeveringenController.Poging.self, LeveringenController.HandedOverPage.self, LeveringenController.Detail.self,
            LeveringenController.Skipped.self, LeveringenController.Triggered.self, OpOrdeRapport.self, OpOrdeRapport.Controle.self,
            OpOrdeRapport.Aantal.self, OpOrdeRapport.Verdeling.self, OpOrdeRapport.SchemaRegel.self, OpOrdeRapport.Voorstel.self,
            OpOrdeRapport.Suggesties.self, SchemaOvertreding.self, DatakwaliteitController.TrendItem.self,
            DatakwaliteitController.Trend.self, DatakwaliteitController.StandardisedItem.self, DatakwaliteitController.Standardised.self,
            DatakwaliteitController.Entry.self, DatakwaliteitController.Change.self, DatakwaliteitController.EntryDetail.self,
            DatakwaliteitController.EntryList.self, KwaliteitBevindingen.self, Bevinding.self, ValidatieRapport.self, VoortgangReport.self,
            VoortgangReport.Fase.self, VoortgangReport.Groep.self, VoortgangReport.Mijlpaal.self, VoortgangReport.Dienst.self,
            VoortgangReport.Reden.self, VoortgangReport.Aandacht.self, VoortgangReport.Leveringen.self, TokensController.Resource.self,
            TokensController.Created.self, Cijfers.self, Cijfers.Periode.self, Cijfers.Figuur.self, Cijfers.Herkomstdeel.self,
            Cijfers.Gebied.self,
            HerkomstAantallen.self,
        ] + AbonnementenController.describedTypes
    }

    // The vocabularies, as components of their own so a generated client has one enum each.
    static let stroom = "Stroom"
    static let leveringStatus = "LeveringStatus"
    static let leveringDoel = "LeveringDoel"
    static let foutKlasse = "FoutKlasse"
    static let oordeel = "Oordeel"
    static let ernst = "Ernst"
    static let rol = "Rol"
    static let codelijst = "Codelijst"
    static let schemaBeleid = "SchemaBeleid"
    static let gemeenteFase = "GemeenteFase"
    static let dienstFase = "DienstFase"

    /// The components: the described types, the list envelopes and the vocabularies. The
    /// phases are enumerated from `workflows` when given (they are configuration), else text.
    static func schemas(workflows: Workflows?) -> [String: Any] {
        var schemas: [String: Any] = [:]
        for type in describedTypes { schemas[type.schemaName] = type.jsonSchema }
        for (key, item) in lists { schemas[listName(key)] = listSchema(key, of: item) }
        func states(_ definition: WorkflowDefinition?) -> JSONSchema {
            guard let definition else { return Schema.text }
            return Schema.enumeration(definition.phases.map(\.name) + definition.sideStates.map(\.name))
        }
        let vocabularies: [String: JSONSchema] = [
            stroom: Schema.enumeration(Stroom.allCases.map(\.rawValue)),
            leveringStatus: Schema.enumeration(LeveringStatus.allCases.map(\.rawValue)),
            leveringDoel: Schema.enumeration(LeveringDoel.allCases.map(\.rawValue)),
            foutKlasse: Schema.enumeration(FoutKlasse.labels.keys.sorted()),
            oordeel: Schema.enumeration(StoredOpOrdeRapport.Oordeel.allCases.map(\.rawValue)),
            ernst: Schema.enumeration(KwaliteitSeverity.allCases.map(\.rawValue)),
            rol: Schema.enumeration(Role.allCases.map(\.rawValue)),
            codelijst: Schema.enumeration(CodeList.allCases.map(\.rawValue)),
            schemaBeleid: Schema.enumeration(LeveringSchedule.SchemaViolationPolicy.allCases.map(\.rawValue)),
            gemeenteFase: states(workflows?.gemeente),
            dienstFase: states(workflows?.leverancier),
            meldingSoort: Schema.enumeration(MeldingSoort.allCases.map(\.rawValue)),
        ]
        schemas.merge(vocabularies) { $1 }
        return schemas
    }

    /// The lists: the key of the items in the envelope, and their type.
    static var lists: [(String, any JSONSchemaDescribed.Type)] {
        [
            ("gemeenten", GemeentenController.Item.self), ("toestemmingen", ToestemmingResource.self),
            ("leveranciers", LeveranciersController.Resource.self), ("auditGebeurtenissen", AuditController.Item.self),
            ("leveringen", LeveringenController.Item.self), ("tokens", TokensController.Resource.self),
            ("abonnementen", AbonnementenController.Resource.self),
        ]
    }

    /// The component of a list envelope: `gemeenten` → `GemeentenPagina`.
    static func listName(_ key: String) -> String {
        key.prefix(1).uppercased() + key.dropFirst() + "Pagina"
    }

    /// `{"<key>": [...], "paginering": {...}}`, as ``ListQuery/ListBody`` encodes it.
    static func listSchema(_ key: String, of item: any JSONSchemaDescribed.Type) -> JSONSchema {
        Schema.object([key: Schema.array(Schema.ref(item)), "paginering": Schema.ref(ListQuery.Paging.self)])
    }

    /// A JSON body of `type`.
    static func json(_ type: any JSONSchemaDescribed.Type) -> [String: JSONSchema] {
        ["application/json": Schema.ref(type)]
    }

    /// A list envelope of ``lists``.
    static func list(_ key: String) -> [String: JSONSchema] {
        ["application/json": Schema.ref(listName(key))]
    }
}
