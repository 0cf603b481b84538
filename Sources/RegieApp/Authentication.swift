import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RegieDomain
import RegieStore

/// Looks up the caller of a request that carries `Authorization: Bearer <token>` and puts
/// it in the context. It refuses nothing itself: ``AccessGuard`` decides each route from its
/// entry in ``RouteTable``, so public routes stay public whatever header comes along.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RegieRequestContext

    let tokens: any TokenAuthenticating

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " {
            let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            context.principal = try await tokens.authenticate(secret: secret, now: Date())
            if let principal = context.principal {
                context.logger[metadataKey: "token_id"] = .string(principal.tokenID)
            }
        }
        return try await next(request, context)
    }
}

/// Resolves a token secret to its caller.
public protocol TokenAuthenticating: Sendable {
    /// The caller, or nil for an unknown, expired or revoked token.
    func authenticate(secret: String, now: Date) async throws -> Principal?
}

extension TokenStore: TokenAuthenticating {}

extension Problem {
    /// The one answer for a missing, unknown, expired or revoked token.
    static let unauthorized = Problem(
        .unauthorized, code: "unauthorized", title: "Unauthorized",
        detail: "A valid bearer token is required.", headers: ["WWW-Authenticate": "Bearer realm=\"ddas-regie\""])
}
