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

    static func make() async throws -> TestApp {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let store = PostgresGemeenteStore(pool: pool)
        try await store.load(try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)))
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger)
        return TestApp(pool: pool, dependencies: AppDependencies(gemeenten: store, readiness: DatabaseReadiness(migrator: migrator)))
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
