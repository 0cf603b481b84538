/// Why the embedded cluster could not be started or stopped. Each case tells the user what to do.
public enum EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    case serverNotInstalled(searched: [String])
    case notACluster(path: String)
    case inUse(path: String, pid: Int32?)
    case socketPathTooLong(path: String, length: Int)
    case unprivilegedUserUnavailable(reason: String)
    case folderNotReachable(path: String, user: String)
    case commandFailed(command: String, status: Int32, output: String)
    case notRunning(path: String)
    case stillStopping(path: String)

    public var description: String {
        switch self {
        case .serverNotInstalled(let searched):
            "PostgreSQL server programs (initdb, pg_ctl, postgres) not found; looked in \(searched.joined(separator: ", ")). "
                + "Install the server (Debian: apt-get install postgresql) or configure a database with --database-url."
        case .notACluster(let path):
            "the data folder \(path) is not empty and holds no PostgreSQL cluster; choose an empty or new folder with --data-dir"
        case .inUse(let path, let pid):
            "the data folder \(path) is in use by another ddas-regie process" + (pid.map { " (pid \($0))" } ?? "")
                + "; stop it, or give this one another --data-dir"
        case .socketPathTooLong(let path, let length):
            "the data folder path \(path) is too long for PostgreSQL's unix socket (\(length) of at most 107 bytes); use a shorter --data-dir"
        case .unprivilegedUserUnavailable(let reason):
            "PostgreSQL does not run as root and no unprivileged user could be used: \(reason)"
        case .folderNotReachable(let path, let user):
            "the PostgreSQL user \(user) cannot reach the data folder \(path); make its parent folders traversable (chmod o+x) or choose another --data-dir"
        case .commandFailed(let command, let status, let output):
            "\(command) failed with status \(status): \(output.suffix(2000))"
        case .notRunning(let path):
            "the data folder \(path) is locked by a ddas-regie process but its PostgreSQL is not running"
        case .stillStopping(let path):
            "the PostgreSQL of the data folder \(path) is still being stopped after its previous service ended; try again in a minute"
        }
    }
}
