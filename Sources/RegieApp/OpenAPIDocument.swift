import DDASExchange
import Foundation
import RegieDomain
import RegieStore
import Standardisation

/// The published contract: an OpenAPI 3.1 document of every operation, served at
/// `/v1/openapi.json`. The contract test holds it to the router: the same operations, the
/// same roles, and only documented status codes observed. Every answer has its schema: the
/// errors ``Problem/Body``, the successes the type that encodes them (``successBodies``).
enum OpenAPIDocument {
    /// One operation as documented.
    struct Operation {
        let method: String
        /// OpenAPI form: `/v1/gemeenten/{gemeentecode}`.
        let path: String
        let summary: String
        let responses: [Int]
        var query: [String] = []
        var body: [String: Any]? = nil
        var ifMatch = false
        /// Answers `If-None-Match` with the current ETag with a 304.
        var ifNoneMatch = false
        var idempotent = false
        /// The media type of a 200 that is not JSON.
        var produces: String? = nil

        /// Who may call it: the route table's roles (nil: public), never declared here.
        var roles: Set<Role>? { RouteTable.roles(openAPI: method, path) }
    }

    static let problemStatuses: Set<Int> = [400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 500, 503]

    /// Every operation of the API.
    static var operations: [Operation] {
        let gemeente = "/v1/gemeenten/{gemeentecode}"
        return [
            Operation(method: "get", path: "/health/live", summary: "Liveness", responses: [200]),
            Operation(
                method: "get", path: "/health/ready", summary: "Readiness: database reachable, no migration pending",
                responses: [200, 503]),
            Operation(method: "get", path: "/v1/health/live", summary: "Liveness", responses: [200]),
            Operation(method: "get", path: "/v1/health/ready", summary: "Readiness", responses: [200, 503]),
            Operation(method: "get", path: "/v1/openapi.json", summary: "This document", responses: [200]),
            Operation(
                method: "get", path: "/metrics",
                summary:
                    "Metrics in the Prometheus text format: deliveries, attempts, rescues, pull durations, the queue, gemeenten per phase",
                responses: [200], produces: "text/plain; version=0.0.4"),
            Operation(
                method: "get", path: "/v1/gemeenten",
                summary:
                    "Gemeenten with phase, days in phase, overdue, suppliers and consent; Accept: text/csv gives every matching gemeente as a spreadsheet row (UTF-8 with BOM, ';')",
                responses: [200, 400, 401, 403, 503],
                query: ["provincie", "fase", "leverancier", "achterstallig", "pagina", "paginaGrootte"]),
            Operation(
                method: "get", path: "/v1/voortgang",
                summary:
                    "Where everyone stands: the funnel per phase, per supplier and per province, the supplier services, progress against the due months, the latest period's deliveries per state, and who needs attention; Accept: text/csv gives the table of all gemeenten (UTF-8 with BOM, ';')",
                responses: [200, 400, 401, 403, 503]),
            Operation(
                method: "get", path: "/v1/cijfers",
                summary:
                    "Vroegsignalering in cijfers: per period the counts of the country, a province (provincie) or a gemeente (gemeente), from the op-orde-rapport of the latest successful regular delivery or herlevering per gemeente, stream and period; exact for the project team (with the breakdown per province or gemeente), small cells suppressed (null) for a gemeente, which sees its own figures and the country's; Accept: text/csv gives the same as a table ('x' where suppressed). VS counts come in total and per herkomst side by side (perHerkomst: vroegsignaal, crisissignaal; a zaak is a crisissignaal when any signal it refers to is one); herkomst=vroegsignaal|crisissignaal gives one only (VS; absent: both). Deliveries whose op-orde-rapport predates the split count as herkomst 'onbekend' and a herkomst filter leaves them out (zonderHerkomst says how many). Small cells are suppressed with their complements across herkomsten too, so none follows from the total minus the other herkomst",
                responses: [200, 400, 401, 403, 503], query: ["stroom", "herkomst", "periode", "van", "tot", "gemeente", "provincie"]),
            Operation(
                method: "get", path: gemeente,
                summary:
                    "One gemeente with its records and its latest history (the whole history: geschiedenisVolledig); ETag, and If-None-Match with the current one is 304",
                responses: [200, 304, 400, 401, 403, 404, 503], ifNoneMatch: true),
            Operation(
                method: "post", path: gemeente + "/dpia-akkoorden", summary: "Record the DPIA sign-off",
                responses: [201, 400, 401, 403, 404, 409, 412, 415, 422, 503],
                body: object(["besluitdatum": date, "goedkeurendeRol": text, "documentreferentie": text, "documentSha256": sha256]),
                ifMatch: true,
                idempotent: true),
            Operation(
                method: "get", path: gemeente + "/toestemmingen", summary: "Consent records",
                responses: [200, 400, 401, 403, 404, 503], query: ["pagina", "paginaGrootte"]),
            Operation(
                method: "post", path: gemeente + "/toestemmingen",
                summary:
                    "Give consent to the current supplier for one or more streams; the answer is the gemeente with only the new records in toestemmingen",
                responses: [201, 400, 401, 403, 404, 409, 412, 415, 422, 503],
                body: object(
                    [
                        "leverancier": text, "stromen": ["type": "array", "items": Schema.ref(stroom), "minItems": 1],
                        "besluitdatum": date,
                        "besluitvormendOrgaan": text, "documentreferentie": text, "documentSha256": sha256, "geldigVan": date,
                        "geldigTot": date,
                    ], optional: ["geldigTot"]), ifMatch: true, idempotent: true),
            Operation(
                method: "post", path: gemeente + "/toestemmingen/{id}/intrekkingen",
                summary: "Revoke a consent record; the answer is the gemeente with only the revoked record in toestemmingen",
                responses: [201, 400, 401, 403, 404, 409, 412, 415, 422, 503], body: object(["reden": text]), ifMatch: true,
                idempotent: true),
            Operation(
                method: "put", path: gemeente + "/leveranciers/{stroom}", summary: "Set the gemeente's supplier for a stream",
                responses: [200, 400, 401, 403, 404, 409, 412, 415, 422, 503],
                body: object(["leverancier": text, "organisatienaam": text]), ifMatch: true, idempotent: true),
            Operation(
                method: "post", path: gemeente + "/fase-overgangen", summary: "Suspend, block, reopen or correct, with a reason",
                responses: [201, 400, 401, 403, 404, 409, 412, 415, 422, 503],
                body: object(["naar": text, "reden": text]),
                ifMatch: true, idempotent: true),
            Operation(
                method: "get", path: "/v1/leveranciers", summary: "Suppliers and their services",
                responses: [200, 400, 401, 403, 503], query: ["pagina", "paginaGrootte"]),
            Operation(
                method: "get", path: "/v1/leveranciers/{id}",
                summary: "A supplier, its services and the gemeenten with active consent for it", responses: [200, 401, 403, 404, 503]),
            Operation(
                method: "post", path: "/v1/leveranciers/{id}/diensten/{stroom}/fase-overgangen",
                summary: "A supplier reports its own steps; the project team confirms FSC steps",
                responses: [200, 400, 401, 403, 404, 409, 412, 415, 422, 503],
                body: object(
                    [
                        "naar": text, "reden": text, "specificatieVersie": text, "acceptatieDienst": text, "productieCertificaat": text,
                        "contractreferentie": text,
                    ], optional: ["reden", "specificatieVersie", "acceptatieDienst", "productieCertificaat", "contractreferentie"]),
                ifMatch: true, idempotent: true),
            Operation(
                method: "get", path: "/v1/audit-gebeurtenissen", summary: "The audit trail",
                responses: [200, 400, 401, 403, 503], query: ["objecttype", "object", "van", "tot", "pagina", "paginaGrootte"]),
            Operation(
                method: "get", path: "/v1/leveringen", summary: "Deliveries, newest first",
                responses: [200, 400, 401, 403, 503],
                query: ["gemeente", "leverancier", "stroom", "status", "periode", "doel", "pagina", "paginaGrootte"]),
            Operation(
                method: "post", path: "/v1/leveringen", summary: "Trigger deliveries, or backfill a range of past periods",
                responses: [201, 400, 401, 403, 409, 415, 422, 503],
                body: object(
                    [
                        "stroom": Schema.ref(stroom), "gemeenten": ["type": "array", "items": ["type": "string"]], "leverancier": text,
                        "fase": text,
                        "periode": text, "van": text, "tot": text, "doel": Schema.ref(leveringDoel),
                    ], optional: ["gemeenten", "leverancier", "fase", "periode", "van", "tot", "doel"]), idempotent: true),
            Operation(
                method: "get", path: "/v1/leveringen/{id}", summary: "A delivery with its attempts",
                responses: [200, 400, 401, 403, 404, 503]),
            Operation(
                method: "post", path: "/v1/leveringen/{id}/annuleringen", summary: "Cancel a queued or running delivery",
                responses: [201, 400, 401, 403, 404, 409, 415, 422, 503], body: object(["reden": text]), idempotent: true),
            Operation(
                method: "post", path: "/v1/leveringen/{id}/herhalingen", summary: "Queue a given-up delivery again",
                responses: [201, 400, 401, 403, 404, 409, 422, 503], idempotent: true),
            Operation(
                method: "get", path: "/v1/leveringen/{id}/op-orde-rapport",
                summary:
                    "The delivery's data-quality report: counts per check, code-list distributions, monthly volume, suggested official values; JSON, or HTML with Accept: text/html; counts from 1 to 4 are null except for the project team",
                responses: [200, 400, 401, 403, 404, 503]),
            Operation(
                method: "get", path: gemeente + "/datakwaliteit", summary: "The error share of the gemeente's deliveries over time",
                responses: [200, 400, 401, 403, 404, 503]),
            Operation(
                method: "post", path: "/v1/standaardisaties",
                summary:
                    "Map free texts to the official values of a code list (LEEG when blank, ONBEKEND when no rule or entry explains it)",
                responses: [200, 400, 401, 403, 413, 415, 503],
                body: object(
                    [
                        "lijst": Schema.ref(codelijst),
                        "teksten": ["type": "array", "items": ["type": "string", "maxLength": 1000], "minItems": 1, "maxItems": 10000],
                    ])),
            Operation(
                method: "post", path: "/v1/validaties",
                summary:
                    "Check an export (a Uitwisselmodel or a page {gegevens, paginering}) against the exchange model and every semantic check: the findings with JSON pointer, rule code and Dutch explanation, never a value; nothing is stored",
                responses: [200, 400, 401, 403, 413, 415, 503],
                query: ["stroom", "versie", "periode", "gemeente"], body: ["type": "object"]),
            Operation(
                method: "get", path: "/v1/vertalingen", summary: "The standardisation table the project team maintains, with its version",
                responses: [200, 400, 401, 403, 503], query: ["lijst"]),
            Operation(
                method: "post", path: "/v1/vertalingen",
                summary: "Set the official value (or ONBEKEND) of a free text in a code list; every change is versioned and audited",
                responses: [200, 201, 400, 401, 403, 415, 503],
                body: object([
                    "lijst": Schema.ref(codelijst), "tekst": ["type": "string", "minLength": 1, "maxLength": 200], "waarde": text,
                ])),
            Operation(
                method: "get", path: "/v1/vertalingen/{id}", summary: "An entry of the table with every change to it",
                responses: [200, 400, 401, 403, 404, 503]),
            Operation(
                method: "delete", path: "/v1/vertalingen/{id}", summary: "Remove an entry of the table (its history stays)",
                responses: [204, 400, 401, 403, 404, 503]),
            Operation(
                method: "get", path: "/v1/tokens", summary: "API tokens (never their secrets)",
                responses: [200, 400, 401, 403, 503],
                query: ["pagina", "paginaGrootte"]),
            Operation(
                method: "post", path: "/v1/tokens", summary: "Create a token; its secret is in this answer only",
                responses: [201, 400, 401, 403, 409, 415, 422, 503],
                body: object(
                    [
                        "rol": Schema.ref(rol), "scope": text,
                        "geldigheidInDagen": ["type": "integer", "minimum": 1, "maximum": 730], "omschrijving": text,
                    ],
                    optional: ["scope", "geldigheidInDagen", "omschrijving"]), idempotent: true),
            Operation(
                method: "get", path: "/v1/tokens/{id}", summary: "A token", responses: [200, 400, 401, 403, 404, 503]),
            Operation(
                method: "delete", path: "/v1/tokens/{id}", summary: "Revoke a token at once",
                responses: [204, 400, 401, 403, 404, 503]),
        ] + AbonnementenController.operations
    }

