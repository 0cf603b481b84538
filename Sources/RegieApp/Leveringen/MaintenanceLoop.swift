import Logging
import RegieStore
import ServiceLifecycle

/// The loop every maintenance component runs around its `runOnce()`: a pass every `interval`
/// on the process that leads `task` (all processes when `leadership` is nil), a failed pass
/// logged and tried again next time, until graceful shutdown.
func runMaintenance(
    _ task: String, every interval: Duration, leadership: Leadership?, logger: Logger, pass: () async throws -> Void
) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        do {
            // One elected process does the work; the others look again next pass.
            if try await leadership?.lead(task, ttl: interval * 3) ?? true { try await pass() }
        } catch {
            logger.warning("maintenance pass failed", metadata: ["task": "\(task)", "error": "\(error)"])
        }
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
    }
}
