import DDASExchange
import Foundation
import RegieDomain
import RegieStore

// The schema of every response body, each beside the type that encodes it (by extension, so
// that a type's fields and its schema are read together). `ResponseContractTests` validates
// every route's real answers against these with python-jsonschema, so a schema that drifts
// from its type fails there.

extension Problem.Body: JSONSchemaDescribed {
    static let schemaName = "Problem"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "type": ["type": "string", "pattern": "^urn:ddas-regie:problem:"], "title": Schema.text,
                "status": Schema.integer(minimum: 400, maximum: 599, format: "int32"), "instance": Schema.text, "code": Schema.text,
            ],
            optional: [
                "detail": Schema.string,
                "invalid-params": Schema.array(Schema.object(["name": Schema.string, "reason": Schema.string])),
            ], description: "An error answer (RFC 9457): `code` is stable, `detail` says what happened this time.")
    }
}

extension ListQuery.Paging: JSONSchemaDescribed {
    static let schemaName = "Paginering"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "pagina": Schema.integer(minimum: 1, maximum: ListQuery.maximumPage, format: "int32"),
                "paginaGrootte": Schema.integer(minimum: 1, maximum: ListQuery.maximumPageSize, format: "int32"),
                "totaal": Schema.count, "aantalPaginas": Schema.integer(minimum: 1),
            ])
    }
}

extension HealthController.Status: JSONSchemaDescribed {
    static let schemaName = "Gezondheid"
    static var jsonSchema: JSONSchema { Schema.object(["status": Schema.enumeration(["UP"])]) }
}

extension GemeentenController.Item: JSONSchemaDescribed {
    static let schemaName = "GemeenteInOverzicht"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "gemeentecode": Schema.gemeentecode, "naam": Schema.text, "provinciecode": Schema.string, "provincie": Schema.string,
            "arbeidsmarktregio": Schema.string, "fase": Schema.ref(OpenAPIDocument.gemeenteFase), "faseSinds": Schema.dateTime,
            "dagenInFase": Schema.count, "achterstallig": Schema.boolean,
            "leveranciers": Schema.map(Schema.text, keys: Schema.ref(OpenAPIDocument.stroom)),
            "toestemming": Schema.map(Schema.boolean, keys: Schema.ref(OpenAPIDocument.stroom)),
        ])
    }
}

extension GemeenteDetail: JSONSchemaDescribed {
    static let schemaName = "Gemeente"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "gemeentecode": Schema.gemeentecode, "naam": Schema.text, "provinciecode": Schema.string, "provincie": Schema.string,
                "arbeidsmarktregio": Schema.string, "actief": Schema.boolean, "fase": Schema.ref(OpenAPIDocument.gemeenteFase),
                "faseSinds": Schema.dateTime, "versie": Schema.integer(minimum: 0),
                "leveranciers": Schema.array(Schema.ref(LeverancierResource.self)),
                "toestemmingen": Schema.array(Schema.ref(ToestemmingResource.self)),
            ], optional: ["dpiaAkkoord": Schema.ref(DPIAResource.self)])
    }
}

extension LeverancierResource: JSONSchemaDescribed {
    static let schemaName = "LeverancierVanGemeente"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "stroom": Schema.ref(OpenAPIDocument.stroom), "leverancier": Schema.text, "organisatienaam": Schema.string,
                "van": Schema.dateTime, "huidig": Schema.boolean,
            ], optional: ["tot": Schema.dateTime])
    }
}

extension DPIAResource: JSONSchemaDescribed {
    static let schemaName = "DpiaAkkoord"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "id": Schema.uuid, "besluitdatum": Schema.date, "goedkeurendeRol": Schema.text, "documentreferentie": Schema.text,
            "documentSha256": Schema.sha256, "vastgelegdOp": Schema.dateTime,
        ])
    }
}

