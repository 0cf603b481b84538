import Foundation
import NIOHTTP1
import RegieDomain
import Testing

/// Every integer query parameter of every operation in the service's own `/v1/openapi.json`,
/// at its edges and past them, for every role and without a token, against a real process:
/// inside the declared bounds a role that may call the operation gets its page, outside them
/// a 400; a role that may not gets 403, no token 401; and the process lives through all of it.
enum EdgesScenario {
    /// One integer parameter of one operation, with its declared bounds.
    struct Parameter {
        let path: String
        let name: String
        let minimum: Int
        let maximum: Int
        let roles: Set<Role>
    }

    static func parameters(_ document: [String: Any]) -> [Parameter] {
        var found: [Parameter] = []
        for (path, methods) in (document["paths"] as? [String: [String: Any]]) ?? [:] {
            guard let operation = methods["get"] as? [String: Any] else { continue }
            let roles = Set((operation["x-roles"] as? [String] ?? []).compactMap(Role.init(rawValue:)))
            for parameter in operation["parameters"] as? [[String: Any]] ?? [] {
                guard parameter["in"] as? String == "query", let schema = parameter["schema"] as? [String: Any],
                    schema["type"] as? String == "integer", let name = parameter["name"] as? String
                else { continue }
                found.append(
                    Parameter(
                        path: path, name: name, minimum: schema["minimum"] as? Int ?? Int.min,
                        maximum: schema["maximum"] as? Int ?? Int.max,
                        roles: roles))
            }
        }
        return found.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
    }

    /// The values tried: the edges, one past each, the ends of 64 bits and a number past them.
    static func values(_ parameter: Parameter) -> [(text: String, inside: Bool)] {
        var values: [(String, Bool)] = [("0", false), ("-1", false), ("1", true)]
        values.append((String(parameter.maximum), true))
        values.append((String(parameter.maximum.addingReportingOverflow(1).partialValue), false))
        values.append((String(Int64.max), false))
        values.append((String(Int64.min), false))
        values.append(("100000000000000000000", false))
        return values.map { text, inside in (text, inside && parameter.minimum <= 1) }
    }

    static func run() async throws {
        try await APIRig.with("edges") { api in
            let documentAnswer = try await HTTP.get("\(api.service.base)/v1/openapi.json")
            let parameters = parameters(try #require(documentAnswer.object))
            #expect(parameters.count >= 12, "\(parameters.map { "\($0.path) \($0.name)" })")
            #expect(parameters.allSatisfy { $0.minimum == 1 && $0.maximum < Int.max }, "every integer parameter declares its bounds")
            var sent = 0
            var failures: [String] = []
            for parameter in parameters {
                let path = parameter.path.replacingOccurrences(of: "{gemeentecode}", with: api.own)
                for (value, inside) in values(parameter) {
                    for role in [nil] + Role.allCases.map(Optional.some) {
                        let answer = try await HTTP.get(
                            "\(api.service.base)\(path)?\(parameter.name)=\(value)", token: role.flatMap { api.tokens[$0] })
                        sent += 1
                        let expected: Int =
                            switch role {
                            case nil: 401
                            case let role? where !parameter.roles.contains(role): 403
                            default: inside ? 200 : 400
                            }
                        if answer.status != expected || (answer.status >= 400 && !answer.isProblem) {
                            failures.append("\(path)?\(parameter.name)=\(value) as \(role?.rawValue ?? "no token"): \(answer.status)")
                        }
                    }
                }
            }
            let alive = !api.service.process.hasExited
            #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
            #expect(alive, "the process died")
            let ready = try await HTTP.get("\(api.service.base)/health/ready")
            #expect(ready.status == 200)
            Figures.record(
                Scenario.edges,
                "\(parameters.count) integer parameters × 8 values (0, -1, 1, max, max+1, Int64.max, Int64.min, 10^20) × \(Role.allCases.count + 1) callers: \(sent) requests, \(sent - failures.count) answered as declared (200 inside the bounds, 400 outside, 403/401 for callers that may not), \(failures.count) not; process alive: \(alive)"
            )
        }
    }
}
