import Foundation
import Postgres
import RegieTestSupport
import Testing

@testable import EmbeddedPostgres

@Suite("No personal data at rest")
struct PrivacyTests {
    /// Every BSN in the pages the sink holds (the value after each `"burgerservicenummer":"`).
    static func bsns(inSink sink: URL) throws -> Set<String> {
        var found: Set<String> = []
        let marker = Array(#""burgerservicenummer":""#.utf8)
        for delivery in (try? FileManager.default.contentsOfDirectory(atPath: sink.path)) ?? [] where !delivery.hasPrefix(".") {
            let folder = sink.appendingPathComponent(delivery)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
            where file.hasPrefix("pagina-") && !file.contains("headers") {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
                var index = 0
                while index + marker.count + 9 <= bytes.count {
                    if bytes[index] == marker[0] && bytes[index..<index + marker.count].elementsEqual(marker) {
                        let start = index + marker.count
                        found.insert(String(decoding: bytes[start..<start + 9], as: UTF8.self))
                        index = start + 9
                    } else {
                        index += 1
                    }
                }
            }
        }
        return found
    }

    /// Every run of exactly nine digits in `text` (a BSN written anywhere, in any context).
    static func nineDigitRuns(in text: String) -> Set<String> {
        var runs: Set<String> = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if (48...57).contains(byte) {
                current.append(byte)
            } else {
                if current.count == 9 { runs.insert(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
            }
        }
        if current.count == 9 { runs.insert(String(decoding: current, as: UTF8.self)) }
        return runs
    }

    @Test("after the demonstration pulled its deliveries, neither pg_dump of the database nor the service's log holds a BSN it pulled")
    func noBSNAtRest() async throws {
        let database = try await TestPostgres.emptyDatabase()
        let state = try TestPostgres.temporaryFolder("ddas-privacy")
        let port = try RegieProcess.freePort()
        let server = try RegieProcess.start(
            ["serve", "--demo", "--database-url", database.connectionString, "--port", String(port), "--log-level", "debug"],
            environment: ["DDAS_STATE_DIR": state])
        let sink = URL(fileURLWithPath: state).appendingPathComponent("cbs-sink")
        // Polls with a deadline: the demonstration's test pulls are handed over within a minute or two.
        let deadline = ContinuousClock.now + .seconds(240)
        var manifests = 0
        while ContinuousClock.now < deadline && !server.hasExited {
            manifests =
                ((try? FileManager.default.contentsOfDirectory(atPath: sink.path)) ?? []).filter {
                    FileManager.default.fileExists(atPath: sink.appendingPathComponent($0).appendingPathComponent("manifest.json").path)
                }.count
            if manifests >= 200 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        kill(server.pid, SIGTERM)
        #expect(await server.exitStatus() == 0)
        #expect(manifests >= 200, "\(server.output().suffix(2_000))")
        let bsns = try Self.bsns(inSink: sink)
        #expect(bsns.count > 1_000, "the pages held the BSNs the scan looks for")

        let installation = try await PostgresInstallation.find()
        let dump = try await ProcessRunner.run(installation.binDirectory + "/pg_dump", ["--dbname=\(database.connectionString)"])
        #expect(dump.status == 0, "\(dump.output.prefix(500))")
        #expect(dump.output.contains("levering_paginas"), "the dump is of the service's database")
        let log = server.output()
        #expect(log.contains("delivery ended"), "the log is of a run that pulled")
        let leaked = bsns.intersection(Self.nineDigitRuns(in: dump.output)).union(bsns.intersection(Self.nineDigitRuns(in: log)))
        #expect(leaked.isEmpty, "\(leaked.count) BSNs found at rest")
        print(
            "privacy scan: \(manifests) deliveries, \(bsns.count) BSNs pulled, \(dump.output.utf8.count) bytes of pg_dump and \(log.utf8.count) of log scanned, \(leaked.count) found"
        )
    }
}
