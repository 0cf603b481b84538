import ArgumentParser
import Foundation
import RegieApp
import RegieDemo

/// `ddas-regie serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Runs the service: migrates the database, loads the gemeenten register and serves the API until SIGINT or SIGTERM.")

    @Option(help: "Address to listen on (DDAS_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 1-65535 (DDAS_PORT; default 8080).")
    var port: Int?

    @Option(
        name: .customLong("metrics-port"),
        help:
            "A second port, 1-65535, that serves /metrics and the health endpoints, and then the only one with /metrics (DDAS_METRICS_PORT; default unset: /metrics on --port)."
    )
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address of --metrics-port (DDAS_METRICS_HOST; default the --host address).")
    var metricsHost: String?

    @Option(help: "What this process runs: api, worker or all (DDAS_ROLE; default all).")
    var role: String?

    @Option(
        name: .customLong("exchange-config"),
        help: "The suppliers, CBS's signing key and the sink, as YAML (DDAS_EXCHANGE_CONFIG; unset: deliveries are not pulled).")
    var exchangeConfig: String?

    @Option(
        name: .customLong("meldingen-config"),
        help:
            "How meldingen are sent: the public address, the key, SMTP and the digest's time, as YAML (DDAS_MELDINGEN_CONFIG; unset: meldingen wait in the outbox; --demo writes them as files)."
    )
    var meldingenConfig: String?

    @Flag(
        help:
            "A demonstration: an in-process supplier simulator for xxllnc and BKR, the directory sink, and gemeenten seeded over the phases (marked DEMONSTRATIE)."
    )
    var demo = false

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var state: StateOptions

    func validate() throws {
        if let port, !(1...65535).contains(port) {
            throw ValidationError("--port must be between 1 and 65535, not \(port)")
        }
        if let host, host.isEmpty { throw ValidationError("--host must not be empty") }
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 1 and 65535, not \(metricsPort)")
        }
        if let metricsHost, metricsHost.isEmpty { throw ValidationError("--metrics-host must not be empty") }
        if demo && exchangeConfig != nil { throw ValidationError("--demo and --exchange-config exclude each other") }
        if let exchangeConfig, exchangeConfig.isEmpty { throw ValidationError("--exchange-config must not be empty") }
        if let meldingenConfig, meldingenConfig.isEmpty { throw ValidationError("--meldingen-config must not be empty") }
    }

    func processRole(_ environment: [String: String]) throws -> ProcessRole {
        let text = role ?? environment["DDAS_ROLE"] ?? "all"
        guard let parsed = ProcessRole(rawValue: text) else {
            throw UsageError(description: (role != nil ? "--role" : "DDAS_ROLE") + " must be api, worker or all, not '\(text)'")
        }
        return parsed
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        PageMemorySettings.apply(environment: environment)
        let logger = try database.bootstrapLogging(environment: environment)
        let port = try self.port ?? integer("DDAS_PORT", environment) ?? 8080
        guard (1...65535).contains(port) else { throw UsageError(description: "DDAS_PORT must be between 1 and 65535, not \(port)") }
        let host = host ?? environment["DDAS_HOST"] ?? "127.0.0.1"
        guard !host.isEmpty else { throw UsageError(description: "DDAS_HOST must not be empty") }
        let metricsPort = try self.metricsPort ?? integer("DDAS_METRICS_PORT", environment)
        if let metricsPort {
            guard (1...65535).contains(metricsPort), metricsPort != port else {
                throw UsageError(
                    description: "DDAS_METRICS_PORT must be between 1 and 65535 and differ from the API's port, not \(metricsPort)")
            }
        }
        let metricsHost = metricsHost ?? environment["DDAS_METRICS_HOST"] ?? host
        guard !metricsHost.isEmpty else { throw UsageError(description: "DDAS_METRICS_HOST must not be empty") }
        let exchange: AppConfiguration.ExchangeSetting
        if demo {
            exchange = .demo
        } else if let path = exchangeConfig ?? environment["DDAS_EXCHANGE_CONFIG"], !path.isEmpty {
            exchange = .file(path)
        } else {
            exchange = .off
        }
        let databaseSetting = try database.database(environment: environment)
        let configuration = AppConfiguration(
            host: host, port: port, database: databaseSetting, resources: try Resources.locate(environment: environment),
            poolSize: try database.resolvedPoolSize(environment: environment), role: try processRole(environment), exchange: exchange,
            stateDirectory: try state.resolved(database: databaseSetting, environment: environment),
            metricsAddress: metricsPort.map { .init(host: metricsHost, port: $0) })
        var withMeldingen = configuration
        withMeldingen.meldingenConfiguration = meldingenConfig ?? environment["DDAS_MELDINGEN_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        try await RegieServer.run(configuration: withMeldingen, logger: logger, demonstration: demo ? RegieDemonstration() : nil)
    }
}
