import HTTPTypes
import RegieDomain

/// Where a route answers: the API (bearer tokens, problem+json) or the web pages (a session
/// cookie, HTML in Dutch).
public enum RouteSurface: String, Sendable, Hashable {
    case api
    case web
}

/// Which objects a caller of a scoped role (`gemeente`, `leverancier`) reaches through a
/// route (DESIGN.md §2). Roles without a scope (the project team, the scheduler, admin)
/// reach every object of a route their role may call.
public enum RouteScope: String, Sendable, Hashable {
    /// No gemeente, supplier or delivery in the path: the route is the same for every caller
    /// of an allowed role; a list is narrowed to the caller's own (``CallerScope``).
    case all
    /// The gemeente `:gemeentecode`: a gemeente only its own; a supplier one that has active
    /// consent for it today.
    case gemeente
    /// The supplier `:id`: a supplier only itself.
    case leverancier
    /// The delivery `:id`: a gemeente only its own, a supplier only those from itself.
    case levering
    /// The list of deliveries, and the figures (`/v1/cijfers`, `/cijfers`): a gemeente may ask
    /// for its own gemeente only (`?gemeente=`), a supplier for itself only (`?leverancier=`).
    case leveringenLijst

    /// The path parameter that names the object, if the scope needs one.
    public var parameter: String? {
        switch self {
        case .gemeente: "gemeentecode"
        case .leverancier, .levering: "id"
        case .all, .leveringenLijst: nil
        }
    }
}

/// One route of the service: who may call it and what they reach. ``RouteTable`` holds every
/// route; ``APIRoutes`` registers a route only from its entry, and ``AccessGuard`` decides
/// every request from it.
public struct RouteEntry: Sendable, Hashable {
    public let method: HTTPRequest.Method
    /// The router's path, with `:name` parameters.
    public let path: String
    public let surface: RouteSurface
    /// The roles that may call the route; nil: public, without a token or session.
    public let roles: Set<Role>?
    public let scope: RouteScope
    /// The audit action of a refusal: on the API the refusal of another's object (a refused
    /// role is recorded as the route itself); on the pages every refusal.
    public let action: String
    /// The text of the web's 403 page.
    public let refusalText: String

    init(
        _ method: HTTPRequest.Method, _ path: String, _ surface: RouteSurface = .api, roles: Set<Role>?, scope: RouteScope = .all,
        action: String = "", refusalText: String = ""
    ) {
        self.method = method
        self.path = path
        self.surface = surface
        self.roles = roles
        self.scope = scope
        self.action = action
        self.refusalText = refusalText
    }
}

/// Every route of the service, API and web pages, with its roles and scope: the one place
/// that says who may do what. Routes are registered from it (``APIRoutes``), requests are
/// decided from it (``AccessGuard``), and the authorisation matrix tests are generated from it.
public enum RouteTable {
    static let everyReader: Set<Role> = [.projectteam, .scheduler, .gemeente, .leverancier]
    /// Who reads gemeenten and their data quality; the scheduler has no business with consent.
    static let gemeenteReaders: Set<Role> = [.projectteam, .gemeente, .leverancier]
    static let operators: Set<Role> = [.projectteam, .scheduler]
    /// The parties that subscribe to meldingen, each its own (the project team everyone's).
    static let meldingPartijen: Set<Role> = [.projectteam, .gemeente, .leverancier]
    static let gemeentePath = "/v1/gemeenten/:gemeentecode"

    /// Every route, API and web.
    public static let entries: [RouteEntry] = api + web

