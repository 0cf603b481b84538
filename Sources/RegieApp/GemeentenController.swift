import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The gemeenten register: `GET /v1/gemeenten` and `GET /v1/gemeenten/{gemeentecode}`.
struct GemeentenController {
    let store: any GemeenteStore
    let onboarding: OnboardingStore
    let scopeGuard: ScopeGuard

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/gemeenten", roles: Self.readers, use: list)
        routes.get("/v1/gemeenten/:gemeentecode", roles: Self.readers, use: show)
    }

    /// A gemeente as the API shows it.
    struct Resource: Encodable {
        let gemeentecode: String
        let naam: String
        let provinciecode: String
        let provincie: String
        let arbeidsmarktregio: String
        let actief: Bool

        init(_ gemeente: Gemeente) {
            gemeentecode = gemeente.code.rawValue
            naam = gemeente.name
            provinciecode = gemeente.provinceCode
            provincie = gemeente.province
            arbeidsmarktregio = gemeente.arbeidsmarktregio
            actief = gemeente.isActive
        }
    }

    struct List: Encodable {
        let gemeenten: [Resource]
        let aantal: Int
    }

    static let listParameters: Set<String> = ["provincie"]

    /// Who may read the register. A `gemeente` token sees its own gemeente only.
    static let readers: Set<Role> = [.projectteam, .gemeente, .leverancier, .scheduler]

    /// Active gemeenten, optionally of one province (`?provincie=` by name or `PV` code,
    /// case-insensitive). An unknown parameter or province is a 400 naming it.
    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var invalid: [Problem.InvalidParam] = []
        for (name, _) in query where !Self.listParameters.contains(String(name)) {
            invalid.append(.init(name: String(name), reason: "is not a parameter of this resource; known: provincie"))
        }
        var provinceCode: String? = nil
        if let wanted = query["provincie"].map(String.init) {
            let provinces = try await store.provinces()
            if let match = provinces.first(where: {
                $0.code.caseInsensitiveCompare(wanted) == .orderedSame || $0.name.caseInsensitiveCompare(wanted) == .orderedSame
            }) {
                provinceCode = match.code
            } else {
                invalid.append(
                    .init(name: "provincie", reason: "is not a province; known: " + provinces.map(\.name).joined(separator: ", ")))
            }
        }
        guard invalid.isEmpty else {
            throw Problem(
                .badRequest, code: "invalid-parameters", title: "Invalid parameters", detail: "The query has invalid parameters.",
                invalidParams: invalid)
        }
        var gemeenten = try await store.list(provinceCode: provinceCode).map(Resource.init)
        if let principal = context.principal, principal.role == .gemeente {
            gemeenten = gemeenten.filter { $0.gemeentecode == principal.scope }
        }
        return JSONBody.response(List(gemeenten: gemeenten, aantal: gemeenten.count))
    }

    /// One gemeente by `GM0363` or `0363`.
    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let text = context.parameters.get("gemeentecode") ?? ""
        guard let code = Gemeentecode(text) else {
            throw Problem(
                .badRequest, code: "invalid-gemeentecode", title: "Invalid gemeentecode",
                detail: "A gemeentecode is GM and four digits (GM0363) or the four digits alone (0363).",
                invalidParams: [.init(name: "gemeentecode", reason: "must be GM and four digits, or four digits")])
        }
        try await scopeGuard.authorize(context, gemeente: code, action: "gemeente.read")
        guard let state = try await onboarding.status(code) else {
            throw Problem(.notFound, code: "gemeente-not-found", detail: "There is no gemeente \(code) in the register.")
        }
        var response = JSONBody.response(GemeenteDetail(state))
        response.headers[.eTag] = EntityTag.header(state.versie)
        return response
    }
}
