import ArgumentParser
import Foundation
import Postgres
import RegieApp
import RegieStore

/// `ddas-regie audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Checks the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Walks the hash chain of the audit trail; exits 1 naming the first broken link, or when the trail no longer extends the head it verified last time.",
            discussion:
                "The last verified head (event number and hash) is remembered outside the database, in audit-heads/ of the state folder (one file per database), or in the file --head-file names. Someone who can get past the trail's triggers can recompute the whole chain, but not make it extend a head kept where the database cannot reach."
        )

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var state: StateOptions

        @Option(name: .customLong("head-file"), help: "The file that remembers the last verified head (default: in the state folder).")
        var headFile: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let folder = try state.resolved(database: try database.database(environment: environment), environment: environment)
            let (outcome, file) = try await withStores(database) { stores, _ in
                let file: URL
                if let headFile {
                    file = URL(fileURLWithPath: headFile)
                } else {
                    file = try await AuditHeadFile.standard(in: folder, trail: stores.auditTrail)
                }
                let result = try await stores.auditTrail.verify(extending: try AuditHeadFile.read(file))
                if case .intact = result.verification, let head = result.head { try AuditHeadFile.write(head, to: file) }
                return (result.verification, file)
            }
            switch outcome {
            case .intact(let events):
                writeLine("The audit trail is intact: \(events) event(s). Its head is remembered in \(file.path).")
            case .broken(let sequence, let reason):
                writeLine("The audit trail is broken at event \(sequence): \(reason).")
                throw ExitCode.failure
            }
        }
    }
}

/// The file that remembers the head of the last verified audit trail: JSON with the event's
/// number and hash, readable by its owner only.
enum AuditHeadFile {
    struct Contents: Codable {
        let sequence: Int64
        let hash: String
        let verifiedAt: Date
    }

    /// `audit-heads/<id>.json` in the state folder, where `<id>` tells databases apart: the
    /// cluster's system identifier and the database's name, hashed.
    static func standard(in stateDirectory: String, trail: AuditTrail) async throws -> URL {
        let name = try await trail.databaseIdentity()
        return URL(fileURLWithPath: stateDirectory).appendingPathComponent("audit-heads").appendingPathComponent("\(name).json")
    }

    /// The remembered head; nil when the file does not exist (the first verification).
    static func read(_ file: URL) throws -> AuditLog.Head? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let contents = try decoder.decode(Contents.self, from: Data(contentsOf: file))
        guard let hash = Data(hex: contents.hash) else { throw AuditHeadFileUnreadable(path: file.path) }
        return AuditLog.Head(sequence: contents.sequence, hash: hash)
    }

    /// Replaces the file with `head`: a temporary file beside it, then a rename.
    static func write(_ head: AuditLog.Head, to file: URL) throws {
        let folder = file.deletingLastPathComponent()
        // The folders above it as any folder is made (the state folder may also hold the embedded
        // cluster's folder, which its server's account must traverse); this one for its owner only.
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let contents = Contents(
            sequence: head.sequence, hash: head.hash.map { String(format: "%02x", $0) }.joined(), verifiedAt: Date())
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: try encoder.encode(contents), attributes: [.posixPermissions: 0o600])
        else { throw AuditHeadFileUnreadable(path: temporary.path) }
        guard rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw AuditHeadFileUnreadable(path: file.path)
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// The head file cannot be read or written.
struct AuditHeadFileUnreadable: Error, CustomStringConvertible {
    let path: String
    var description: String { "the audit head file \(path) cannot be read or written; remove it only if you know why it changed" }
}

extension Data {
    /// Bytes from lower-case or upper-case hex; nil for anything else.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes)
    }
}
