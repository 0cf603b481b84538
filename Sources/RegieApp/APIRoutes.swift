import HTTPTypes
import Hummingbird
import RegieDomain

/// Registers routes on a router with the roles that may call each, and remembers them:
/// - a route with roles answers 401 without a valid token and 403 for another role;
/// - another method on a known path is answered `405 Method Not Allowed` with `Allow`;
/// - the table of routes and roles is what the OpenAPI contract test checks.
final class APIRoutes {
    typealias Handler = @Sendable (Request, RegieRequestContext) async throws -> Response

    /// One registered route.
    struct Route: Hashable {
        let method: HTTPRequest.Method
        let path: String
        /// nil: public.
        let roles: Set<Role>?
    }

    private let router: Router<RegieRequestContext>
    /// How a caller of another role is refused; nil for a router of public routes only.
    private let refusals: Refusals?
    private var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []
    private(set) var routes: [Route] = []

    init(router: Router<RegieRequestContext>, refusals: Refusals?) {
        self.router = router
        self.refusals = refusals
    }

    /// Adds a route that `roles` may call (nil: anyone, without a token).
    func on(_ path: String, method: HTTPRequest.Method, roles: Set<Role>?, use handler: @escaping Handler) {
        if let roles {
            guard let refusals else { preconditionFailure("a route with roles needs a way to refuse: \(path)") }
            router.on(RouterPath(path), method: method) { request, context in
                guard let principal = context.principal else { throw Problem.unauthorized }
                guard roles.contains(principal.role) else {
                    let route = "\(request.method.rawValue) \(path)"
                    try await refusals.forbid(
                        principal, context: context, action: route, objectType: "route", objectID: route,
                        detail: "The role \(principal.role.rawValue) may not \(request.method.rawValue) this resource.")
                }
                return try await handler(request, context)
            }
        } else {
            router.on(RouterPath(path), method: method, use: handler)
        }
        if methodsByPath[path] == nil { order.append(path) }
        methodsByPath[path, default: []].insert(method)
        routes.append(Route(method: method, path: path, roles: roles))
    }

    /// Adds a GET route.
    func get(_ path: String, roles: Set<Role>?, use handler: @escaping Handler) {
        on(path, method: .get, roles: roles, use: handler)
    }

    /// Answers every other common method on the known paths with 405.
    func finish() {
        let common: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
        for path in order {
            var methods = methodsByPath[path] ?? []
            if methods.contains(.get) { methods.insert(.head) }
            let allow = common.filter(methods.contains).map(\.rawValue).joined(separator: ", ")
            for method in common where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw Problem(
                        .methodNotAllowed, code: "method-not-allowed",
                        detail: "\(request.method.rawValue) is not allowed here; allowed: \(allow).", headers: ["Allow": allow])
                }
            }
        }
    }
}
