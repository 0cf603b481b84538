import Foundation

/// The installed PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`), found in
/// `PATH`, then in `pg_config --bindir`, then in `/usr/lib/postgresql/*/bin` (newest first).
public struct PostgresInstallation: Sendable {
    /// The folder that holds all three programs.
    public let binDirectory: String

    /// `initdb`.
    public var initdb: String { binDirectory + "/initdb" }
    /// `pg_ctl`.
    public var pgCtl: String { binDirectory + "/pg_ctl" }

    /// Finds an installation or explains where it looked.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> PostgresInstallation {
        var candidates: [String] = []
        for directory in (environment["PATH"] ?? "").split(separator: ":").map(String.init) {
            let initdb = directory + "/initdb"
            if FileManager.default.isExecutableFile(atPath: initdb) {
                // Debian links /usr/local/bin/initdb and friends into the versioned folder.
                candidates.append(URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path)
                candidates.append(directory)
            }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":").map(String.init) {
            let pgConfig = directory + "/pg_config"
            if FileManager.default.isExecutableFile(atPath: pgConfig),
                let outcome = try? await ProcessRunner.run(pgConfig, ["--bindir"]), outcome.status == 0
            {
                candidates.append(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))
                break
            }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("/usr/lib/postgresql/\(version)/bin")
        }
        for directory in candidates
        where ["initdb", "pg_ctl", "postgres"].allSatisfy({
            FileManager.default.isExecutableFile(atPath: directory + "/" + $0)
        }) {
            return PostgresInstallation(binDirectory: directory)
        }
        throw EmbeddedPostgresError.serverNotInstalled(
            searched: candidates.isEmpty ? ["PATH", "pg_config --bindir", "/usr/lib/postgresql/*/bin"] : candidates)
    }
}