extension ToestemmingResource: JSONSchemaDescribed {
    static let schemaName = "Toestemming"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "id": Schema.uuid, "besluitId": Schema.uuid, "leverancier": Schema.text, "stroom": Schema.ref(OpenAPIDocument.stroom),
                "besluitdatum": Schema.date, "besluitvormendOrgaan": Schema.text, "documentreferentie": Schema.text,
                "documentSha256": Schema.sha256, "geldigVan": Schema.date, "vastgelegdDoor": Schema.text, "vastgelegdOp": Schema.dateTime,
                "actief": Schema.boolean,
            ], optional: ["geldigTot": Schema.date, "ingetrokkenOp": Schema.dateTime, "intrekkingsreden": Schema.string])
    }
}

extension GemeentenController.HistoryItem: JSONSchemaDescribed {
    static let schemaName = "GemeenteGebeurtenis"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["moment": Schema.dateTime, "actie": Schema.text, "actorRol": Schema.text],
            optional: ["voor": Schema.map(Schema.string), "na": Schema.map(Schema.string)])
    }
}

extension GemeentenController.Detail: JSONSchemaDescribed {
    static let schemaName = "GemeenteMetGeschiedenis"
    static var jsonSchema: JSONSchema {
        Schema.extending(
            GemeenteDetail.jsonSchema,
            [
                "geschiedenis": Schema.array(Schema.ref(GemeentenController.HistoryItem.self)),
                "geschiedenisVolledig": Schema.text,
            ],
            description:
                "geschiedenis: the latest \(GemeentenController.historyLimit) events, oldest first; geschiedenisVolledig: the audit list of the gemeente (GET /v1/audit-gebeurtenissen?objecttype=gemeente&object=…), paginated, with every event"
        )
    }
}

extension LeveranciersController.Resource: JSONSchemaDescribed {
    static let schemaName = "Leverancier"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["id": Schema.text, "naam": Schema.text, "diensten": Schema.array(Schema.ref(LeveranciersController.Service.self))],
            optional: ["gemeentenMetToestemming": Schema.array(Schema.ref(LeveranciersController.ToestemmingGever.self))])
    }
}

extension LeveranciersController.Service: JSONSchemaDescribed {
    static let schemaName = "Dienst"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "stroom": Schema.ref(OpenAPIDocument.stroom), "fase": Schema.ref(OpenAPIDocument.dienstFase), "faseSinds": Schema.dateTime,
            "versie": Schema.integer(minimum: 0), "bewijs": Schema.map(Schema.string),
        ])
    }
}

extension LeveranciersController.ToestemmingGever: JSONSchemaDescribed {
    static let schemaName = "GemeenteMetToestemming"
    static var jsonSchema: JSONSchema {
        Schema.object(["gemeentecode": Schema.gemeentecode, "stroom": Schema.ref(OpenAPIDocument.stroom)])
    }
}

extension AuditController.Item: JSONSchemaDescribed {
    static let schemaName = "AuditGebeurtenis"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "volgnummer": Schema.integer(minimum: 1), "moment": Schema.dateTime, "actor": Schema.text, "actorRol": Schema.text,
                "actie": Schema.text, "objecttype": Schema.text, "object": Schema.string,
                "resultaat": Schema.enumeration(["ok", "refused"]), "herkomst": Schema.text,
            ],
            optional: [
                "voor": Schema.map(Schema.string), "na": Schema.map(Schema.string), "requestId": Schema.string,
                "aantal": Schema.integer(minimum: 1),
            ])
    }
}

extension LeveringenController.Item: JSONSchemaDescribed {
    static let schemaName = "Levering"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "id": Schema.uuid, "gemeentecode": Schema.gemeentecode, "leverancier": Schema.text,
                "stroom": Schema.ref(OpenAPIDocument.stroom), "periode": Schema.periode, "periodeStart": Schema.date,
                "periodeEind": Schema.date, "doel": Schema.ref(OpenAPIDocument.leveringDoel),
                "status": Schema.ref(OpenAPIDocument.leveringStatus), "pogingen": Schema.count,
                "maxPogingen": Schema.integer(minimum: 1), "volgendePogingOp": Schema.dateTime, "aangemaaktOp": Schema.dateTime,
            ],
            optional: [
                "laatsteFoutKlasse": Schema.ref(OpenAPIDocument.foutKlasse), "laatsteFout": Schema.string,
                "gestartOp": Schema.dateTime, "afgerondOp": Schema.dateTime,
            ])
    }
}

