import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The simulator's own endpoints under `{base}/_simulator`, for a supplier with an admin secret
/// (`Authorization: Bearer <secret>`):
/// - `PUT fouten`: replaces the supplier's fault rules with the JSON array in the body (204);
/// - `GET fouten`: the supplier's rules with how often each fired;
/// - `GET tellingen`: the request counts of the supplier (with `requestProfile`, the signing
///   profile of verified requests).
struct AdminController: Sendable {
    /// The service whose faults and counts these endpoints show.
    let service: LeverancierDienst
    let faults: FaultPlan
    let ledger: RequestLedger

    /// Adds the endpoints under `base` to `router`.
    func addRoutes(to router: Router<SimulatorRequestContext>, base: String) {
        router.put(RouterPath(base + "/_simulator/fouten")) { request, _ in
            try authorize(request)
            let buffer = try await request.body.collect(upTo: 1024 * 1024)
            let rules: [FaultRule]
            do {
                rules = try JSONDecoder().decode([FaultRule].self, from: Data(buffer: buffer))
            } catch {
                throw SimulatorProblem.badRequest(["the body is not a JSON array of fault rules"])
            }
            do {
                try await faults.replace(with: rules, supplier: service.name)
            } catch let error as SimulatorConfigurationError {
                throw SimulatorProblem(.unprocessableContent, code: error.code, detail: error.message)
            }
            return Response(status: .noContent)
        }
        router.get(RouterPath(base + "/_simulator/fouten")) { request, _ in
            try authorize(request)
            let rules = await faults.rules
            let fired = await faults.firedCounts
            let mine = zip(rules, fired).filter { $0.0.supplier == service.name }
            return try json(mine.map { FiredRule(rule: $0.0, fired: $0.1) })
        }
        router.get(RouterPath(base + "/_simulator/tellingen")) { request, _ in
            try authorize(request)
            let counts = await ledger.snapshot().counts.filter { $0.key.supplier == service.name }
            let rows = counts.map { key, count in
                Telling(
                    endpoint: key.endpoint.rawValue, gemeentecode: key.gemeentecode, page: key.page, outcome: key.outcome.description,
                    requestProfile: key.requestProfile?.rawValue, count: count)
            }
            return try json(
                rows.sorted {
                    ($0.endpoint, $0.gemeentecode ?? "", $0.page ?? 0, $0.outcome, $0.requestProfile ?? "") < (
                        $1.endpoint, $1.gemeentecode ?? "", $1.page ?? 0, $1.outcome, $1.requestProfile ?? ""
                    )
                })
        }
    }

    private func authorize(_ request: Request) throws {
        guard let secret = service.adminSecret, request.headers[.authorization] == "Bearer \(secret)" else {
            throw SimulatorProblem.unauthorized("ERROR_CODE_ACCESS_TOKEN_INVALID", detail: "The admin secret is missing or wrong.")
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    private struct FiredRule: Encodable {
        let rule: FaultRule
        let fired: Int
    }

    private struct Telling: Encodable {
        let endpoint: String
        let gemeentecode: String?
        let page: Int?
        let outcome: String
        let requestProfile: String?
        let count: Int
    }
}
