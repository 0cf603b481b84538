import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RegieDomain

/// `POST /v1/validaties`: the check of `ddas-regie valideer` as a call, for a supplier (and
/// the project team) before going live. The body is a bare `Uitwisselmodel` or a page
/// `{gegevens, paginering}`, up to the page limit; the answer is the ``ValidatieRapport``:
/// the op-orde-rapport's counts and each finding with its JSON pointer, rule code and Dutch
/// explanation. Nothing of the body is stored or logged; the audit event holds counts only.
struct ValidatieController {
    /// The newest model of each stream.
    let models: [ExchangeStroom: ExchangeModel]
    /// The schema files, for an older version asked for.
    let schemas: ExchangeSchemas
    /// The largest body, in bytes.
    let limit: Int
    /// What schema violations do to a delivery, per stream (`reject` unless the stream says `count`).
    let schemaPolicies: [String: LeveringSchedule.SchemaViolationPolicy]
    let audit: any AuditRecording
    let now: @Sendable () -> Date

    /// Who may validate: the roles of `POST /v1/validaties` in the route table.
    static var roles: Set<Role> { RouteTable.entry(.post, "/v1/validaties")?.roles ?? [] }
    /// The query parameters.
    static let parameters: Set<String> = ["stroom", "versie", "periode", "gemeente"]

    func addRoutes(to routes: APIRoutes) {
        routes.on("/v1/validaties", method: .post, use: validate)
    }

    @Sendable func validate(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var check = FieldCheck(code: "invalid-parameters")
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let key = String(name)
            if Self.parameters.contains(key) {
                values[key] = String(value)
            } else {
                check.add(key, "is not a parameter of this resource; known: " + Self.parameters.sorted().joined(separator: ", "))
            }
        }
        let stream = ExchangeStroom(rawValue: values["stroom"] ?? "VS")
        if stream == nil { check.add("stroom", "must be VS or SHV") }
        var model = stream.flatMap { models[$0] }
        if let stream, let text = values["versie"] {
            if let version = ExchangeModelVersion(text), (try? schemas.versions(of: stream).contains(version)) == true {
                if version != model?.version { model = try? schemas.model(stream, version: version) }
            } else {
                check.add("versie", "must be a version of the \(stream.key) model the service has")
            }
        }
        let period = values["periode"].map { Rapportageperiode(key: $0) }
        if case .some(nil) = period { check.add("periode", "must be a period such as 2026-Q1, 2026-03 or 2026-H1") }
        let gemeente = values["gemeente"].map { ExchangeGemeentecode($0) }
        if case .some(nil) = gemeente { check.add("gemeente", "must be a gemeentecode such as GM0363") }
        try check.finish()
        guard let model else {
            throw Problem(.serviceUnavailable, code: "model-unavailable", detail: "The exchange model cannot be loaded.")
        }
        let bytes = try await Self.body(of: request, limit: limit)
        let today = KalenderDag.containing(now(), in: TimeZone(identifier: "Europe/Amsterdam") ?? .current).description
        let documentCheck = ExchangeDocumentCheck(
            model: model, periode: period.flatMap { $0 }.map { ($0.firstDay.description, $0.lastDay.description) },
            gemeenten: gemeente.flatMap { $0 }.map { [$0] }, today: today)
        var rapport: ValidatieRapport
        switch documentCheck.check(bytes) {
        case .success(let value):
            rapport = value
            rapport.telling.schemaBeleid = (schemaPolicies[model.stream.key] ?? .reject).rawValue
        case .failure(let error):
            throw Problem(
                .badRequest, code: "invalid-body",
                detail: "The body cannot be checked: \(Self.reason(error)). Send a Uitwisselmodel or a page {gegevens, paginering}.")
        }
        if let principal = context.principal {
            let counts: [String: String] = [
                "stroom": model.stream.key, "modelVersie": model.version.text, "vorm": rapport.vorm.rawValue,
                "bytes": String(bytes.count), "records": String(rapport.telling.records), "zaken": String(rapport.telling.zaken),
                "bevindingen": String(rapport.bevindingenTotaal),
                "schemaOvertredingen": String(rapport.telling.schemaOvertredingenTotaal ?? 0),
            ]
            try await audit.record(
                AuditActor.api(principal, requestID: context.requestID).event(
                    "validatie.uitgevoerd", objectType: "validatie", objectID: model.stream.key + " " + model.version.text, after: counts,
                    at: now()))
        }
        return JSONBody.response(rapport)
    }

    /// Why a body cannot be checked, without any of its content.
    static func reason(_ error: ValidatieInvoerFout) -> String {
        switch error {
        case .tooLarge: "it is larger than the page limit"
        case .notJSON(let parse): "it is not JSON (\(parse.code.rawValue) at byte \(parse.offset))"
        case .notAnObject: "it is not a JSON object"
        }
    }

    /// The body as bytes: `application/json` (415 otherwise), at most `limit` bytes (413,
    /// decided by `Content-Length` before anything is read when the client sends one).
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/json" else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", detail: "The body must be application/json.",
                headers: ["Accept-Post": "application/json"])
        }
        let tooLarge = Problem(
            .contentTooLarge, code: "content-too-large", detail: "The body is larger than \(limit) bytes, the page limit.")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw tooLarge
        }
        return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}
