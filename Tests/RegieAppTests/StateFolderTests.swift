import Foundation
import RegieTestSupport
import Testing

/// Where `serve` keeps what it holds outside the database (the CBS sink, staged pages, the
/// demonstration's test PKI): `--state-dir`, else `DDAS_STATE_DIR`, else beside the data folder.
@Suite("The state folder")
struct StateFolderTests {
    @Test(
        "serve --demo on the embedded database with --state-dir and DDAS_STATE_DIR: the flag's folder gets the sink, staging and test PKI, owner-only; nothing goes beside the data folder or to the variable's folder"
    )
    func flagWins() async throws {
        let base = try TestPostgres.temporaryFolder("ddas-st")
        let state = URL(fileURLWithPath: base + "/flag")
        let server = try await serveDemo(
            ["--data-dir", base + "/db/pg", "--state-dir", state.path], environment: ["DDAS_STATE_DIR": base + "/variable"],
            until: state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/db") == ["pg"], "nothing beside the data folder")
        #expect(!FileManager.default.fileExists(atPath: base + "/variable"), "the flag wins over the variable")
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: state.path)).isSuperset(of: ["cbs-sink", "demo-pki"]),
            "\(server.output().suffix(1_000))")

        let sink = state.appendingPathComponent("cbs-sink")
        for folder in [state, sink, sink.appendingPathComponent(".staging"), state.appendingPathComponent("demo-pki")] {
            #expect(try mode(folder) == 0o700, "\(folder.path)")
        }
        let delivery = try #require(try handedOver(in: sink).first)
        #expect(try mode(delivery) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: delivery.path)
        #expect(files.contains("manifest.json") && files.contains("pagina-0001.json"), "\(files)")
        for file in files { #expect(try mode(delivery.appendingPathComponent(file)) == 0o600, "\(file)") }
    }

    @Test("serve --demo on the embedded database with DDAS_STATE_DIR only: the variable's folder gets the sink and the test PKI")
    func variableWithEmbedded() async throws {
        let base = try TestPostgres.temporaryFolder("ddas-sv")
        let state = URL(fileURLWithPath: base + "/variable")
        _ = try await serveDemo(["--data-dir", base + "/db/pg"], environment: ["DDAS_STATE_DIR": state.path], until: state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/db") == ["pg"], "nothing beside the data folder")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("demo-pki/cbs.chain.pem").path))
        #expect(try !handedOver(in: state.appendingPathComponent("cbs-sink")).isEmpty)
    }

    /// Runs `serve --demo` until its first delivery is handed over into `state`'s sink (at
    /// most 180 s), then stops it with SIGTERM and expects status 0.
    func serveDemo(_ arguments: [String], environment: [String: String], until state: URL) async throws -> RegieProcess {
        let port = try RegieProcess.freePort()
        let server = try RegieProcess.start(["serve", "--demo", "--port", String(port)] + arguments, environment: environment)
        let sink = state.appendingPathComponent("cbs-sink")
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline && !server.hasExited {
            if try !handedOver(in: sink).isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        kill(server.pid, SIGTERM)
        #expect(await server.exitStatus() == 0, "\(server.output().suffix(2_000))")
        #expect(try !handedOver(in: sink).isEmpty, "a delivery handed over: \(server.output().suffix(2_000))")
        return server
    }

    /// The delivery folders of the sink that hold a manifest.
    func handedOver(in sink: URL) throws -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sink.path)) ?? []).map { sink.appendingPathComponent($0) }.filter {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("manifest.json").path)
        }
    }

    func mode(_ url: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) & 0o777
    }
}
