import Foundation

/// The operating-system account the PostgreSQL server runs as.
///
/// PostgreSQL refuses to run as root. When this process is root (as in a container or
/// CI) the server runs as an unprivileged account: `DDAS_POSTGRES_OS_USER` if set, else
/// the `postgres` account the Debian package creates, else a system account
/// `ddas-regie`, created on first use. Otherwise the server runs as the current user.
struct ServerAccount: Sendable {
    /// The account's name, nil when the server runs as the current user.
    let name: String?
    let uid: uid_t
    let gid: gid_t

    static func resolve(environment: [String: String]) async throws -> ServerAccount {
        guard geteuid() == 0 else {
            return ServerAccount(name: nil, uid: geteuid(), gid: getegid())
        }
        var names = ["postgres", "ddas-regie"]
        if let configured = environment["DDAS_POSTGRES_OS_USER"], !configured.isEmpty {
            names = [configured]
        }
        for name in names {
            if let account = lookup(name) { return account }
        }
        let name = names[names.count - 1]
        let useradd = ["/usr/sbin/useradd", "/sbin/useradd"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let useradd else {
            throw EmbeddedPostgresError.unprivilegedUserUnavailable(
                reason: "no account \(names.joined(separator: " or ")) and no useradd to create one")
        }
        let outcome = try await ProcessRunner.run(
            useradd, ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name])
        guard outcome.status == 0 || outcome.status == 9, let account = lookup(name) else {
            throw EmbeddedPostgresError.unprivilegedUserUnavailable(reason: "useradd \(name): \(outcome.output)")
        }
        return account
    }

    private static func lookup(_ name: String) -> ServerAccount? {
        guard let entry = getpwnam(name) else { return nil }
        return ServerAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// The program and arguments that run `command` as this account.
    func invocation(_ command: String, _ arguments: [String]) throws -> (String, [String]) {
        guard let name else { return (command, arguments) }
        guard let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw EmbeddedPostgresError.unprivilegedUserUnavailable(reason: "runuser (util-linux) is missing")
        }
        return (runuser, ["-u", name, "--", command] + arguments)
    }

    /// Gives the account a folder (a no-op when the server runs as the current user).
    func own(_ path: String) throws {
        guard let name else { return }
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedPostgresError.unprivilegedUserUnavailable(
                reason: "cannot hand \(path) to \(name): \(String(cString: strerror(errno)))")
        }
    }
}