    static var text: [String: Any] { ["type": "string", "minLength": 1] }
    static var date: [String: Any] { ["type": "string", "format": "date"] }
    static var sha256: [String: Any] { ["type": "string", "pattern": "^[0-9a-fA-F]{64}$"] }

    static func object(_ properties: [String: [String: Any]], optional: Set<String> = []) -> [String: Any] {
        [
            "type": "object", "properties": properties, "required": properties.keys.filter { !optional.contains($0) }.sorted(),
            "additionalProperties": false,
        ]
    }

    /// The document as JSON. With `workflows`, the phases are enumerated as they load.
    static func json(workflows: Workflows? = nil) -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = [
                "summary": operation.summary,
                "operationId": operation.method
                    + operation.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "")
                    .replacingOccurrences(of: "}", with: "").replacingOccurrences(of: ".", with: "_").replacingOccurrences(
                        of: "-", with: "_"),
                "x-roles": operation.roles.map {
                    $0.map(\.rawValue).sorted()
                } ?? [],
                "security": operation.roles == nil
                    ? [] : [["bearer": []]],
                "responses": Dictionary(uniqueKeysWithValues: operation.responses.map { code in (String(code), response(code)) }),
            ]
            var parameters: [[String: Any]] = pathParameters(operation.path).map {
                ["name": $0, "in": "path", "required": true, "schema": parameterSchema($0, path: operation.path)]
            }
            parameters += operation.query.map {
                ["name": $0, "in": "query", "required": false, "schema": parameterSchema($0, path: operation.path)]
            }
            if operation.ifMatch {
                parameters.append(["name": "If-Match", "in": "header", "required": false, "schema": ["type": "string"]])
            }
            if operation.ifNoneMatch {
                parameters.append(["name": "If-None-Match", "in": "header", "required": false, "schema": ["type": "string"]])
            }
            if operation.idempotent {
                parameters.append([
                    "name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string", "maxLength": 200],
                ])
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if var responses = entry["responses"] as? [String: Any] {
                let success = operation.responses.filter { $0 < 300 && $0 != 204 }
                let content: [String: JSONSchema]? =
                    operation.produces.map { [$0: Schema.string] } ?? successBodies["\(operation.method) \(operation.path)"]
                for code in success {
                    guard var answer = responses[String(code)] as? [String: Any], let content else { continue }
                    answer["content"] = content.mapValues { ["schema": $0] }
                    responses[String(code)] = answer
                }
                entry["responses"] = responses
            }
            if let body = operation.body {
                entry["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
            }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "ddas-regie", "version": APIConventionsMiddleware.apiVersion,
                "description": "Onboarding and deliveries of DDAS (Data Delen Armoede en Schulden). Roles per operation in x-roles.",
                "contact": ["name": "DDAS projectteam", "url": "https://www.divosa.nl"],
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "webhooks": MeldingWebhook.openAPI,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "A ddas-regie API token (ddas_…)"]],
                "schemas": schemas(workflows: workflows),
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func response(_ code: Int) -> [String: Any] {
        let description = HTTPStatusText.phrase(code)
        var headers: [String: Any] = ["API-Version": ["schema": ["type": "string"]]]
        if code == 401 { headers["WWW-Authenticate"] = ["schema": ["type": "string"]] }
        guard problemStatuses.contains(code) else {
            // The content of a success is set from `successBodies`.
            return ["description": description, "headers": headers]
        }
        return [
            "description": description, "headers": headers,
            "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
        ]
    }

    /// The form of a parameter, as the handlers check it.
    static func parameterSchema(_ name: String, path: String) -> [String: Any] {
        switch name {
        case "gemeentecode": ["type": "string", "pattern": "^(GM)?[0-9]{4}$"]
        case "stroom": Schema.ref(stroom)
        case "periode" where path == "/v1/cijfers", "van" where path == "/v1/cijfers", "tot" where path == "/v1/cijfers":
            ["type": "string", "pattern": "^[1-9][0-9]{3}-(0[1-9]|1[0-2]|Q[1-4]|H[12])$"]
        case "gemeente" where path == "/v1/cijfers": ["type": "string", "pattern": "^(GM)?[0-9]{4}$"]
        case "herkomst" where path == "/v1/cijfers": Schema.enumeration(Herkomst.allCases.map(\.rawValue))
        case "provincie" where path == "/v1/cijfers": ["type": "string", "minLength": 1, "maxLength": 40]
        case "lijst": Schema.ref(codelijst)
        case "status" where path == "/v1/leveringen": Schema.ref(leveringStatus)
        case "status" where path == "/v1/abonnementen": Schema.enumeration(MeldingAbonnement.Status.allCases.map(\.rawValue))
        case "doel": Schema.ref(leveringDoel)
        case "id" where path.hasPrefix("/v1/leveranciers/"): ["type": "string", "minLength": 1, "maxLength": 40]
        case "id": ["type": "string", "format": "uuid"]
        case "pagina": ["type": "integer", "format": "int32", "minimum": 1, "maximum": ListQuery.maximumPage]
        case "paginaGrootte": ["type": "integer", "format": "int32", "minimum": 1, "maximum": ListQuery.maximumPageSize]
        default: ["type": "string"]
        }
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

enum HTTPStatusText {
    static func phrase(_ code: Int) -> String {
        [
            200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found",
            405: "Method Not Allowed", 409: "Conflict", 412: "Precondition Failed", 413: "Content Too Large", 415: "Unsupported Media Type",
            422: "Unprocessable Content", 500: "Internal Server Error", 503: "Service Unavailable",
        ][code] ?? "Status \(code)"
    }
}
