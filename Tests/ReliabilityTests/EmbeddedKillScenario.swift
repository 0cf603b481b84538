import Foundation
import RegieTestSupport
import Testing

/// `serve` on the embedded default (its own PostgreSQL in a data folder), killed with SIGKILL
/// once it is ready: within 5 seconds no PostgreSQL process of that folder may remain, and the
/// next `serve` on the folder must become ready and stop cleanly on Ctrl-C.
enum EmbeddedKillScenario {
    static func run() async throws {
        let dataDirectory = try TestPostgres.temporaryFolder("ddas-rel-kill") + "/pg"
        let (first, _) = try await startReady(dataDirectory)
        let postmaster = try #require(postmasterPID(dataDirectory), "a postmaster.pid while the service runs")
        #expect(!postgresProcesses(of: postmaster).isEmpty, "the postmaster \(postmaster) runs")

        kill(first.pid, SIGKILL)
        let killed = ContinuousClock.now
        #expect(await first.exitStatus() == 128 + SIGKILL)
        await ServiceRig.logs.add(first.output())
        var left = postgresProcesses(of: postmaster)
        while !left.isEmpty && killed.duration(to: .now) < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
            left = postgresProcesses(of: postmaster)
        }
        let goneAfter = killed.duration(to: .now)
        #expect(left.isEmpty, "PostgreSQL processes of the folder still running 10 s after the kill: \(left)")
        #expect(goneAfter < .seconds(5), "PostgreSQL gone after \(seconds(goneAfter)) s, not within 5 s")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"), "a clean stop removes postmaster.pid")

        let (second, readyAfter) = try await startReady(dataDirectory)
        kill(second.pid, SIGINT)
        #expect(await second.exitStatus() == 0, "\(second.output().suffix(1_500))")
        await ServiceRig.logs.add(second.output())
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"), "Ctrl-C stops PostgreSQL too")
        Figures.record(
            Scenario.embeddedKill,
            "serve on the embedded default killed with SIGKILL: its PostgreSQL (\(postmaster)) gone after \(seconds(goneAfter)) s (limit 5 s); the next start ready after \(seconds(readyAfter)) s, stopped by Ctrl-C with status 0"
        )
    }

    /// Starts `serve` on the folder and waits (at most 120 s) until it answers ready.
    static func startReady(_ dataDirectory: String) async throws -> (RegieProcess, Duration) {
        let port = try RegieProcess.freePort()
        let started = ContinuousClock.now
        let process = try RegieProcess.start(["serve", "--data-dir", dataDirectory, "--port", String(port)])
        while started.duration(to: .now) < .seconds(120) && !process.hasExited {
            if let answer = try? await HTTP.get("http://127.0.0.1:\(port)/health/ready"), answer.status == 200 {
                return (process, started.duration(to: .now))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.pid, SIGKILL)
        _ = await process.exitStatus()
        Issue.record("serve on \(dataDirectory) did not become ready: \(process.output().suffix(2_000))")
        throw CancellationError()
    }

    /// The pid on the first line of the folder's `postmaster.pid`.
    static func postmasterPID(_ dataDirectory: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The postmaster and its server processes that still exist (zombies do not count), from `/proc`.
    static func postgresProcesses(of postmaster: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, fields[0] != "Z", fields[0] != "X" else { return false }
            return pid == postmaster || pid_t(fields[1]) == postmaster
        }
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
