import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Postgres
import RegieApp
import RegieDomain
import RegieStore

/// The status report with history: 342 gemeenten split over both suppliers, five years of
/// monthly VS and SHV deliveries (about 41,000 at scale 1) with one to three attempts each,
/// and an audit trail of phase moves and delivery triggers; then `GET /v1/voortgang`, the
/// CSV and the dashboard over real HTTP from an in-process server, `rounds` times each, p50
/// and p99 of the time to the whole answer.
struct ReportBenchmark {
    let bench: QueueBenchmark

    /// Fills the history for `scale` × 5 years (scale 10: 50 years' worth of periods).
    func fill(scale: Int) async throws -> Int {
        let pool = bench.database.pool
        try await pool.query("TRUNCATE levering_pogingen, levering_paginas, levering_manifesten, op_orde_rapporten, leveringen")
        try await pool.query(
            """
            UPDATE gemeente_leveranciers SET leverancier_id = 'bkr' WHERE right(gemeente_code, 1) IN ('1', '4', '7');
            """)
        try await pool.query(
            "INSERT INTO leverancier_diensten (leverancier_id, stroom) VALUES ('xxllnc', 'SHV'), ('bkr', 'SHV') ON CONFLICT DO NOTHING")
        try await QueueBenchmark.grantConsent(pool)
        let months = 60 * scale
        try await pool.query(
            """
            INSERT INTO leveringen (id, gemeente_code, leverancier_id, stroom, periode, periode_start, periode_eind, doel, status,
                                    pogingen, max_pogingen, volgende_poging_op, laatste_fout_klasse, laatste_fout, aangemaakt_op,
                                    gestart_op, afgerond_op)
            SELECT gen_random_uuid(), a.gemeente_code, a.leverancier_id, s.stroom, to_char(p.start, 'YYYY-MM'), p.start::date,
                   (p.start + interval '1 month' - interval '1 day')::date, 'regulier',
                   CASE WHEN (hashtext(a.gemeente_code || p.start::text || s.stroom) & 63) = 0 THEN 'opgegeven' ELSE 'geslaagd' END,
                   1 + (abs(hashtext(a.gemeente_code || p.start::text)) % 3), 5, p.start + interval '1 month',
                   CASE WHEN (hashtext(a.gemeente_code || p.start::text || s.stroom) & 63) = 0 THEN 'signature' END,
                   CASE WHEN (hashtext(a.gemeente_code || p.start::text || s.stroom) & 63) = 0 THEN 'page 1 failed the signature check' END,
                   p.start + interval '1 month', p.start + interval '1 month' + interval '1 hour',
                   p.start + interval '1 month' + interval '2 hours'
            FROM gemeente_leveranciers a
            CROSS JOIN (VALUES ('VS'), ('SHV')) AS s(stroom)
            CROSS JOIN generate_series(date_trunc('month', now()) - ($1::int * interval '1 month'), date_trunc('month', now()) - interval '1 month',
                                       interval '1 month') AS p(start)
            WHERE a.tot IS NULL
            """, [months])
        try await pool.query(
            """
            INSERT INTO levering_pogingen (levering_id, poging, gestart_op, afgerond_op, http_status, fout_klasse, paginas, records, bytes)
            SELECT l.id, n, l.gestart_op, l.afgerond_op, CASE WHEN n < l.pogingen THEN 503 ELSE 200 END,
                   CASE WHEN n < l.pogingen THEN 'serverError' END, 2, 400, 180000
            FROM leveringen l CROSS JOIN LATERAL generate_series(1, l.pogingen) AS n
            """)
        try await pool.query("ANALYZE")
        return try await pool.query("SELECT count(*) AS n FROM leveringen").first?.decode("n", as: Int.self) ?? 0
    }

    /// The audit trail: each gemeente's phase moves and a share of manual triggers.
    func fillAudit(events: Int) async throws {
        let codes = try await bench.database.pool.query("SELECT code FROM gemeenten ORDER BY code").map {
            try $0.decode("code", as: String.self)
        }
        let log = AuditLog()
        let start = Date().addingTimeInterval(-5 * 365 * 86_400)
        try await bench.database.pool.withTransaction { connection in
            for index in 0..<events {
                let code = codes[index % codes.count]
                let moment = start.addingTimeInterval(Double(index) * 60)
                let event =
                    index < codes.count * 3
                    ? AuditActor.system.event(
                        "gemeente.fase", objectType: "gemeente", objectID: code,
                        after: ["fase": ["dpia_akkoord", "toestemming_gegeven", "api_getest"][index / codes.count]],
                        at: moment)
                    : AuditActor.commandLine.event("levering.aangevraagd", objectType: "gemeente", objectID: code, at: moment)
                _ = try await log.append(event, on: connection)
            }
        }
        // Linked now, as the service's sequencer would soon after, not by the first measured read.
        try await log.integrate(pool: bench.database.pool)
    }

