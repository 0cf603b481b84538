import HTTPTypes
import Hummingbird
import RegieDomain

/// Registers the routes of the API and the web pages, each only from its entry in the route
/// table (``RouteTable``): a route without an entry is a programming error and stops the
/// start. Every route with roles is decided by the ``AccessGuard`` before its handler runs.
/// Another method on a known API path is answered `405 Method Not Allowed` with `Allow`.
final class APIRoutes {
    typealias Handler = @Sendable (Request, RegieRequestContext) async throws -> Response
    /// A registered route: its entry in the table.
    typealias Route = RouteEntry

    private let router: Router<RegieRequestContext>
    private let table: [RouteEntry]
    /// Decides the routes with roles; nil for a router of public routes only.
    private let accessGuard: AccessGuard?
    private var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []
    /// Every route registered, API and web, in order.
    private(set) var registered: [RouteEntry] = []

    /// The API routes registered (what the OpenAPI contract describes).
    var routes: [RouteEntry] { registered.filter { $0.surface == .api } }

    init(router: Router<RegieRequestContext>, table: [RouteEntry] = RouteTable.entries, guard accessGuard: AccessGuard?) {
        self.router = router
        self.table = table
        self.accessGuard = accessGuard
    }

    /// Adds the route of the table's entry for `method` and `path`.
    func on(_ path: String, method: HTTPRequest.Method, use handler: @escaping Handler) {
        guard let entry = RouteTable.entry(method, path, in: table) else {
            preconditionFailure("\(method.rawValue) \(path) has no entry in the route table")
        }
        if entry.roles == nil {
            router.on(RouterPath(path), method: method, use: handler)
        } else {
            guard let accessGuard else { preconditionFailure("a route with roles needs the access guard: \(path)") }
            switch entry.surface {
            case .api:
                router.on(RouterPath(path), method: method) { request, context in
                    try await handler(request, try await accessGuard.api(entry, request: request, context: context))
                }
            case .web:
                router.on(RouterPath(path), method: method) { request, context in
                    switch try await accessGuard.web(entry, request: request, context: context) {
                    case .success(let context): return try await handler(request, context)
                    case .failure(let refusal): return refusal.response
                    }
                }
            }
        }
        if entry.surface == .api {
            if methodsByPath[path] == nil { order.append(path) }
            methodsByPath[path, default: []].insert(method)
        }
        registered.append(entry)
    }

    /// Adds a GET route.
    func get(_ path: String, use handler: @escaping Handler) {
        on(path, method: .get, use: handler)
    }

    /// Adds a POST route.
    func post(_ path: String, use handler: @escaping Handler) {
        on(path, method: .post, use: handler)
    }

    /// Answers every other common method on the known API paths with 405.
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