    /// The API under `/v1`, the health endpoints and `/metrics`.
    static let api: [RouteEntry] = [
        .init(.get, "/health/live", roles: nil),
        .init(.get, "/health/ready", roles: nil),
        .init(.get, "/v1/health/live", roles: nil),
        .init(.get, "/v1/health/ready", roles: nil),
        .init(.get, "/metrics", roles: nil),
        .init(.get, "/v1/openapi.json", roles: nil),
        .init(.get, "/v1/gemeenten", roles: gemeenteReaders),
        .init(.get, gemeentePath, roles: gemeenteReaders, scope: .gemeente, action: "gemeente.read"),
        .init(.post, gemeentePath + "/dpia-akkoorden", roles: [.gemeente, .projectteam], scope: .gemeente, action: "dpia.recorded"),
        .init(.get, gemeentePath + "/toestemmingen", roles: [.gemeente, .projectteam], scope: .gemeente, action: "toestemming.read"),
        .init(.post, gemeentePath + "/toestemmingen", roles: [.gemeente], scope: .gemeente, action: "toestemming.gegeven"),
        .init(
            .post, gemeentePath + "/toestemmingen/:id/intrekkingen", roles: [.gemeente], scope: .gemeente,
            action: "toestemming.ingetrokken"),
        .init(.put, gemeentePath + "/leveranciers/:stroom", roles: [.projectteam], scope: .gemeente, action: "gemeente.leverancier"),
        .init(.post, gemeentePath + "/fase-overgangen", roles: [.projectteam], scope: .gemeente, action: "gemeente.fase"),
        .init(.get, gemeentePath + "/datakwaliteit", roles: gemeenteReaders, scope: .gemeente, action: "gemeente.datakwaliteit"),
        .init(.get, "/v1/leveranciers", roles: [.projectteam, .leverancier]),
        .init(.get, "/v1/leveranciers/:id", roles: [.projectteam, .leverancier], scope: .leverancier, action: "leverancier.read"),
        .init(
            .post, "/v1/leveranciers/:id/diensten/:stroom/fase-overgangen", roles: [.projectteam, .leverancier], scope: .leverancier,
            action: "leverancier.fase"),
        .init(.get, "/v1/audit-gebeurtenissen", roles: [.projectteam]),
        .init(.get, "/v1/leveringen", roles: everyReader, scope: .leveringenLijst, action: "levering.list"),
        .init(.post, "/v1/leveringen", roles: operators),
        .init(.get, "/v1/leveringen/:id", roles: everyReader, scope: .levering, action: "levering.read"),
        .init(.post, "/v1/leveringen/:id/annuleringen", roles: operators, scope: .levering, action: "levering.annulering"),
        .init(.post, "/v1/leveringen/:id/herhalingen", roles: operators, scope: .levering, action: "levering.herhaling"),
        .init(
            .get, "/v1/leveringen/:id/op-orde-rapport", roles: [.projectteam, .gemeente, .leverancier], scope: .levering,
            action: "levering.read"),
        .init(.get, "/v1/voortgang", roles: [.projectteam]),
        .init(.get, "/v1/cijfers", roles: [.projectteam, .gemeente], scope: .leveringenLijst, action: "cijfers.read"),
        .init(.post, "/v1/standaardisaties", roles: gemeenteReaders),
        .init(.get, "/v1/vertalingen", roles: gemeenteReaders),
        .init(.post, "/v1/vertalingen", roles: [.projectteam]),
        .init(.get, "/v1/vertalingen/:id", roles: gemeenteReaders),
        .init(.delete, "/v1/vertalingen/:id", roles: [.projectteam]),
        .init(.post, "/v1/validaties", roles: [.leverancier, .projectteam]),
        .init(.get, "/v1/tokens", roles: [.admin]),
        .init(.post, "/v1/tokens", roles: [.admin]),
        .init(.get, "/v1/tokens/:id", roles: [.admin]),
        .init(.delete, "/v1/tokens/:id", roles: [.admin]),
        .init(.get, "/v1/meldingen/soorten", roles: Set(Role.allCases)),
        // Whose subscription it is, the controller decides (another party's is a 404, audited).
        .init(.get, "/v1/abonnementen", roles: meldingPartijen),
        .init(.post, "/v1/abonnementen", roles: meldingPartijen),
        .init(.get, "/v1/abonnementen/:id", roles: meldingPartijen),
        .init(.patch, "/v1/abonnementen/:id", roles: meldingPartijen),
        .init(.delete, "/v1/abonnementen/:id", roles: meldingPartijen),
        .init(.post, "/v1/abonnementen/:id/geheim", roles: meldingPartijen),
    ]