extension LeveringenController.Poging: JSONSchemaDescribed {
    static let schemaName = "Poging"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "poging": Schema.integer(minimum: 1), "gestartOp": Schema.dateTime, "paginas": Schema.count,
                "records": Schema.count, "bytes": Schema.count,
            ],
            optional: [
                "afgerondOp": Schema.dateTime, "httpStatus": Schema.integer(minimum: 100, maximum: 599, format: "int32"),
                "foutKlasse": Schema.ref(OpenAPIDocument.foutKlasse), "ondertekening": Schema.enumeration(["kp-apis", "body", "gemengd"]),
            ])
    }
}

extension LeveringenController.HandedOverPage: JSONSchemaDescribed {
    static let schemaName = "OvergedragenPagina"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "pagina": Schema.integer(minimum: 1), "records": Schema.count, "bytes": Schema.count,
            "sha256": ["type": "string", "pattern": "^[0-9a-f]{64}$"],
        ])
    }
}

extension LeveringenController.Detail: JSONSchemaDescribed {
    static let schemaName = "LeveringMetPogingen"
    static var jsonSchema: JSONSchema {
        Schema.extending(
            LeveringenController.Item.jsonSchema,
            [
                "pogingHistorie": Schema.array(Schema.ref(LeveringenController.Poging.self)),
                "overgedragenPaginas": Schema.array(Schema.ref(LeveringenController.HandedOverPage.self)),
            ])
    }
}

extension LeveringenController.Skipped: JSONSchemaDescribed {
    static let schemaName = "OvergeslagenGemeente"
    static var jsonSchema: JSONSchema { Schema.object(["gemeentecode": Schema.string, "reden": Schema.text]) }
}

extension LeveringenController.Triggered: JSONSchemaDescribed {
    static let schemaName = "GeplandeLeveringen"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "aangemaakt": Schema.count, "bestaand": Schema.count, "periodes": Schema.array(Schema.periode),
            "overgeslagen": Schema.array(Schema.ref(LeveringenController.Skipped.self)),
        ])
    }
}

extension OpOrdeRapport.Controle: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportControle"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["code": Schema.text, "ernst": Schema.ref(OpenAPIDocument.ernst), "omschrijving": Schema.text],
            optional: ["bevindingen": Schema.count, "eenheden": Schema.count])
    }
}

extension OpOrdeRapport.Aantal: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportAantal"
    static var jsonSchema: JSONSchema { Schema.object(["waarde": Schema.string], optional: ["aantal": Schema.count]) }
}

extension OpOrdeRapport.Verdeling: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportVerdeling"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["lijst": Schema.text, "waarden": Schema.array(Schema.ref(OpOrdeRapport.Aantal.self))], optional: ["totaal": Schema.count])
    }
}

extension OpOrdeRapport.SchemaRegel: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportSchemaRegel"
    static var jsonSchema: JSONSchema { Schema.object(["regel": Schema.text], optional: ["aantal": Schema.count]) }
}

extension OpOrdeRapport.Voorstel: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportVoorstel"
    static var jsonSchema: JSONSchema {
        Schema.object(["waarde": Schema.text, "regel": Schema.text], optional: ["tekst": Schema.string, "aantal": Schema.count])
    }
}

extension OpOrdeRapport.Suggesties: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapportSuggesties"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["lijst": Schema.text, "voorstellen": Schema.array(Schema.ref(OpOrdeRapport.Voorstel.self))],
            optional: ["ongeldig": Schema.count, "nietGelezen": Schema.count])
    }
}

extension SchemaOvertreding: JSONSchemaDescribed {
    static let schemaName = "SchemaOvertreding"
    static var jsonSchema: JSONSchema {
        Schema.object(["pagina": Schema.integer(minimum: 1), "pointer": Schema.string, "regel": Schema.text])
    }
}

