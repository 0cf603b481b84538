import HTTPTypes
import Hummingbird

/// Registers routes on a router and remembers, per path, which methods it serves, so that
/// another method on a known path is answered `405 Method Not Allowed` with an `Allow`
/// header instead of a 404.
final class APIRoutes {
    typealias Handler = @Sendable (Request, RegieRequestContext) async throws -> Response

    private let router: Router<RegieRequestContext>
    private var methodsByPath: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []

    init(router: Router<RegieRequestContext>) {
        self.router = router
    }

    /// Adds a route.
    func on(_ path: String, method: HTTPRequest.Method, use handler: @escaping Handler) {
        router.on(RouterPath(path), method: method, use: handler)
        if methodsByPath[path] == nil { order.append(path) }
        methodsByPath[path, default: []].insert(method)
    }

    func get(_ path: String, use handler: @escaping Handler) {
        on(path, method: .get, use: handler)
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
