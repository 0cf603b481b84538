import Foundation
import NIOHTTP1
import RegieDomain
import RegieStore
import Testing

/// Every operation of the service's own `/v1/openapi.json` × no token and every role × the
/// caller's own scope and another's, against a real process; the expected answer of each
/// cell comes from the operation's `x-roles`.
enum AuthorisationScenario {
    /// One documented operation.
    struct Operation {
        let method: String
        let path: String
        let roles: Set<Role>?
    }

    static func operations(_ document: [String: Any]) -> [Operation] {
        var operations: [Operation] = []
        for (path, methods) in (document["paths"] as? [String: [String: Any]]) ?? [:] {
            for (method, entry) in methods {
                guard let entry = entry as? [String: Any] else { continue }
                let security = entry["security"] as? [Any] ?? []
                let roles = (entry["x-roles"] as? [String] ?? []).compactMap(Role.init(rawValue:))
                operations.append(Operation(method: method, path: path, roles: security.isEmpty ? nil : Set(roles)))
            }
        }
        return operations.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
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
            let operations = operations(try #require(documentAnswer.object))
            #expect(operations.count >= 20, "\(operations.count) operations")
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
                    for role in [nil] + Role.allCases.map(Optional.some) {
                        // A token to read or revoke for /v1/tokens/{id}: never one the matrix uses.
                        let tokenID = try await throwawayToken(rig)
                        let url = api.service.base + fill(operation.path, scope, tokenID: tokenID)
                        let method = HTTPMethod(rawValue: operation.method.uppercased())
                        let body: [UInt8]? = ["post", "put", "patch"].contains(operation.method) ? Array("{}".utf8) : nil
                        let answer = try await HTTP.send(method, url, token: role.flatMap { api.tokens[$0] }, body: body)
                        cells += 1
                        let cell =
                            "\(role?.rawValue ?? "no token") \(scopeName) \(operation.method.uppercased()) \(operation.path): \(answer.status)"
                        if answer.status >= 400 && answer.status < 500 && !answer.isProblem { failures.append("\(cell) not problem+json") }
                        if answer.status >= 500 { failures.append("\(cell) server error") }
                        guard let roles = operation.roles else {
                            if answer.status == 401 || answer.status == 403 { failures.append("\(cell) on a public operation") }
                            continue
                        }
                        guard let role else {
                            if answer.status != 401 { failures.append("\(cell), expected 401") }
                            continue
                        }
                        guard roles.contains(role) else {
                            if answer.status != 403 { failures.append("\(cell), expected 403") }
                            continue
                        }
                        if scopeName == "other" && role.isScoped && isScoped(operation.path) {
                            if ![403, 404].contains(answer.status) { failures.append("\(cell), expected 403 or 404 for another's") }
                        } else if answer.status == 401 || answer.status == 403 {
                            failures.append("\(cell), expected to pass authorisation")
                        }
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
                "\(operations.count) operations × 6 callers (no token, \(Role.allCases.map(\.rawValue).joined(separator: ", "))) × own/other scope: \(cells) cells checked, \(failures.count) failures"
            )
        }
    }
}
