import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// What a caller of an allowed role sees of a list: a gemeente its own gemeente, a supplier
/// itself (and the gemeenten with consent for it); nil for both: everything.
struct CallerScope: Sendable, Hashable {
    var gemeente: Gemeentecode?
    var leverancier: String?

    /// Every object: the project team, the scheduler, admin.
    static let everything = CallerScope()
}

/// The one place that decides whether a request may reach its handler, from the route's entry
/// in ``RouteTable``: authentication (a bearer token on the API, a session on the pages), the
/// role, and the scope (DESIGN.md §2). It fails closed: a route without an entry is never
/// registered, a role the entry does not name is refused, and a scope that cannot be resolved
/// (a scoped token without its scope, a path without the parameter its scope names) is
/// refused. Every refusal of a known caller goes to the audit trail through ``Refusals``,
/// from the API and from the pages alike.
///
/// A path parameter that does not parse, or a delivery that does not exist, names no object
/// to protect: the handler answers it (400 or 404) as it does for every caller.
struct AccessGuard: Sendable {
    let refusals: Refusals
    let scopes: ScopeStore
    let sessions: WebSessionStore
    let now: @Sendable () -> Date

    /// Why a caller is refused, with the object the audit event names.
    struct Refusal: Error {
        let objectType: String
        let objectID: String
        /// The API's problem detail (English, as the API speaks).
        let detail: String
    }

    /// The decision for an authenticated caller: what it sees of the route, or why not.
    func decide(
        _ entry: RouteEntry, principal: Principal, parameters: Parameters, query: [String: String]
    ) async throws -> Result<CallerScope, Refusal> {
        guard let roles = entry.roles else { return .success(.everything) }
        guard roles.contains(principal.role) else {
            let route = "\(entry.method.rawValue) \(entry.path)"
            return .failure(
                Refusal(
                    objectType: "route", objectID: route,
                    detail: "The role \(principal.role.rawValue) may not \(entry.method.rawValue) this resource."))
        }
        let unresolvable = Refusal(
            objectType: "route", objectID: "\(entry.method.rawValue) \(entry.path)",
            detail: "The scope of this token cannot be decided for this resource.")
        let caller: CallerScope
        switch principal.role {
        case .gemeente:
            guard let code = principal.scope.flatMap(Gemeentecode.init) else { return .failure(unresolvable) }
            caller = CallerScope(gemeente: code)
        case .leverancier:
            guard let supplier = principal.scope, !supplier.isEmpty else { return .failure(unresolvable) }
            caller = CallerScope(leverancier: supplier)
        case .projectteam, .scheduler, .admin:
            return .success(.everything)
        }
        var named: String?
        if let parameter = entry.scope.parameter {
            guard let value = parameters.get(parameter) else { return .failure(unresolvable) }
            named = value
        }
        switch entry.scope {
        case .all:
            return .success(caller)
        case .gemeente:
            guard let code = named.flatMap(Gemeentecode.init) else { return .success(caller) }
            if let own = caller.gemeente {
                if own == code { return .success(caller) }
                return .failure(
                    Refusal(
                        objectType: "gemeente", objectID: code.rawValue,
                        detail: "This token is for gemeente \(own.rawValue) and may not act on \(code.rawValue)."))
            }
            if let supplier = caller.leverancier,
                try await scopes.hasActiveToestemming(gemeente: code, leverancier: supplier, on: amsterdamDay(now()))
            {
                return .success(caller)
            }
            return .failure(
                Refusal(
                    objectType: "gemeente", objectID: code.rawValue,
                    detail: "This token is for supplier \(caller.leverancier ?? "?") and may not act on \(code.rawValue)."))
        case .leverancier:
            let id = named ?? ""
            if let supplier = caller.leverancier, supplier == id { return .success(caller) }
            return .failure(
                Refusal(
                    objectType: "leverancier", objectID: String(id.prefix(60)),
                    detail:
                        "This token is for supplier \(caller.leverancier ?? principal.scope ?? "?") and may not act on \(id.prefix(60))."))
        case .levering:
            guard let id = named.flatMap(UUID.init(uuidString:)), let owner = try await scopes.leveringOwner(id) else {
                return .success(caller)
            }
            if caller.gemeente?.rawValue == owner.gemeente || caller.leverancier == owner.leverancier { return .success(caller) }
            return .failure(
                Refusal(
                    objectType: "levering", objectID: id.uuidString.lowercased(), detail: "This delivery is outside the token's scope."))
        case .leveringenLijst:
            if let own = caller.gemeente, let asked = query["gemeente"].flatMap(Gemeentecode.init), asked != own {
                return .failure(
                    Refusal(objectType: "gemeente", objectID: asked.rawValue, detail: "This token is for gemeente \(own.rawValue)."))
            }
            if let own = caller.leverancier, let asked = query["leverancier"], !asked.isEmpty, asked != own {
                return .failure(
                    Refusal(objectType: "leverancier", objectID: String(asked.prefix(60)), detail: "This token is for supplier \(own)."))
            }
            return .success(caller)
        }
    }

