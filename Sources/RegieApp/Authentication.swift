import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres
import RegieDomain
import RegieStore
import ServiceLifecycle

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

/// Listens for revoked tokens (``TokenCache/channel``) and drops them from this process's
/// ``TokenCache``, so that a token revoked in any process stops working here within a moment.
/// The cache serves only while this listens: it starts serving, empty, once the channel is
/// listened to, and stops and empties when the connection breaks (notifications sent in
/// between are lost) or this service ends.
struct TokenRevocationListener: Service {
    let cache: TokenCache
    /// How the service's sessions connect.
    let connection: PostgresConfiguration
    let logger: Logger

    func run() async throws {
        defer { cache.stopServing() }
        let events = try PostgresListener.events(configuration: connection, channels: [TokenCache.channel], logger: logger)
        try await cancelWhenGracefulShutdown {
            for await event in events {
                switch event {
                case .listening: cache.startServing()
                case .interrupted: cache.stopServing()
                case .notification(_, let tokenID): cache.drop(tokenID: tokenID)
                }
            }
        }
    }
}