extension OpOrdeRapport: JSONSchemaDescribed {
    static let schemaName = "OpOrdeRapport"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "levering": Schema.ref(LeveringenController.Item.self), "poging": Schema.integer(minimum: 1),
                "gemaaktOp": Schema.dateTime, "modelVersie": Schema.text, "oordeel": Schema.ref(OpenAPIDocument.oordeel),
                "drempel": Schema.share, "controles": Schema.array(Schema.ref(Controle.self)),
                "schemaRegels": Schema.array(Schema.ref(SchemaRegel.self)), "verdelingen": Schema.array(Schema.ref(Verdeling.self)),
                "volumePerMaand": Schema.array(Schema.ref(Aantal.self)), "tabelversie": Schema.integer(minimum: 0),
                "suggesties": Schema.array(Schema.ref(Suggesties.self)), "kleineAantallenOnderdrukt": Schema.boolean,
                "ondertekening": Schema.array(Schema.enumeration(["kp-apis", "body"])),
                "schemaOvertredingen": Schema.array(Schema.ref(SchemaOvertreding.self)),
            ],
            optional: [
                "records": Schema.count, "zaken": Schema.count, "eenheden": Schema.count, "eenhedenMetFouten": Schema.count,
                "eenhedenMetWaarschuwingen": Schema.count, "foutaandeel": Schema.share,
                "schemaBeleid": Schema.ref(OpenAPIDocument.schemaBeleid), "schemaOvertredingenTotaal": Schema.count,
            ],
            description: "Counts only; for anyone but the project team counts from 1 to 4 are left out (kleineAantallenOnderdrukt).")
    }
}

extension DatakwaliteitController.TrendItem: JSONSchemaDescribed {
    static let schemaName = "DatakwaliteitLevering"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "levering": Schema.uuid, "leverancier": Schema.text, "stroom": Schema.ref(OpenAPIDocument.stroom),
                "periode": Schema.periode, "doel": Schema.ref(OpenAPIDocument.leveringDoel),
                "status": Schema.ref(OpenAPIDocument.leveringStatus), "oordeel": Schema.ref(OpenAPIDocument.oordeel),
                "gemaaktOp": Schema.dateTime,
            ], optional: ["eenheden": Schema.count, "eenhedenMetFouten": Schema.count, "foutaandeel": Schema.share])
    }
}

extension DatakwaliteitController.Trend: JSONSchemaDescribed {
    static let schemaName = "Datakwaliteit"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "gemeentecode": Schema.gemeentecode, "leveringen": Schema.array(Schema.ref(DatakwaliteitController.TrendItem.self)),
            "kleineAantallenOnderdrukt": Schema.boolean,
        ])
    }
}

extension DatakwaliteitController.StandardisedItem: JSONSchemaDescribed {
    static let schemaName = "Standaardisatie"
    static var jsonSchema: JSONSchema { Schema.object(["tekst": Schema.string, "waarde": Schema.text, "regel": Schema.text]) }
}

extension DatakwaliteitController.Standardised: JSONSchemaDescribed {
    static let schemaName = "Standaardisaties"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "lijst": Schema.ref(OpenAPIDocument.codelijst), "tabelversie": Schema.integer(minimum: 0),
            "resultaten": Schema.array(Schema.ref(DatakwaliteitController.StandardisedItem.self)),
        ])
    }
}

extension DatakwaliteitController.Entry: JSONSchemaDescribed {
    static let schemaName = "Vertaling"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "id": Schema.uuid, "lijst": Schema.ref(OpenAPIDocument.codelijst), "tekst": Schema.text, "sleutel": Schema.text,
            "waarde": Schema.text, "versie": Schema.integer(minimum: 1), "gewijzigdOp": Schema.dateTime, "gewijzigdDoor": Schema.text,
        ])
    }
}

