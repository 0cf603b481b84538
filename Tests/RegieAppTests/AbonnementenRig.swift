import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// The application with a fixed key for meldingen, tokens of every party, and short ways to
/// call the subscription API and count what the database holds.
struct AbonnementenRig {
    let app: TestApp
    let dependencies: AppDependencies
    let sleutel: MeldingSleutel
    let team: HTTPFields
    let amsterdam: HTTPFields
    let utrecht: HTTPFields
    let xxllnc: HTTPFields
    let bkr: HTTPFields

    /// An answer: its status, its body as JSON (empty when it is not an object) and as text.
    struct Answer {
        let status: HTTPResponse.Status
        let json: [String: Any]
        let text: String
        let headers: HTTPFields

        /// The names of the invalid parameters of a problem.
        var invalid: [String] { (json["invalid-params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        var code: String? { json["code"] as? String }
        var isProblem: Bool { headers[.contentType] == "application/problem+json" }
    }

    /// With `sleutel: false`, a service without a key for meldingen.
    static func make(sleutel withKey: Bool = true) async throws -> AbonnementenRig {
        let app = try await TestApp.make()
        var dependencies = app.dependencies
        let sleutel = try #require(MeldingSleutel(bytes: (0..<32).map { UInt8($0) }))
        dependencies.meldingSleutel = withKey ? sleutel : nil
        return AbonnementenRig(
            app: app, dependencies: dependencies, sleutel: sleutel, team: app.projectteam,
            amsterdam: try await app.headers(.gemeente, scope: "GM0363"), utrecht: try await app.headers(.gemeente, scope: "GM0344"),
            xxllnc: try await app.headers(.leverancier, scope: "xxllnc"), bkr: try await app.headers(.leverancier, scope: "bkr"))
    }

    /// Runs `body` with a client of the application.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let value = try await app.application(router: buildRouter(dependencies)).test(.router) { client in try await body(client) }
        return value
    }

    /// Calls the API with a JSON body (an object, or raw text).
    @discardableResult
    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields, json: Any? = nil,
        raw: String? = nil, extra: HTTPFields = [:]
    ) async throws -> Answer {
        var fields = headers + extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
            if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        } else if let raw {
            body = ByteBuffer(string: raw)
            if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        }
        return try await client.execute(uri: uri, method: method, headers: fields, body: body) { response in
            let text = String(buffer: response.body)
            let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Answer(status: response.status, json: json, text: text, headers: response.headers)
        }
    }

    /// Makes a subscription through the API and returns its answer's body (201 expected).
    static func subscribe(
        _ client: some TestClientProtocol, _ headers: HTTPFields, _ body: [String: Any],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let answer = try await call(client, .post, "/v1/abonnementen", headers, json: body)
        #expect(answer.status == .created, "\(answer.text)", sourceLocation: sourceLocation)
        return answer.json
    }

    /// An e-mail subscription body.
    static func email(_ soorten: [String] = ["gemeente.achterstand"], partij: String? = nil, adres: String = "meldingen@gemeente.nl")
        -> [String: Any]
    {
        var body: [String: Any] = ["kanaal": "email", "adres": adres, "soorten": soorten]
        if let partij { body["partij"] = partij }
        return body
    }

    /// The number of rows of `table` (a fixed name of this suite, never input).
    func count(_ table: String, where condition: String = "true", _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        try await app.pool.query("SELECT count(*)::int AS n FROM \(table) WHERE \(condition)", parameters).first?.decode(
            "n", as: Int.self) ?? -1
    }

    /// Every refusal counted in the audit trail so far.
    func refusals() async throws -> Int {
        try await app.pool.query("SELECT coalesce(sum(aantal), 0)::int AS n FROM audit_weigeringen").first?.decode("n", as: Int.self)
            ?? -1
    }

    /// A fingerprint of every subscription row: what "nothing changed" compares.
    func subscriptions() async throws -> [String] {
        try await app.pool.query(
            """
            SELECT id::text || partij || kanaal || adres || array_to_string(soorten, ',') || omschrijving || geheim_versie::text
                   || coalesce(opgezegd_op::text, '-') AS row
            FROM melding_abonnementen ORDER BY id
            """
        ).map { try $0.decode("row", as: String.self) }
    }

    /// The audit events of subscription `id` as the project team reads them through the API.
    func auditEvents(_ client: some TestClientProtocol, of id: String) async throws -> [[String: Any]] {
        let answer = try await Self.call(
            client, .get, "/v1/audit-gebeurtenissen?objecttype=melding_abonnement&object=\(id)", team)
        #expect(answer.status == .ok)
        return answer.json["auditGebeurtenissen"] as? [[String: Any]] ?? []
    }
}
