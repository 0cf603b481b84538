import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// API tokens, for `admin` only: `GET|POST /v1/tokens`, `GET|DELETE /v1/tokens/{id}`.
/// The secret of a new token is in the `201` answer and nowhere else, ever.
struct TokensController {
    let tokens: TokenStore
    let gemeenten: any GemeenteStore
    let leveranciers: LeverancierRegister

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/tokens", use: list)
        routes.on("/v1/tokens", method: .post, use: create)
        routes.get("/v1/tokens/:id", use: show)
        routes.on("/v1/tokens/:id", method: .delete, use: revoke)
    }

    /// A token as the API shows it (never its secret).
    struct Resource: Encodable {
        let id: String
        let rol: String
        let scope: String?
        let omschrijving: String
        let aangemaaktOp: Date
        let aangemaaktDoor: String
        let verlooptOp: Date?
        let ingetrokkenOp: Date?
        let status: String

        init(_ record: TokenRecord, now: Date) {
            id = record.id.uuidString.lowercased()
            rol = record.role.rawValue
            scope = record.scope
            omschrijving = record.description
            aangemaaktOp = record.createdAt
            aangemaaktDoor = record.createdBy
            verlooptOp = record.expiresAt
            ingetrokkenOp = record.revokedAt
            status = record.revokedAt != nil ? "ingetrokken" : (record.expiresAt.map { $0 <= now } ?? false) ? "verlopen" : "actief"
        }
    }

    struct Created: Encodable {
        let id: String
        let rol: String
        let scope: String?
        let verlooptOp: Date?
        /// The secret: shown once.
        let token: String
    }

    struct CreateRequest: Decodable {
        let rol: String?
        let scope: String?
        let geldigheidInDagen: Int?
        let omschrijving: String?
    }

    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let query = ListQuery(request, known: [])
        try query.finish()
        let now = Date()
        let all = try await tokens.list().map { Resource($0, now: now) }
        return query.response("tokens", query.slice(all), total: all.count, request: request)
    }

    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = try context.pathID(code: "invalid-token-id", what: "token")
        guard let record = try await tokens.find(id) else { throw Self.notFound }
        return JSONBody.response(Resource(record, now: Date()))
    }

    @Sendable func create(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
        let validated = try await TokenRequestValidation.validate(
            role: body.rol, scope: body.scope, days: body.geldigheidInDagen, description: body.omschrijving, gemeenten: gemeenten,
            leveranciers: leveranciers,
            names: .init(role: "rol", scope: "scope", days: "geldigheidInDagen", description: "omschrijving"))
        guard let principal = context.principal else { throw Problem.unauthorized }
        let now = Date()
        let issued = try await tokens.issue(
            role: validated.role, scope: validated.scope, expiresAt: now.addingTimeInterval(Double(validated.days) * 86_400),
            description: validated.description, by: .api(principal, requestID: context.requestID), now: now)
        let id = issued.record.id.uuidString.lowercased()
        var response = JSONBody.response(
            Created(
                id: id, rol: issued.record.role.rawValue, scope: issued.record.scope, verlooptOp: issued.record.expiresAt,
                token: issued.secret),
            status: .created)
        response.headers[.location] = "/v1/tokens/\(id)"
        return response
    }

    @Sendable func revoke(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = try context.pathID(code: "invalid-token-id", what: "token")
        guard let principal = context.principal else { throw Problem.unauthorized }
        guard try await tokens.revoke(id: id, by: .api(principal, requestID: context.requestID)) != nil else { throw Self.notFound }
        return Response(status: .noContent)
    }

    static let notFound = Problem(.notFound, code: "token-not-found", detail: "There is no token with this id.")
}

/// The checks on a new token's role, scope, lifetime and description, shared by the API
/// and the command line; every problem is reported at once.
public enum TokenRequestValidation {
    /// A valid request.
    public struct Valid: Sendable {
        public let role: Role
        public let scope: String?
        public let days: Int
        public let description: String
    }

    /// The names the caller knows the fields by (JSON fields or flags).
    public struct FieldNames: Sendable {
        let role: String
        let scope: String
        let days: String
        let description: String

        public init(role: String, scope: String, days: String, description: String) {
            self.role = role
            self.scope = scope
            self.days = days
            self.description = description
        }
    }

    /// Longest life of a token, and the default.
    public static let maximumDays = 730
    public static let defaultDays = 90

    /// Validates, or throws a 400 `Problem` listing every invalid field.
    public static func validate(
        role: String?, scope: String?, days: Int?, description: String?, gemeenten: any GemeenteStore, leveranciers: LeverancierRegister,
        names: FieldNames
    ) async throws -> Valid {
        var invalid: [Problem.InvalidParam] = []
        let parsedRole = role.flatMap(Role.init(rawValue:))
        if parsedRole == nil {
            invalid.append(.init(name: names.role, reason: "must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var normalizedScope = scope
        if let parsedRole {
            switch (parsedRole, scope) {
            case (.gemeente, let text?):
                if let code = Gemeentecode(text), try await gemeenten.find(code)?.isActive == true {
                    normalizedScope = code.rawValue
                } else {
                    invalid.append(.init(name: names.scope, reason: "must be the gemeentecode of an active gemeente"))
                }
            case (.leverancier, let text?):
                if !isSupplierID(text) {
                    invalid.append(.init(name: names.scope, reason: "must be a supplier id (lower-case letters, digits and -)"))
                } else if try await !leveranciers.exists(text) {
                    invalid.append(.init(name: names.scope, reason: "must be the id of a registered supplier"))
                }
            case (.gemeente, nil), (.leverancier, nil):
                invalid.append(.init(name: names.scope, reason: "is required for the role \(parsedRole.rawValue)"))
            case (_, .some):
                invalid.append(.init(name: names.scope, reason: "is only for the roles gemeente and leverancier"))
            default:
                break
            }
        }
        let lifetime = days ?? defaultDays
        if !(1...maximumDays).contains(lifetime) {
            invalid.append(.init(name: names.days, reason: "must be between 1 and \(maximumDays)"))
        }
        let text = description ?? ""
        if text.count > 200 {
            invalid.append(.init(name: names.description, reason: "must be at most 200 characters"))
        }
        guard invalid.isEmpty, let parsedRole else {
            throw Problem(
                .badRequest, code: "invalid-token-request", title: "Invalid token request", detail: "The request has invalid fields.",
                invalidParams: invalid)
        }
        return Valid(role: parsedRole, scope: normalizedScope, days: lifetime, description: text)
    }

    static func isSupplierID(_ text: String) -> Bool {
        (2...40).contains(text.count)
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
