import Foundation
import Logging
import RegieDomain
import RegieStore
import ServiceLifecycle

/// A maintenance loop: every `interval`, brings each gemeente's phase in line with evidence
/// that changes with time alone (consent whose `geldigVan` arrives or whose `geldigTot`
/// passes). Safe on every replica at once: each gemeente is reconciled under its row lock,
/// and a move the evidence does not call for is never made.
public struct FaseReconciler: Service {
    /// How often it runs.
    public struct Configuration: Sendable {
        public var interval: Duration

        /// Checks the interval: at least a second.
        public init(interval: Duration = .seconds(300)) {
            precondition(interval >= .seconds(1), "the reconciler interval is at least a second")
            self.interval = interval
        }
    }

    let onboarding: OnboardingStore
    let configuration: Configuration
    let logger: Logger

    public init(onboarding: OnboardingStore, configuration: Configuration = Configuration(), logger: Logger) {
        self.onboarding = onboarding
        self.configuration = configuration
        self.logger = logger
    }

    /// One pass; returns the gemeenten that moved.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> [Gemeentecode] {
        let moved = try await onboarding.reconcileAll(now: now)
        if !moved.isEmpty {
            logger.info("phases reconciled", metadata: ["gemeenten": "\(moved.count)"])
        }
        return moved
    }

    /// Passes until shutdown; a failed pass is logged and the next one tries again.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await runOnce()
            } catch {
                logger.warning("phase reconciliation failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.interval) }
            } catch {
                return
            }
        }
    }
}