extension DatakwaliteitController.Change: JSONSchemaDescribed {
    static let schemaName = "VertalingWijziging"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "versie": Schema.integer(minimum: 1), "actie": Schema.text, "tekst": Schema.text, "gewijzigdOp": Schema.dateTime,
                "gewijzigdDoor": Schema.text,
            ], optional: ["waardeVoor": Schema.string, "waardeNa": Schema.string])
    }
}

extension DatakwaliteitController.EntryDetail: JSONSchemaDescribed {
    static let schemaName = "VertalingMetWijzigingen"
    static var jsonSchema: JSONSchema {
        Schema.extending(
            DatakwaliteitController.Entry.jsonSchema, ["wijzigingen": Schema.array(Schema.ref(DatakwaliteitController.Change.self))])
    }
}

extension DatakwaliteitController.EntryList: JSONSchemaDescribed {
    static let schemaName = "Vertalingen"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "tabelversie": Schema.integer(minimum: 0), "vertalingen": Schema.array(Schema.ref(DatakwaliteitController.Entry.self)),
        ])
    }
}

extension KwaliteitBevindingen: JSONSchemaDescribed {
    static let schemaName = "Telling"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "stroom": Schema.ref(OpenAPIDocument.stroom), "modelVersie": Schema.text, "records": Schema.count, "zaken": Schema.count,
                "eenhedenMetFouten": Schema.count, "eenhedenMetWaarschuwingen": Schema.count, "bevindingen": Schema.map(Schema.count),
                "eenhedenPerControle": Schema.map(Schema.count), "schemaRegels": Schema.map(Schema.count),
                "verdelingen": Schema.map(Schema.map(Schema.count)), "volumePerMaand": Schema.map(Schema.count),
            ],
            optional: [
                "schemaOvertredingenTotaal": Schema.count, "schemaOvertredingen": Schema.array(Schema.ref(SchemaOvertreding.self)),
                "ondertekening": Schema.array(Schema.enumeration(["kp-apis", "body"])),
                "schemaBeleid": Schema.ref(OpenAPIDocument.schemaBeleid),
                "perHerkomst": Schema.map(
                    Schema.ref(HerkomstAantallen.self), keys: Schema.enumeration(Herkomst.allCases.map(\.rawValue))),
            ])
    }
}

extension HerkomstAantallen: JSONSchemaDescribed {
    static let schemaName = "HerkomstTelling"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["records": Schema.count, "zaken": Schema.count, "verdelingen": Schema.map(Schema.map(Schema.count))],
            description: "The records, zaken and distributions of the signals and zaken of one herkomst (VS).")
    }
}

extension Bevinding: JSONSchemaDescribed {
    static let schemaName = "Bevinding"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "code": Schema.text, "ernst": Schema.ref(OpenAPIDocument.ernst), "pagina": Schema.integer(minimum: 1),
                "pointer": Schema.string, "uitleg": Schema.text,
            ], optional: ["regel": Schema.string])
    }
}

extension ValidatieRapport: JSONSchemaDescribed {
    static let schemaName = "ValidatieRapport"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "vorm": Schema.enumeration(["uitwisselmodel", "pagina"]), "telling": Schema.ref(KwaliteitBevindingen.self),
            "bevindingen": Schema.array(Schema.ref(Bevinding.self)), "bevindingenTotaal": Schema.count,
        ])
    }
}

extension VoortgangReport.Fase: JSONSchemaDescribed {
    static let schemaName = "VoortgangFase"
    static var jsonSchema: JSONSchema {
        Schema.object(["fase": Schema.ref(OpenAPIDocument.gemeenteFase), "aantal": Schema.count, "bereikt": Schema.count])
    }
}

extension VoortgangReport.Groep: JSONSchemaDescribed {
    static let schemaName = "VoortgangGroep"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "naam": Schema.string, "totaal": Schema.count,
            "perFase": Schema.map(Schema.count, keys: Schema.ref(OpenAPIDocument.gemeenteFase)),
        ])
    }
}

