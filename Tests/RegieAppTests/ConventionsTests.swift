import EmbeddedPostgres
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("API conventions")
struct ConventionsTests {
    @Test("an unknown route is a 404 problem with API-Version")
    func unknownRoute() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            for uri in ["/v1/onbekend", "/onbekend", "/v2/gemeenten"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.problem()?.code == "not-found")
                    #expect(response.headers[.apiVersion] == "1.0.0")
                }
            }
        }
        await app.pool.close()
    }

    @Test("a trailing slash is a 404, not a redirect", arguments: ["/v1/gemeenten/", "/v1/gemeenten/GM0363/", "/health/live/"])
    func trailingSlash(uri: String) async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.location] == nil)
                #expect(response.problem()?.code == "not-found")
            }
        }
        await app.pool.close()
    }

    @Test("another method on a known path is 405 with Allow", arguments: [HTTPRequest.Method.post, .put, .patch, .delete])
    func wrongMethod(method: HTTPRequest.Method) async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: method, headers: app.projectteam) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.problem()?.code == "method-not-allowed")
            }
        }
        await app.pool.close()
    }

    @Test("a client's X-Request-Id UUID is echoed and names the problem; anything else is replaced")
    func requestID() async throws {
        let app = try await TestApp.make()
        let given = "6f1c2b0e-8d4a-4f7e-9a51-3c2d1e0f9a8b"
        try await app.application().test(.router) { client in
            try await client.execute(uri: "/v1/gemeenten/GM9999", method: .get, headers: app.projectteam + [.requestID: given]) {
                response in
                #expect(response.headers[.requestID] == given)
                #expect(response.problem()?.instance == "urn:uuid:\(given)")
            }
            try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: app.projectteam + [.requestID: "<script>"]) {
                response in
                let id = response.headers[.requestID] ?? ""
                #expect(UUID(uuidString: id) != nil)
            }
        }
        await app.pool.close()
    }

    struct Proef: Decodable, Sendable {
        let naam: String
        let aantal: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "geheime details: SELECT * FROM x WHERE bsn = '123456782'" }
    }

    /// A router with the conventions and two test-only routes: one that decodes a JSON body,
    /// one that fails with an error the client must not see.
    func probeRouter() -> Router<RegieRequestContext> {
        let router = Router(context: RegieRequestContext.self)
        router.add(middleware: APIConventionsMiddleware())
        let table = [RouteEntry(.post, "/v1/proeven", roles: nil), RouteEntry(.get, "/v1/storing", roles: nil)]
        let routes = APIRoutes(router: router, table: table, guard: nil)
        routes.on("/v1/proeven", method: .post) { request, context in
            let proef = try await JSONBody.decode(Proef.self, from: request, context: context)
            return JSONBody.response(["naam": proef.naam], status: .created)
        }
        routes.get("/v1/storing") { _, _ in throw Failure() }
        routes.finish()
        return router
    }

    @Test("a body that is not application/json is 415; one that does not decode is 400 naming the field")
    func bodies() async throws {
        let app = Application(router: probeRouter(), logger: TestPostgres.logger)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/proeven", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "naam=x")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.problem()?.code == "unsupported-media-type")
            }
            try await client.execute(
                uri: "/v1/proeven", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"naam\": ")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.problem()?.code == "invalid-body")
            }
            try await client.execute(
                uri: "/v1/proeven", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"naam\": \"x\", \"aantal\": \"veel\"}")
            ) { response in
                #expect(response.status == .badRequest)
                let problem = try #require(response.problem())
                #expect(problem.invalidParams?.first?.name == "aantal")
                #expect(response.text.contains("veel") == false)
            }
            try await client.execute(
                uri: "/v1/proeven", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                body: ByteBuffer(string: "{\"naam\": \"x\", \"aantal\": 3}")
            ) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test("an unexpected error is a generic 500 problem that reveals nothing")
    func internalError() async throws {
        let app = Application(router: probeRouter(), logger: TestPostgres.logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/storing", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.problem()?.code == "internal-error")
                #expect(response.text.contains("123456782") == false)
                #expect(response.text.contains("SELECT") == false)
            }
        }
    }

    @Test(
        "a change rolled back by a deadlock, a serialization failure or a lock timeout is a 503 to try again, not a 500",
        arguments: ["40P01", "40001", "55P03"])
    func concurrentChangeIsRetryable(sqlState: String) {
        let problem = Problem.from(PostgresError(.server, sqlState: sqlState, serverMessage: "detail with a value 123456782"))
        #expect(problem.status == .serviceUnavailable && problem.code == "try-again")
        #expect(problem.headers["Retry-After"] == "1")
        #expect(problem.detail?.contains("123456782") == false)
    }

    @Test("health: live and ready answer 200 under /health and /v1/health")
    func health() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            for uri in ["/health/live", "/health/ready", "/v1/health/live", "/v1/health/ready"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.text == "{\"status\":\"UP\"}")
                }
            }
        }
        await app.pool.close()
    }

    @Test("ready is 503 while a migration is pending")
    func readyWithPendingMigration() async throws {
        let app = try await TestApp.make()
        var migrations = try MigrationSet(directory: TestPostgres.resources.migrations).migrations
        migrations.append(try Migration(fileName: "9999_later.sql", contents: Data("SELECT 1;".utf8)))
        let migrator = Migrator(pool: app.pool, migrations: try MigrationSet(migrations: migrations), logger: TestPostgres.logger)
        let dependencies = try AppDependencies(
            pool: app.pool, workflows: try TestPostgres.workflows, schedule: try TestPostgres.schedule,
            readiness: DatabaseReadiness(migrator: migrator), resources: TestPostgres.resources)
        try await app.application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.problem()?.detail?.contains("pending") == true)
            }
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        await app.pool.close()
    }

    @Test("ready is 503 while the database is down, and 200 again when it is back")
    func readyFollowsDatabase() async throws {
        let cluster = try await TestPostgres.privateCluster()
        let pool = TestPostgres.makePool(.init(connectionString: cluster.connectionString), size: 2)
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger)
        try await migrator.migrate()
        let dependencies = try AppDependencies(
            pool: pool, workflows: try TestPostgres.workflows, schedule: try TestPostgres.schedule,
            readiness: DatabaseReadiness(migrator: migrator), resources: TestPostgres.resources)
        let token = try await dependencies.tokens.issue(role: .projectteam, scope: nil, expiresAt: nil, description: "", by: .commandLine)
        let bearer: HTTPFields = [.authorization: "Bearer \(token.secret)"]
        let app = Application(router: buildRouter(dependencies), logger: TestPostgres.logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await cluster.stop()
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.problem()?.code == "not-ready")
            }
            try await client.execute(uri: "/v1/gemeenten", method: .get, headers: bearer) { response in
                // Without a database no token can be checked, and the answer says why.
                #expect(response.status == .serviceUnavailable)
                #expect(response.problem()?.code == "database-unavailable")
            }
            let restarted = TestPostgres.track(
                try await EmbeddedPostgres.start(
                    dataDirectory: cluster.dataDirectory, mode: .exclusive, options: cluster.options, logger: TestPostgres.logger))
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await restarted.stop()
        }
        await pool.close()
    }
}
