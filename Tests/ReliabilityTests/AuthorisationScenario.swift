import Foundation
import NIOHTTP1
import RegieApp
import RegieDomain
import RegieStore
import Testing

/// Every API route of the route table (``RouteTable``, the one the service decides from) ×
/// no token, an unknown token and every role × the caller's own scope and another's, against
/// a real process; the expected answer of each cell comes from the route's entry. The
/// service's own `/v1/openapi.json` documents the same operations with the same roles.
enum AuthorisationScenario {
    /// One API route of the table, with its path as the OpenAPI document writes it.
    struct Operation {
        let method: String
        let path: String
        let roles: Set<Role>?
        let entry: RouteEntry
    }

    /// The table's API routes.
    static func operations() -> [Operation] {
        RouteTable.entries.filter { $0.surface == .api }.map { entry in
            let path = entry.path.split(separator: "/", omittingEmptySubsequences: false).map {
                $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
            }.joined(separator: "/")
            return Operation(method: entry.method.rawValue.lowercased(), path: path, roles: entry.roles, entry: entry)
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// The operations of a served OpenAPI document, as `method path` with their `x-roles` (nil: public).
    static func documented(_ document: [String: Any]) -> [String: Set<Role>?] {
        var operations: [String: Set<Role>?] = [:]
        for (path, methods) in (document["paths"] as? [String: [String: Any]]) ?? [:] {
            for (method, entry) in methods {
                guard let entry = entry as? [String: Any] else { continue }
                let security = entry["security"] as? [Any] ?? []
                let roles = (entry["x-roles"] as? [String] ?? []).compactMap(Role.init(rawValue:))
                operations["\(method) \(path)"] = security.isEmpty ? nil : Set(roles)
            }
        }
        return operations
    }

    /// The values of a path's parameters for one scope.
    struct Scope {
        let gemeente: String
        let leverancier: String
        let levering: String
        let toestemming: String
    }

    static func fill(_ path: String, _ scope: Scope, tokenID: String) -> String {
        var filled = path.replacingOccurrences(of: "{gemeentecode}", with: scope.gemeente).replacingOccurrences(of: "{stroom}", with: "VS")
        let id: String
        if path.hasPrefix("/v1/leveringen/") {
            id = scope.levering
        } else if path.hasPrefix("/v1/leveranciers/") {
            id = scope.leverancier
        } else if path.hasPrefix("/v1/tokens/") {
            id = tokenID
        } else if path.contains("/toestemmingen/") {
            id = scope.toestemming
        } else {
            id = UUID().uuidString.lowercased()
        }
        filled = filled.replacingOccurrences(of: "{id}", with: id)
        return filled
    }

    /// Whether a path names a gemeente, a supplier or a delivery: where another scope must be refused.
    static func isScoped(_ path: String) -> Bool {
        path.contains("{gemeentecode}") || path.hasPrefix("/v1/leveranciers/{id}") || path.hasPrefix("/v1/leveringen/{id}")
    }

    /// An unrevoked token made for `/v1/tokens/{id}`, issued when the last one was revoked.
    static func throwawayToken(_ rig: ServiceRig) async throws -> String {
        if let id = try await rig.pool.query(
            "SELECT id FROM api_tokens WHERE description = 'throwaway' AND revoked_at IS NULL LIMIT 1"
        ).first?.decode("id", as: UUID.self) {
            return id.uuidString.lowercased()
        }
        return try await TokenStore(pool: rig.pool).issue(
            role: .scheduler, scope: nil, expiresAt: nil, description: "throwaway", by: .commandLine
        ).record.id.uuidString.lowercased()
    }

    static func run() async throws {
        try await APIRig.with("authz") { api in
            let rig = api.rig
            let documentAnswer = try await HTTP.get("\(api.service.base)/v1/openapi.json")
            let operations = operations()
            #expect(operations.count >= 20, "\(operations.count) operations")
            let documented = documented(try #require(documentAnswer.object))
            #expect(
                documented == Dictionary(uniqueKeysWithValues: operations.map { ("\($0.method) \($0.path)", $0.roles) }),
                "the served document has the table's operations and roles")
            func delivery(_ code: String) async throws -> String {
                try #require(
                    try await rig.pool.query("SELECT id FROM leveringen WHERE gemeente_code = $1", [code]).first?.decode(
                        "id", as: UUID.self)
                ).uuidString.lowercased()
            }
            func consent(_ code: String) async throws -> String {
                try #require(
                    try await rig.pool.query("SELECT id FROM toestemmingen WHERE gemeente_code = $1", [code]).first?.decode(
                        "id", as: UUID.self)
                ).uuidString.lowercased()
            }
            let own = Scope(
                gemeente: api.own, leverancier: "xxllnc", levering: try await delivery(api.own), toestemming: try await consent(api.own))
            let other = Scope(
                gemeente: api.other, leverancier: "bkr", levering: try await delivery(api.other), toestemming: try await consent(api.other))
            let otherLeveringID = other.levering

            var cells = 0
            var failures: [String] = []
            for operation in operations {
                for scopeName in ["own", "other"] {
                    let scope = scopeName == "own" ? own : other
                    let callers: [RouteCaller] = [.anonymous, .unknown] + Role.allCases.map { .role($0) }
                    for caller in callers {
                        var role: Role?
                        if case .role(let named) = caller { role = named }
                        // A token to read or revoke for /v1/tokens/{id}: never one the matrix uses.
                        let tokenID = try await throwawayToken(rig)
                        var url = api.service.base + fill(operation.path, scope, tokenID: tokenID)
                        // A scoped caller asks the list of deliveries for the scope's gemeente or supplier.
                        if operation.entry.scope == .leveringenLijst && role == .gemeente { url += "?gemeente=\(scope.gemeente)" }
                        if operation.entry.scope == .leveringenLijst && role == .leverancier { url += "?leverancier=\(scope.leverancier)" }
                        let method = HTTPMethod(rawValue: operation.method.uppercased())
                        let body: [UInt8]? = ["post", "put", "patch"].contains(operation.method) ? Array("{}".utf8) : nil
                        let token =
                            caller == .unknown ? TokenStore.prefix + String(repeating: "A", count: 43) : role.flatMap { api.tokens[$0] }
                        let answer = try await HTTP.send(method, url, token: token, body: body)
                        cells += 1
                        let cell = "\(caller) \(scopeName) \(operation.method.uppercased()) \(operation.path): \(answer.status)"
                        if answer.status >= 400 && answer.status < 500 && !answer.isProblem { failures.append("\(cell) not problem+json") }
                        if answer.status >= 500 { failures.append("\(cell) server error") }
                        let expected =
                            scopeName == "other"
                            ? role.flatMap { operation.entry.answerInAnotherScope(for: $0) } ?? operation.entry.answer(for: caller)
                            : operation.entry.answer(for: caller)
                        switch expected {
                        case .unauthorized, .signIn:
                            if answer.status != 401 { failures.append("\(cell), expected 401") }
                        case .forbidden:
                            if answer.status != 403 { failures.append("\(cell), expected 403") }
                        case .handled:
                            if answer.status == 401 || answer.status == 403 {
                                failures.append("\(cell), expected to pass authorisation")
                            }
                        }
                        guard let role, expected == .handled, operation.roles != nil else { continue }
                        // A list a scoped role may read holds nothing of another scope.
                        if role.isScoped && answer.status == 200 && operation.method == "get" && !isScoped(operation.path)
                            && (answer.text.contains(api.other) || answer.text.contains(otherLeveringID))
                        {
                            failures.append("\(cell): the answer holds another gemeente's data")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) cells failed:\n\(failures.prefix(30).joined(separator: "\n"))")
            Figures.record(
                Scenario.authorisation,
                "\(operations.count) operations of the route table × 7 callers (no token, an unknown token, \(Role.allCases.map(\.rawValue).joined(separator: ", "))) × own/other scope: \(cells) cells checked, \(failures.count) failures"
            )
        }
    }
}
