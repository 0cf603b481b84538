import Crypto
import Foundation

/// One migration file: `Migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number the file starts with; files apply in this order.
    public let version: Int
    /// The rest of the file name, without `.sql`.
    public let name: String
    /// The file name, for messages.
    public let fileName: String
    /// The SQL.
    public let sql: String
    /// SHA-256 of the file's bytes, hex: what detects an edited migration.
    public let checksum: String

    /// A migration from its file name and bytes.
    public init(fileName: String, contents: Data) throws {
        guard fileName.hasSuffix(".sql") else { throw MigrationError.badFileName(fileName) }
        let stem = fileName.dropLast(4)
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0,
            parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { throw MigrationError.badFileName(fileName) }
        guard let sql = String(data: contents, encoding: .utf8) else { throw MigrationError.badFileName(fileName) }
        self.version = version
        self.name = String(parts[1])
        self.fileName = fileName
        self.sql = sql
        self.checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }
}

extension Migration {
    /// Checksums that files had before a correction of their comments only, by file name, so
    /// that an installation which applied the earlier text is not refused as edited. Only a
    /// comment may be corrected this way; a change to a statement is a new migration.
    static let formerChecksums: [String: Set<String>] = [
        // The comment said only a superuser could get past the audit triggers; the owner can too.
        "0002_tokens_audit.sql": ["698a9ccb65a56cb7612844b9c49652f1e85026bf36006c9bde6db61a794860bb"]
    ]

    /// Whether `recordedChecksum`, from `schema_migrations`, is this file as it was applied:
    /// its checksum now, or one from before a correction of its comments.
    public func matches(recordedChecksum: String) -> Bool {
        recordedChecksum == checksum || Self.formerChecksums[fileName]?.contains(recordedChecksum) == true
    }
}

/// The migrations of a folder, in order, checked for gaps in naming and duplicates.
public struct MigrationSet: Sendable {
    /// The migrations, by ascending version.
    public let migrations: [Migration]

    /// Reads every `.sql` file of `directory`.
    public init(directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for name in names {
            migrations.append(try Migration(fileName: name, contents: try Data(contentsOf: directory.appendingPathComponent(name))))
        }
        try self.init(migrations: migrations)
    }

    /// A set from migrations already read; refuses two files with one version.
    public init(migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.version == later.version {
            throw MigrationError.duplicateVersion(earlier.fileName, later.fileName)
        }
        self.migrations = sorted
    }
}

/// Why migrations cannot run.
public enum MigrationError: Error, CustomStringConvertible, Sendable, Equatable {
    case badFileName(String)
    case duplicateVersion(String, String)
    /// An applied migration's file changed afterwards.
    case edited(fileName: String)

    public var description: String {
        switch self {
        case .badFileName(let name):
            "migration file \(name) is not named NNNN_name.sql (four digits, letters, digits and _)"
        case .duplicateVersion(let first, let second):
            "migration files \(first) and \(second) have the same number"
        case .edited(let name):
            "migration \(name) was changed after it was applied; restore the applied version and put the change in a new migration"
        }
    }
}