extension VoortgangReport.Mijlpaal: JSONSchemaDescribed {
    static let schemaName = "VoortgangMijlpaal"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "fase": Schema.ref(OpenAPIDocument.gemeenteFase), "deadline": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"],
                "bereikt": Schema.count, "opTijd": Schema.count, "teLaat": Schema.count, "achterstallig": Schema.count,
            ], optional: ["maxDagenAchterstallig": Schema.count, "gemiddeldDagenAchterstallig": ["type": "number", "minimum": 0]])
    }
}

extension VoortgangReport.Dienst: JSONSchemaDescribed {
    static let schemaName = "VoortgangDienst"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "leverancier": Schema.text, "naam": Schema.string, "stroom": Schema.ref(OpenAPIDocument.stroom),
            "fase": Schema.ref(OpenAPIDocument.dienstFase), "faseSinds": Schema.dateTime, "dagenInFase": Schema.count,
        ])
    }
}

extension VoortgangReport.Reden: JSONSchemaDescribed {
    static let schemaName = "VoortgangReden"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "code": Schema.enumeration(["achterstallig", "opgeschort", "geblokkeerd", "toestemming_ingetrokken", "levering_opgegeven"]),
            "tekst": Schema.text,
        ])
    }
}

extension VoortgangReport.Aandacht: JSONSchemaDescribed {
    static let schemaName = "VoortgangAandacht"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "gemeentecode": Schema.gemeentecode, "naam": Schema.text, "provincie": Schema.string,
                "leveranciers": Schema.map(Schema.text, keys: Schema.ref(OpenAPIDocument.stroom)),
                "fase": Schema.ref(OpenAPIDocument.gemeenteFase), "redenen": Schema.array(Schema.ref(VoortgangReport.Reden.self)),
            ], optional: ["dagenAchterstallig": Schema.count])
    }
}

extension VoortgangReport.Leveringen: JSONSchemaDescribed {
    static let schemaName = "VoortgangLeveringen"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "stroom": Schema.ref(OpenAPIDocument.stroom), "periode": Schema.periode, "totaal": Schema.count,
            "perStatus": Schema.map(Schema.count, keys: Schema.ref(OpenAPIDocument.leveringStatus)),
        ])
    }
}

extension VoortgangReport: JSONSchemaDescribed {
    static let schemaName = "Voortgang"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "peildatum": Schema.date, "gemeenten": Schema.count, "perFase": Schema.array(Schema.ref(Fase.self)),
            "zijstaten": Schema.map(Schema.count, keys: Schema.ref(OpenAPIDocument.gemeenteFase)),
            "perLeverancier": Schema.array(Schema.ref(Groep.self)), "perProvincie": Schema.array(Schema.ref(Groep.self)),
            "diensten": Schema.array(Schema.ref(Dienst.self)), "planning": Schema.array(Schema.ref(Mijlpaal.self)),
            "leveringen": Schema.array(Schema.ref(Leveringen.self)), "aandacht": Schema.array(Schema.ref(Aandacht.self)),
        ])
    }
}

extension TokensController.Resource: JSONSchemaDescribed {
    static let schemaName = "Token"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "id": Schema.uuid, "rol": Schema.ref(OpenAPIDocument.rol), "omschrijving": Schema.string, "aangemaaktOp": Schema.dateTime,
                "aangemaaktDoor": Schema.text, "status": Schema.enumeration(["actief", "verlopen", "ingetrokken"]),
            ], optional: ["scope": Schema.text, "verlooptOp": Schema.dateTime, "ingetrokkenOp": Schema.dateTime],
            description: "A token as the API shows it: never its secret.")
    }
}

extension TokensController.Created: JSONSchemaDescribed {
    static let schemaName = "NieuwToken"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["id": Schema.uuid, "rol": Schema.ref(OpenAPIDocument.rol), "token": ["type": "string", "pattern": "^ddas_"]],
            optional: ["scope": Schema.text, "verlooptOp": Schema.dateTime],
            description: "A new token; `token` is its secret, in this answer only.")
    }
}