    /// The web pages and their forms.
    static let web: [RouteEntry] = [
        .init(.get, "/aanmelden", .web, roles: nil),
        .init(.post, "/aanmelden", .web, roles: nil),
        // Sign-out ends the session of the cookie, with the page's CSRF token: nothing to authorise.
        .init(.post, "/afmelden", .web, roles: nil),
        // A mail's unsubscribe link (RFC 8058): its code is the proof; no session, and no CSRF
        // token on the POST, which mail clients send from anywhere (see AfmeldController).
        .init(.get, "/meldingen/afmelden/:id", .web, roles: nil),
        .init(.post, "/meldingen/afmelden/:id", .web, roles: nil),
        // The start page: the dashboard for the project team, one's own page for the others.
        .init(
            .get, "/", .web, roles: [.projectteam, .gemeente, .leverancier], action: "web.dashboard",
            refusalText: "Het dashboard is voor het projectteam."),
        .init(
            .get, "/dashboard", .web, roles: [.projectteam], action: "web.dashboard", refusalText: "Het dashboard is voor het projectteam."),
        .init(
            .get, "/gemeenten/:gemeentecode", .web, roles: [.projectteam, .gemeente], scope: .gemeente, action: "gemeente.read",
            refusalText: "Deze pagina is voor het projectteam en voor de gemeente zelf."),
        .init(
            .get, "/leveringen/:id/op-orde-rapport", .web, roles: [.projectteam, .gemeente, .leverancier], scope: .levering,
            action: "levering.read", refusalText: "Dit rapport is van een andere gemeente."),
        .init(
            .get, "/cijfers", .web, roles: [.projectteam, .gemeente], scope: .leveringenLijst, action: "cijfers.read",
            refusalText: "De cijfers zijn voor het projectteam en voor de gemeenten, elk de eigen gemeente."),
        .init(
            .get, "/leveranciers/:id", .web, roles: [.projectteam, .leverancier], scope: .leverancier, action: "leverancier.read",
            refusalText: "Deze pagina is voor het projectteam en voor de leverancier zelf."),
        .init(
            .post, "/gemeenten/:gemeentecode/dpia-akkoord", .web, roles: [.gemeente], scope: .gemeente, action: "gemeente.formulier",
            refusalText: "Alleen de gemeente zelf vult deze formulieren in."),
        .init(
            .post, "/gemeenten/:gemeentecode/toestemming", .web, roles: [.gemeente], scope: .gemeente, action: "gemeente.formulier",
            refusalText: "Alleen de gemeente zelf vult deze formulieren in."),
        .init(
            .get, "/gemeenten/:gemeentecode/toestemmingen/:id/intrekken", .web, roles: [.gemeente], scope: .gemeente,
            action: "gemeente.formulier", refusalText: "Alleen de gemeente zelf trekt haar toestemming in."),
        .init(
            .post, "/gemeenten/:gemeentecode/toestemmingen/:id/intrekken", .web, roles: [.gemeente], scope: .gemeente,
            action: "gemeente.formulier", refusalText: "Alleen de gemeente zelf vult deze formulieren in."),
    ]

    /// The roles of the API route that the OpenAPI document writes as `method` (lower case)
    /// and `path` (`{name}` parameters), as the served contract states them; nil for a public
    /// route, and for an operation the table lacks (which the contract test refuses).
    static func roles(openAPI method: String, _ path: String) -> Set<Role>? {
        let routerPath = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        return api.first { $0.method.rawValue.lowercased() == method && $0.path == routerPath }?.roles
    }

    /// The entry of a route, if it has one.
    public static func entry(_ method: HTTPRequest.Method, _ path: String, in table: [RouteEntry] = entries) -> RouteEntry? {
        table.first { $0.method == method && $0.path == path }
    }
}

/// Who calls a route in the authorisation matrix.
public enum RouteCaller: Hashable, Sendable {
    /// No token, no session.
    case anonymous
    /// A bearer token or a session id that the service does not know.
    case unknown
    /// A valid token (or its session) of a role, scoped to its own gemeente or supplier.
    case role(Role)
}

/// What a route's entry promises a caller.
public enum RouteAnswer: String, Sendable {
    /// The guard lets the request through; the handler answers (never 401, nor a 403 of the guard).
    case handled
    /// The API's 401 problem.
    case unauthorized
    /// A 403, audited: the API's problem, the web's page.
    case forbidden
    /// The web's redirect (303) to the sign-in page.
    case signIn
}

extension RouteEntry {
    /// What the table promises `caller` on this route, in the caller's own scope.
    public func answer(for caller: RouteCaller) -> RouteAnswer {
        guard let roles else { return .handled }
        switch caller {
        case .anonymous, .unknown: return surface == .api ? .unauthorized : .signIn
        case .role(let role): return roles.contains(role) ? .handled : .forbidden
        }
    }

    /// What the table promises `role` on another gemeente's, supplier's or delivery's object
    /// of this route (a gemeente without consent for the supplier); nil where the route names
    /// no object of another scope for this role.
    public func answerInAnotherScope(for role: Role) -> RouteAnswer? {
        guard role.isScoped, roles?.contains(role) == true, scope != .all else { return nil }
        return .forbidden
    }
}
