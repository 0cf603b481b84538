import ChildProgram
import Foundation
import RegieDomain
import RegieTestSupport
import Testing

/// schemathesis (PyPI, pinned in `Tests/Reliability/schemathesis`) against the service's own
/// `/v1/openapi.json`, once per caller (no token and every role), all operations, a fixed
/// seed and a bounded number of examples: no 5xx, every answer as documented.
enum SchemathesisScenario {
    /// What one run reported.
    struct Run {
        let caller: String
        let status: Int32
        let operations: Int
        let failures: Int
        let output: String
    }

    static func run() async throws {
        try await APIRig.with("schemathesis") { api in
            var runs: [Run] = []
            for role in [nil] + Role.allCases.map(Optional.some) {
                runs.append(try await fuzz(api, as: role))
            }
            for run in runs {
                #expect(run.status == 0 && run.failures == 0, "\(run.caller): exit \(run.status)\n\(run.output.suffix(6_000))")
                #expect(run.operations >= 20, "\(run.caller): \(run.operations) operations tested")
            }
            #expect(!api.service.process.hasExited)
            Figures.record(
                Scenario.schemathesis,
                "schemathesis 4.32.5, seed 2026, at most 20 examples an operation and phase, as "
                    + runs.map { "\($0.caller) (\($0.operations) operations, \($0.failures) failures)" }.joined(separator: ", ")
                    + "; checks: no server error, status codes, content types, headers and bodies as documented, invalid data refused, auth not ignored"
            )
        }
    }

    static func fuzz(_ api: APIRig, as role: Role?) async throws -> Run {
        let folder = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-st"))
        let config = folder.appendingPathComponent("schemathesis.toml")
        // A refusal is any 4xx that names why: 413 for a body over the limit counts too. The
        // gemeente in paths is the rig's first, so that generated requests reach the handlers.
        var toml = """
            [checks.negative_data_rejection]
            expected-statuses = [400, 401, 403, 404, 405, 409, 412, 413, 415, 422]

            [parameters]
            "path.gemeentecode" = "\(api.own)"

            """
        if let role, let token = api.tokens[role] {
            toml = "headers = { Authorization = \"Bearer \(token)\" }\n\n" + toml
        }
        FileManager.default.createFile(atPath: config.path, contents: Data(toml.utf8), attributes: [.posixPermissions: 0o600])
        let report = folder.appendingPathComponent("report")
        let script = TestPostgres.repositoryRoot.appendingPathComponent("Tests/Reliability/schemathesis").path
        let outcome = try await ChildProgram.run("/bin/bash", [script, api.service.base, config.path, report.path], mergingErrors: true)
        let junit = (try? FileManager.default.contentsOfDirectory(atPath: report.path))?.first { $0.hasSuffix(".xml") }
        let xml =
            junit.flatMap { FileManager.default.contents(atPath: report.appendingPathComponent($0).path) }.map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        let operations = xml.components(separatedBy: "<testcase ").count - 1
        let failures = xml.components(separatedBy: "<failure").count - 1 + xml.components(separatedBy: "<error").count - 1
        try? FileManager.default.removeItem(at: folder)
        return Run(
            caller: role?.rawValue ?? "no token", status: outcome.status, operations: operations, failures: failures, output: outcome.output
        )
    }
}