    /// An API request: the context its handler gets, or the 401/403 problem (a 403 audited).
    func api(_ entry: RouteEntry, request: Request, context: RegieRequestContext) async throws -> RegieRequestContext {
        guard entry.roles != nil else { return context }
        guard let principal = context.principal else { throw Problem.unauthorized }
        switch try await decide(entry, principal: principal, parameters: context.parameters, query: Self.query(request)) {
        case .success(let caller):
            var context = context
            context.callerScope = caller
            return context
        case .failure(let refusal):
            let action = refusal.objectType == "route" ? refusal.objectID : entry.action
            try await refusals.forbid(
                principal, context: context, action: action, objectType: refusal.objectType, objectID: refusal.objectID,
                detail: refusal.detail)
        }
    }

    /// A page: the context its handler gets (with the visitor), or the answer instead: the
    /// sign-in page without a session, the 403 page (audited) for another role or scope.
    /// The pages never take a bearer token.
    func web(_ entry: RouteEntry, request: Request, context: RegieRequestContext) async throws -> Result<RegieRequestContext, WebRefusal> {
        guard entry.roles != nil else { return .success(context) }
        guard let id = WebSession.sessionID(in: request), let principal = try await sessions.resume(id, now: now()) else {
            return .failure(WebRefusal(WebController.redirect("/aanmelden")))
        }
        let visitor = WebVisitor(principal: principal, sessionID: id)
        switch try await decide(entry, principal: principal, parameters: context.parameters, query: Self.query(request)) {
        case .success(let caller):
            var context = context
            context.callerScope = caller
            context.visitor = visitor
            return .success(context)
        case .failure(let refusal):
            let (objectType, objectID) =
                refusal.objectType == "route" ? Self.page(entry, context: context) : (refusal.objectType, refusal.objectID)
            try await refusals.record(
                WebController.actor(visitor, context: context), action: entry.action, objectType: objectType, objectID: objectID)
            return .failure(WebRefusal(WebController.refused(visitor, status: .forbidden, text: entry.refusalText)))
        }
    }

    /// The object a refused page names: what its path names, or the page itself.
    static func page(_ entry: RouteEntry, context: RegieRequestContext) -> (String, String) {
        let named = entry.scope.parameter.flatMap { context.parameters.get($0) }
        switch entry.scope {
        case .gemeente: return ("gemeente", named.flatMap(Gemeentecode.init)?.rawValue ?? "?")
        case .leverancier: return ("leverancier", String((named ?? "?").prefix(60)))
        case .levering: return ("levering", named.flatMap(UUID.init(uuidString:))?.uuidString.lowercased() ?? "?")
        case .all, .leveringenLijst: return ("pagina", entry.path == "/" ? "/dashboard" : entry.path)
        }
    }

    /// The query parameters of a request, the first value of each name.
    static func query(_ request: Request) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where values[String(name)] == nil { values[String(name)] = String(value) }
        return values
    }
}
