import AsyncHTTPClient
import Foundation
import NIOCore
import RegieTestSupport
import Testing

/// `serve --demo` as a new user runs it: a real process on a fresh data folder, read over HTTP
/// once it says it is ready. What the demonstration shows must be there: every phase of the
/// funnel, test, regular and backfill deliveries of both streams, and figures that add up.
@Suite("The demonstration shows the programme's whole life", .serialized)
struct DemoLevenTests {
    /// A running demonstration and a project team's token.
    struct Demo {
        let process: RegieProcess
        let base: String
        let folder: String
        let team: String

        /// A token of `role` (scoped to `scope`), made with the terminal command as a user would.
        func token(_ role: String, scope: String? = nil) async throws -> String {
            let run = try await RegieProcess.run(
                ["tokens", "create", "--role", role, "--description", "demotest", "--data-dir", folder + "/pg"]
                    + (scope.map { ["--scope", $0] } ?? []))
            return try #require(run.output.split(separator: "\n").first { $0.hasPrefix("ddas_") }.map(String.init), "\(run.output)")
        }

        /// The JSON object `path` answers with 200.
        func get(_ path: String, _ token: String) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            #expect(response.status.code == 200, "\(path): \(String(buffer: body).prefix(300))")
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
        }
    }

    /// Starts `serve --demo` on a fresh folder, waits until it reports that it is ready (at
    /// most three minutes), runs `body`, and stops it with SIGINT.
    static func withDemo(_ body: (Demo) async throws -> Void) async throws {
        let folder = try TestPostgres.temporaryFolder("ddas-demo-leven")
        let port = try RegieProcess.freePort()
        let process = try RegieProcess.start(
            ["serve", "--demo", "--data-dir", folder + "/pg", "--port", String(port)], environment: ["DDAS_STATE_DIR": folder + "/state"])
        defer { kill(process.pid, SIGINT) }
        let deadline = ContinuousClock.now + .seconds(180)
        while !process.output().contains("demonstration ready") {
            try #require(!process.hasExited && ContinuousClock.now < deadline, "not ready: \(process.output().suffix(2000))")
            try await Task.sleep(for: .milliseconds(250))
        }
        let ready = process.output().split(separator: "\n").first { $0.contains("demonstration ready") } ?? ""
        print("demo: \(ready.split(separator: "] ").last ?? ready)")
        let base = "http://127.0.0.1:\(port)"
        let team = try await RegieProcess.run(
            ["tokens", "create", "--role", "projectteam", "--description", "demotest", "--data-dir", folder + "/pg"])
        let token = try #require(team.output.split(separator: "\n").first { $0.hasPrefix("ddas_") }.map(String.init), "\(team.output)")
        try await body(Demo(process: process, base: base, folder: folder, team: token))
        kill(process.pid, SIGINT)
        #expect(await process.exitStatus() == 0, "SIGINT stops the demonstration cleanly")
    }

    @Test(
        "once ready: every phase of the funnel has a gemeente; test, regular and backfill deliveries succeeded in VS and SHV; the country's figures are the sum of the latest deliveries' reports; a gemeente cannot recover a hidden cell"
    )
    func wholeLife() async throws {
        try await Self.withDemo { demo in
            let voortgang = try await demo.get("/v1/voortgang", demo.team)
            let funnel = try #require(voortgang["perFase"] as? [[String: Any]])
            #expect(
                funnel.map { $0["fase"] as? String } == [
                    "aangemeld", "dpia_akkoord", "toestemming_gegeven", "api_getest", "eerste_levering", "actief",
                ])
            for phase in funnel { #expect((phase["aantal"] as? Int ?? 0) >= 1, "no gemeente in \(phase["fase"] ?? "?")") }
            let services = try #require(voortgang["diensten"] as? [[String: Any]])
            #expect(services.filter { $0["fase"] as? String == "actief" }.count == 3, "xxllnc VS and SHV and BKR VS in production")
            for stroom in ["VS", "SHV"] {
                for doel in ["test", "regulier", "herlevering"] {
                    let page = try await demo.get("/v1/leveringen?stroom=\(stroom)&doel=\(doel)&status=geslaagd", demo.team)
                    let total = (page["paginering"] as? [String: Any])?["totaal"] as? Int ?? 0
                    #expect(total >= 1, "no \(doel) delivery of \(stroom) succeeded")
                }
                for periode in ["2025-Q4", "2026-Q1"] {
                    try await Self.countryIsTheSum(demo, stroom: stroom, periode: periode)
                }
            }
            try await Self.gemeenteSeesHiddenCells(demo)
        }
    }

    /// `/v1/cijfers` for the country equals the sum, over gemeenten, of the op-orde-rapport
    /// of each one's latest successful regular delivery or backfill of the period. Deliveries
    /// of a supplier that was down may still end meanwhile: the deliveries are read before and
    /// after the figures, and the comparison is made on a pair that saw the same ones.
    static func countryIsTheSum(_ demo: Demo, stroom: String, periode: String) async throws {
        for _ in 0..<20 {
            let latest = try await latestDeliveries(demo, stroom: stroom, periode: periode)
            let cijfers = try await demo.get("/v1/cijfers?stroom=\(stroom)&periode=\(periode)", demo.team)
            guard try await latestDeliveries(demo, stroom: stroom, periode: periode).mapValues(\.id) == latest.mapValues(\.id) else {
                continue
            }
            #expect(!latest.isEmpty, "\(stroom) \(periode) has deliveries")
            var records = 0
            var counts: [String: Int] = [:]
            for (_, delivery) in latest {
                let report = try await demo.get("/v1/leveringen/\(delivery.id)/op-orde-rapport", demo.team)
                records += report["records"] as? Int ?? 0
                for list in report["verdelingen"] as? [[String: Any]] ?? [] {
                    for value in list["waarden"] as? [[String: Any]] ?? [] {
                        counts["\(list["lijst"] ?? "")/\(value["waarde"] ?? "")", default: 0] += value["aantal"] as? Int ?? 0
                    }
                }
            }
            let period = try #require((cijfers["perioden"] as? [[String: Any]])?.first, "\(stroom) \(periode)")
            let total = try #require(period["totaal"] as? [String: Any])
            #expect(total["gemeenten"] as? Int == latest.count, "\(stroom) \(periode)")
            #expect(total["records"] as? Int == records, "\(stroom) \(periode)")
            var shown: [String: Int] = [:]
            for list in total["verdelingen"] as? [[String: Any]] ?? [] {
                for value in list["waarden"] as? [[String: Any]] ?? [] {
                    shown["\(list["lijst"] ?? "")/\(value["waarde"] ?? "")"] = value["aantal"] as? Int ?? 0
                }
            }
            #expect(shown.filter { $0.value > 0 } == counts.filter { $0.value > 0 }, "\(stroom) \(periode)")
            return
        }
        Issue.record("\(stroom) \(periode): the deliveries kept changing")
    }

    /// Per gemeente, its latest successful regular delivery or backfill of the period.
    static func latestDeliveries(_ demo: Demo, stroom: String, periode: String) async throws -> [String: (moment: String, id: String)] {
        var latest: [String: (moment: String, id: String)] = [:]
        for doel in ["regulier", "herlevering"] {
            let page = try await demo.get(
                "/v1/leveringen?stroom=\(stroom)&periode=\(periode)&doel=\(doel)&status=geslaagd&paginaGrootte=200", demo.team)
            for item in page["leveringen"] as? [[String: Any]] ?? [] {
                guard let gemeente = item["gemeentecode"] as? String, let id = item["id"] as? String,
                    let moment = item["afgerondOp"] as? String
                else { continue }
                // A backfill ends after the regular delivery it replaces, or in the same second.
                if moment >= latest[gemeente]?.moment ?? "" { latest[gemeente] = (moment, id) }
            }
        }
        return latest
    }

    /// A gemeente that delivers sees its own figures and the country's with small cells
    /// hidden; in no distribution is exactly one cell hidden beside a shown total.
    static func gemeenteSeesHiddenCells(_ demo: Demo) async throws {
        let page = try await demo.get("/v1/leveringen?stroom=VS&periode=2026-Q2&doel=regulier&status=geslaagd", demo.team)
        let item = try #require((page["leveringen"] as? [[String: Any]])?.first)
        let code = try #require(item["gemeentecode"] as? String)
        let token = try await demo.token("gemeente", scope: code)
        let cijfers = try await demo.get("/v1/cijfers?stroom=VS&periode=2026-Q2", token)
        #expect(cijfers["kleineAantallenOnderdrukt"] as? Bool == true)
        let total = try #require(((cijfers["perioden"] as? [[String: Any]])?.first)?["totaal"] as? [String: Any])
        var hidden = 0
        for list in total["verdelingen"] as? [[String: Any]] ?? [] {
            let cells = list["waarden"] as? [[String: Any]] ?? []
            let missing = cells.filter { $0["aantal"] == nil || $0["aantal"] is NSNull }.count
            hidden += missing
            if !(list["totaal"] == nil || list["totaal"] is NSNull) {
                #expect(missing != 1, "\(list["lijst"] ?? ""): one hidden cell beside its total can be recovered by subtraction")
            }
        }
        #expect(hidden > 0, "the country's small cells are hidden from a gemeente")
        let own = try await demo.get("/v1/cijfers?stroom=VS&periode=2026-Q2&gemeente=\(code)", token)
        #expect(own["niveau"] as? String == "gemeente")
    }
}
