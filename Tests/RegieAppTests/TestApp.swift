import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// The application over a fresh, migrated database with the shipped register loaded.
struct TestApp {
    let pool: PostgresPool
    let dependencies: AppDependencies
    /// `Authorization` for a projectteam token.
    let projectteam: HTTPFields

    static func make() async throws -> TestApp {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        try await PostgresGemeenteStore(pool: pool).load(
            try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)))
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger)
        let dependencies = try AppDependencies(
            pool: pool, workflows: try TestPostgres.workflows, schedule: try TestPostgres.schedule,
            readiness: DatabaseReadiness(migrator: migrator), resources: TestPostgres.resources)
        let token = try await dependencies.tokens.issue(
            role: .projectteam, scope: nil, expiresAt: nil, description: "tests", by: .commandLine)
        return TestApp(pool: pool, dependencies: dependencies, projectteam: [.authorization: "Bearer \(token.secret)"])
    }

    /// `Authorization` for a new token of `role`.
    func headers(_ role: Role, scope: String? = nil, expiresAt: Date? = nil) async throws -> HTTPFields {
        let token = try await dependencies.tokens.issue(
            role: role, scope: scope, expiresAt: expiresAt, description: "tests", by: .commandLine)
        return [.authorization: "Bearer \(token.secret)"]
    }

    func application(router: Router<RegieRequestContext>? = nil) -> some ApplicationProtocol {
        Application(router: router ?? buildRouter(dependencies), logger: TestPostgres.logger)
    }
}

/// A decoded problem+json body.
struct ProblemBody: Decodable {
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let instance: String
    let code: String
    let invalidParams: [Param]?

    struct Param: Decodable {
        let name: String
        let reason: String
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, code
        case invalidParams = "invalid-params"
    }
}

extension TestResponse {
    /// The body as a problem (nil, and a recorded issue, when it is not one), after checking the media type and that `status` matches the response.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) -> ProblemBody? {
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        guard let problem = try? JSONDecoder().decode(ProblemBody.self, from: Data(buffer: body)) else {
            Issue.record("not a problem body: \(String(buffer: body))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        #expect(problem.instance.hasPrefix("urn:uuid:"), sourceLocation: sourceLocation)
        return problem
    }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }
}

extension HTTPField.Name {
    static let apiVersion = HTTPField.Name("API-Version")!
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let allow = HTTPField.Name("Allow")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
