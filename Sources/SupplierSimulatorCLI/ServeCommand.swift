import ArgumentParser
import DDASSignature
import DDASTestPKI
import Foundation
import Logging
import SupplierSimulator

/// `ddas-supplier-sim serve`: serves the configured supplier services until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serves the supplier services of a configuration file until SIGINT or SIGTERM.",
        discussion: """
            The configuration file (JSON) lists the supplier services: base path, stream,
            organisations, API version (1.0 or 1.2), response signing profile (kp-apis or body),
            volumes, OAuth2 clients, token lifetime, admin secret, faults, and how CBS's request
            signatures are verified (requestVerification: trustAnchors, cbsOIN).
            Secrets may name environment variables (clientSecretEnv, adminSecretEnv).
            Fault rules can be changed while running with PUT {base}/_simulator/fouten.
            """)

    @Option(help: "Address to listen on (default: the file's, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0-65535; 0 picks a free one (default: the file's, else 8089).")
    var port: Int?

    @Option(help: "Seed of the synthetic data, in place of the file's.")
    var seed: UInt64?

    @Option(help: "The configuration file (JSON).")
    var config: String

    @Option(help: "A JSON file with an array of fault rules, in force at start after the file's own.")
    var faults: String?

    @Option(
        help:
            "A test PKI folder (ddas-supplier-sim pki): responses are signed with JAdES by its leverancier key, in each supplier's responseSigning profile; verlopen, onbekend and andere-oin (when present) serve the certificate faults. Without it, a placeholder signature."
    )
    var pki: String?

    @Option(
        help:
            "A PEM file (or folder) with the roots of CBS's chain: every supplier verifies CBS's request signatures (401/403 with Fsc-Error-Code when they fail), in place of the file's requestVerification."
    )
    var cbsTrustAnchors: String?

    @Option(help: "CBS's OIN (20 digits): only requests signed by a certificate carrying it are accepted. Needs --cbs-trust-anchors.")
    var cbsOin: String?

    @Option(
        help:
            "With --pki made with --revocation-base-url: the environment variable holding the bearer secret of POST /pki/_simulator/intrekkingen (revoking a certificate). The OCSP responder (/pki/ocsp) and CRLs (/pki/crl/<ca>.crl) are served either way."
    )
    var pkiAdminSecretEnv: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        if let host, host.isEmpty { throw ValidationError("--host must not be empty") }
        if cbsOin != nil, cbsTrustAnchors == nil { throw ValidationError("--cbs-oin needs --cbs-trust-anchors") }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "ddas-supplier-sim")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return logger
        }()
        let simulator: SupplierSimulator
        do {
            let file = try SimulatorConfigurationFile.load(path: config)
            var configuration = try file.configuration(environment: ProcessInfo.processInfo.environment, seed: seed)
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let faults { configuration.faults += try SimulatorConfigurationFile.loadFaults(path: faults) }
            if let cbsTrustAnchors {
                let verifier = try JAdESRequestVerifier(trustAnchorsPath: cbsTrustAnchors, cbsOIN: cbsOin)
                for index in configuration.suppliers.indices { configuration.suppliers[index].requestVerifier = verifier }
            }
            if let pki {
                for index in configuration.suppliers.indices { try configuration.suppliers[index].loadSigners(fromTestPKI: pki) }
                if FileManager.default.fileExists(atPath: URL(fileURLWithPath: pki).appendingPathComponent("intermediate.key.pem").path) {
                    configuration.revocation = SimulatedRevocation(
                        responder: try TestRevocationResponder.load(pkiDirectory: pki), basePath: "/pki",
                        adminSecret: pkiAdminSecretEnv.flatMap { ProcessInfo.processInfo.environment[$0] })
                }
            }
            simulator = try SupplierSimulator(configuration: configuration, logger: logger)
        } catch let error as SimulatorConfigurationError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("the test PKI in \(pki ?? "") cannot be used: \(error)")
        }
        let configuration = simulator.configuration
        let services = configuration.suppliers.map { "\($0.name) (\($0.stroom.rawValue)) at \($0.normalizedBasePath)" }
        let application = simulator.application { port in
            logger.notice(
                "listening",
                metadata: ["host": "\(configuration.host)", "port": "\(port)", "services": "\(services.joined(separator: ", "))"])
        }
        try await application.runService()
    }
}
