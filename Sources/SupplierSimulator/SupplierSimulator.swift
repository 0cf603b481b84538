import Foundation
import Hummingbird
import Logging
import NIOCore

/// The simulator of software suppliers' DDAS APIs: one HTTP server offering every configured
/// supplier service under its base path.
///
/// In process: make one from a `SimulatorConfiguration`, change `faults` while it runs, read
/// `ledger` to see what clients asked. Run it as a Hummingbird `Application` (itself a
/// swift-service-lifecycle `Service`, so it fits in a `ServiceGroup`) from `application(...)`,
/// or for a test with `withRunningServer { server in ... }`, which starts it on the
/// configured port (0: any free one), hands over the bound address and stops it afterwards.
public struct SupplierSimulator: Sendable {
    /// What it serves.
    public let configuration: SimulatorConfiguration
    /// The faults in force; change them at any time.
    public let faults: FaultPlan
    /// The request counts.
    public let ledger: RequestLedger
    private let tokens: TokenStore
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// A simulator; `now` is the clock of token expiry and of the default period.
    /// Throws when the configuration cannot run (see `SimulatorConfigurationError.code`).
    public init(
        configuration: SimulatorConfiguration, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "ddas-supplier-sim")
    ) throws(SimulatorConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        var signers: [String: Set<SignerRole>] = [:]
        for supplier in configuration.suppliers { signers[supplier.name] = supplier.signerRoles }
        faults = try FaultPlan(rules: configuration.faults, signers: signers, seed: configuration.faultSeed)
        ledger = RequestLedger()
        tokens = TokenStore(now: now)
        self.now = now
        self.logger = logger
    }

    /// The routes of every supplier service, for `app.test(.router)` or an application of one's own.
    public func buildRouter() -> Router<SimulatorRequestContext> {
        let router = Router(context: SimulatorRequestContext.self)
        router.add(middleware: ProblemMiddleware(logger: logger))
        for service in configuration.suppliers {
            LeverancierController(service: service, tokens: tokens, faults: faults, ledger: ledger, now: now, logger: logger)
                .addRoutes(to: router)
        }
        if let revocation = configuration.revocation { RevocationController(revocation: revocation).addRoutes(to: router) }
        return router
    }

    /// The HTTP server as a Hummingbird application; `onServerRunning` gets the bound port.
    public func application(
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<SimulatorRequestContext>> {
        application(serverLogger: logger, onServerRunning: onServerRunning)
    }

    private func application(
        serverLogger: Logger, onServerRunning: @escaping @Sendable (_ port: Int) async -> Void
    ) -> Application<RouterResponder<SimulatorRequestContext>> {
        let port = configuration.port
        return Application(
            router: buildRouter(),
            server: .http1(configuration: .init(additionalChannelHandlers: [InboundCloseWatcher()])),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "ddas-supplier-sim"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: serverLogger)
    }

    /// Runs the server while `body` runs, then stops it (also when `body` throws) by cancelling
    /// it: connections still open, such as stalled bodies, are cut. The server's own messages
    /// are logged only from `critical` up (cancelling makes it report the connections it cut).
    public func withRunningServer<Result: Sendable>(_ body: (RunningSimulator) async throws -> Result) async throws -> Result {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .critical)
        let application = application(serverLogger: quiet) { port in
            continuation.yield(port)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await application.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw SimulatorConfigurationError(code: "server-not-started", message: "the server stopped before it was listening")
            }
            let running = RunningSimulator(host: configuration.host, port: port, suppliers: configuration.suppliers)
            do {
                let result = try await body(running)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// A running simulator's address.
public struct RunningSimulator: Sendable {
    /// The host it listens on.
    public let host: String
    /// The port it is bound to.
    public let port: Int
    let suppliers: [LeverancierDienst]

    /// `http://host:port`.
    public var origin: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The base URL of a supplier service, e.g. `http://127.0.0.1:41234/xxllnc/v1`; nil for an unknown name.
    public func baseURL(supplier name: String) -> String? {
        suppliers.first { $0.name == name }.map { origin + $0.normalizedBasePath }
    }
}

/// Turns a missing route into the FSC 404 (`ERROR_CODE_SERVICE_NOT_FOUND`) and any other
/// unexpected error into a 500 problem, so every error answer is problem+json.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw SimulatorProblem.serviceNotFound
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            throw SimulatorProblem(.internalServerError, code: "interne-fout", detail: "The simulator failed to answer.")
        }
    }
}
