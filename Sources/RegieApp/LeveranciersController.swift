import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// Suppliers and their services: `GET /v1/leveranciers[/{id}]` and the service moves
/// `POST /v1/leveranciers/{id}/diensten/{stroom}/fase-overgangen`. A `leverancier` token sees
/// and moves its own supplier only.
struct LeveranciersController {
    let onboarding: OnboardingStore

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/leveranciers", use: list)
        routes.get("/v1/leveranciers/:id", use: show)
        routes.on("/v1/leveranciers/:id/diensten/:stroom/fase-overgangen", method: .post, use: move)
    }

    struct Resource: Encodable {
        let id: String
        let naam: String
        let diensten: [Service]
        /// Gemeenten with active consent for this supplier today (detail view only).
        let gemeentenMetToestemming: [ToestemmingGever]?
    }

    struct Service: Encodable {
        let stroom: String
        let fase: String
        let faseSinds: Date
        let versie: Int
        let bewijs: [String: String]
    }

    struct ToestemmingGever: Encodable {
        let gemeentecode: String
        let stroom: String
    }

    static func resource(_ supplier: Leverancier, consenting: [ToestemmingGever]?) -> Resource {
        Resource(
            id: supplier.id, naam: supplier.naam,
            diensten: supplier.diensten.map {
                Service(stroom: $0.stroom.rawValue, fase: $0.fase, faseSinds: $0.faseSinds, versie: $0.versie, bewijs: $0.bewijs)
            },
            gemeentenMetToestemming: consenting)
    }

    /// The supplier in the path (``AccessGuard`` has decided who may act on it).
    func supplierID(_ context: RegieRequestContext) -> String {
        context.parameters.get("id") ?? ""
    }

    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let query = ListQuery(request, known: [])
        try query.finish()
        var suppliers = try await onboarding.suppliers()
        if let own = context.callerScope.leverancier {
            suppliers = suppliers.filter { $0.id == own }
        }
        let all = suppliers.map { Self.resource($0, consenting: nil) }
        return query.response("leveranciers", query.slice(all), total: all.count, request: request)
    }

    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = supplierID(context)
        guard let supplier = try await onboarding.suppliers().first(where: { $0.id == id }) else {
            throw Problem(.notFound, code: "supplier-not-found", detail: "There is no supplier \(id).")
        }
        let consenting = try await onboarding.consentingGemeenten(for: id, on: amsterdamDay(Date())).map {
            ToestemmingGever(gemeentecode: $0.0.rawValue, stroom: $0.1.rawValue)
        }
        return JSONBody.response(Self.resource(supplier, consenting: consenting))
    }

    struct MoveBody: Decodable {
        let naar: String?
        let reden: String?
        let specificatieVersie: String?
        let acceptatieDienst: String?
        let productieCertificaat: String?
        let contractreferentie: String?
    }

    @Sendable func move(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = supplierID(context)
        guard let stroom = Stroom(rawValue: context.parameters.get("stroom") ?? "") else {
            throw Problem(.notFound, code: "service-not-found", detail: "A stream is VS or SHV.")
        }
        let body = try await JSONBody.decode(MoveBody.self, from: request, context: context)
        var check = FieldCheck()
        let target = check.text(body.naar, "naar", maximum: 60)
        var evidence: [String: String] = [:]
        let reported: [(String, String?)] = [
            ("specificatieVersie", body.specificatieVersie), ("acceptatieDienst", body.acceptatieDienst),
            ("productieCertificaat", body.productieCertificaat), ("contractreferentie", body.contractreferentie),
        ]
        for (name, value) in reported {
            guard let value else { continue }
            evidence[name] = check.text(value, name, maximum: 200)
        }
        if let version = body.specificatieVersie, !version.allSatisfy({ $0.isNumber || $0 == "." }) {
            check.add("specificatieVersie", "must be a version such as 1.2")
        }
        try check.finish()
        guard let principal = context.principal, let role = WorkflowRole(rawValue: principal.role.rawValue) else {
            throw Problem.unauthorized
        }
        let reason = body.reden?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await onboarding.moveSupplierService(
            id, stroom: stroom, to: target, evidence: evidence, reason: reason?.isEmpty == true ? nil : reason, role: role,
            actor: .api(principal, requestID: context.requestID), expectedVersion: try EntityTag.expectedVersion(request))
        guard let supplier = try await onboarding.suppliers().first(where: { $0.id == id }) else {
            throw Problem(.notFound, code: "supplier-not-found", detail: "There is no supplier \(id).")
        }
        var response = JSONBody.response(Self.resource(supplier, consenting: nil))
        if let service = supplier.diensten.first(where: { $0.stroom == stroom }) {
            response.headers[.eTag] = EntityTag.header(service.versie)
        }
        return response
    }
}