    /// Times `rounds` GETs of each report route against an in-process server.
    func measure(scale: Int, deliveries: Int, rounds: Int, logger: Logger) async throws -> [BenchmarkResult] {
        let resources = try Resources.locate()
        let dependencies = try await RegieServer.prepare(
            database: bench.database, resources: resources, workflows: try Workflows.load(from: resources.workflows),
            schedule: try LeveringSchedule.load(from: resources.workflows), logger: logger)
        let token = try await dependencies.tokens.issue(
            role: .projectteam, scope: nil, expiresAt: nil, description: "benchmark", by: .commandLine)
        let session = try await dependencies.webSessions.start(
            for: Principal(tokenID: token.record.id.uuidString.lowercased(), role: .projectteam, scope: nil))
        let port = 18_000 + Int(getpid() % 1000)
        let app = Application(
            router: buildRouter(dependencies), configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let server = Task { try await app.run() }
        defer { server.cancel() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var figures: [BenchmarkResult] = []
        do {
            try await waitUntilServing(client, port: port)
            let routes: [(String, String, [(String, String)])] = [
                ("GET /v1/voortgang", "/v1/voortgang", [("Authorization", "Bearer \(token.secret)")]),
                ("GET /v1/voortgang (CSV)", "/v1/voortgang", [("Authorization", "Bearer \(token.secret)"), ("Accept", "text/csv")]),
                ("GET /v1/gemeenten (CSV)", "/v1/gemeenten", [("Authorization", "Bearer \(token.secret)"), ("Accept", "text/csv")]),
                ("GET /dashboard", "/dashboard", [("Cookie", "__Host-ddas_sessie=\(session)")]),
            ]
            let change = try await ConsentToggle.start(dependencies: dependencies, pool: bench.database.pool, client: client, port: port)
            for (name, path, headers) in routes {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                for (field, value) in headers { request.headers.add(name: field, value: value) }
                // Unchanged data: the same report asked again and again.
                var times: [Double] = []
                var bytes = 0
                for _ in 0..<(rounds + 2) {
                    let (milliseconds, size) = try await time(request, client: client, name: name)
                    times.append(milliseconds)
                    bytes = size
                }
                let figure = BenchmarkResult(
                    kind: "report", subject: name, parameters: ["scale": Double(scale), "deliveries": Double(deliveries)],
                    figures: percentiles(Array(times.dropFirst(2))).merging(["bytes": Double(bytes)]) { $1 })  // two warm-up requests
                try figure.emit()
                figures.append(figure)
                // The first answer after a change: a gemeente gives or revokes consent through the
                // API, then the report is asked once.
                var afterChange: [Double] = []
                for _ in 0..<rounds {
                    try await change.toggle()
                    afterChange.append(try await time(request, client: client, name: name).milliseconds)
                }
                let changed = BenchmarkResult(
                    kind: "report", subject: name + " after a change",
                    parameters: ["scale": Double(scale), "deliveries": Double(deliveries)], figures: percentiles(afterChange))
                try changed.emit()
                figures.append(changed)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return figures
    }

    /// Milliseconds until the whole answer to `request` was read, and its size.
    func time(_ request: HTTPClientRequest, client: HTTPClient, name: String) async throws -> (milliseconds: Double, bytes: Int) {
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 64 << 20)
        let elapsed = started.duration(to: .now)
        guard response.status == .ok else { throw BenchmarkError(message: "\(name): \(response.status)") }
        return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15, body.readableBytes)
    }

    func percentiles(_ times: [Double]) -> [String: Double] {
        let sorted = times.sorted()
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        return ["p50Milliseconds": sorted[sorted.count / 2], "p99Milliseconds": p99]
    }

    func waitUntilServing(_ client: HTTPClient, port: Int) async throws {
        for _ in 0..<100 {
            if let response = try? await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/live"), timeout: .seconds(1)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError(message: "the in-process server did not start")
    }
}

/// A change the reports show, made through the API as a gemeente would: GM0344 revokes its
/// consent for VS, then gives it again, and so on.
final class ConsentToggle {
    let client: HTTPClient
    let base: String
    let token: String
    let supplier: String
    var open: String?

    init(client: HTTPClient, base: String, token: String, supplier: String, open: String?) {
        self.client = client
        self.base = base
        self.token = token
        self.supplier = supplier
        self.open = open
    }

    static func start(dependencies: AppDependencies, pool: PostgresPool, client: HTTPClient, port: Int) async throws -> ConsentToggle {
        let supplier = try await pool.query(
            "SELECT leverancier_id FROM gemeente_leveranciers WHERE gemeente_code = 'GM0344' AND stroom = 'VS' AND tot IS NULL"
        ).first.map { try $0.decode("leverancier_id", as: String.self) }
        guard let supplier else { throw BenchmarkError(message: "GM0344 has no supplier for VS") }
        let open = try await pool.query(
            """
            SELECT id FROM toestemmingen
            WHERE gemeente_code = 'GM0344' AND stroom = 'VS' AND leverancier_id = $1 AND ingetrokken_op IS NULL LIMIT 1
            """, [supplier]
        ).first.map { try $0.decode("id", as: UUID.self).uuidString.lowercased() }
        let token = try await dependencies.tokens.issue(
            role: .gemeente, scope: "GM0344", expiresAt: nil, description: "benchmark", by: .commandLine)
        return ConsentToggle(
            client: client, base: "http://127.0.0.1:\(port)/v1/gemeenten/GM0344/toestemmingen", token: token.secret,
            supplier: supplier, open: open)
    }

    func toggle() async throws {
        var request: HTTPClientRequest
        if let open {
            request = HTTPClientRequest(url: "\(base)/\(open)/intrekkingen")
            request.body = .bytes(Data(#"{"reden":"benchmark"}"#.utf8))
        } else {
            request = HTTPClientRequest(url: base)
            request.body = .bytes(
                Data(
                    (#"{"leverancier":"\#(supplier)","stromen":["VS"],"besluitdatum":"2025-10-01","besluitvormendOrgaan":"college","#
                        + #""documentreferentie":"BENCHMARK","documentSha256":"\#(String(repeating: "ab", count: 32))","geldigVan":"2025-11-01"}"#)
                        .utf8))
        }
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok || response.status == .created else {
            throw BenchmarkError(message: "consent change: \(response.status)")
        }
        if open != nil {
            open = nil
        } else {
            open = response.headers.first(name: "Location")?.split(separator: "/").last.map(String.init)
        }
    }
}
