import HTTPTypes
import Hummingbird
import Logging
import Postgres
import RegieStore

/// Health for orchestrators: live (the process answers) and ready (the database answers
/// and no migration is pending), under `/health` for probes and `/v1/health` for clients.
struct HealthController {
    let readiness: any ReadinessCheck

    func addRoutes(to routes: APIRoutes) {
        for prefix in ["/health", "/v1/health"] {
            routes.get(prefix + "/live") { _, _ in JSONBody.response(Status(status: "UP")) }
            routes.get(prefix + "/ready", use: ready)
        }
    }

    struct Status: Encodable {
        let status: String
    }

    @Sendable func ready(_ request: Request, context: RegieRequestContext) async throws -> Response {
        if let reason = await readiness.notReadyReason(logger: context.logger) {
            throw Problem(
                .serviceUnavailable, code: "not-ready", title: "Service Unavailable", detail: reason, headers: ["Retry-After": "5"])
        }
        return JSONBody.response(Status(status: "UP"))
    }
}

/// What makes the service ready; nil when it is.
public protocol ReadinessCheck: Sendable {
    /// A sentence for the client when the service cannot serve now, else nil.
    func notReadyReason(logger: Logger) async -> String?
}

/// Ready when PostgreSQL answers and every migration file has been applied unchanged.
public struct DatabaseReadiness: ReadinessCheck {
    let migrator: Migrator

    /// Readiness over the migrator's pool and files.
    public init(migrator: Migrator) {
        self.migrator = migrator
    }

    public func notReadyReason(logger: Logger) async -> String? {
        do {
            let status = try await migrator.status()
            if !status.pending.isEmpty {
                return "\(status.pending.count) database migration(s) pending."
            }
            return nil
        } catch let error as MigrationError {
            logger.error("readiness: migrations", metadata: ["error": "\(error)"])
            return "The database schema does not match this release."
        } catch {
            logger.warning("readiness: database", metadata: ["error": "\(error)"])
            return "The database cannot be reached."
        }
    }
}
