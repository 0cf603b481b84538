import Foundation

/// The exchange models of one stream and version: the compiled JSON Schema of the payload
/// (`gegevens`, the `Uitwisselmodel`).
public struct ExchangeModel: Sendable {
    /// The stream.
    public let stream: ExchangeStroom
    /// The model version.
    public let version: ExchangeModelVersion
    /// The compiled schema of `gegevens`.
    public let schema: JSONSchema
    /// The model's code lists (`eindresultaat`, `contactsoort`, …), from its `$defs/Enum…`.
    public let codeLists: [String: CodeListValues]

    /// A model from a compiled schema and the code lists of its document.
    public init(stream: ExchangeStroom, version: ExchangeModelVersion, schema: JSONSchema, codeLists: [String: CodeListValues] = [:]) {
        self.stream = stream
        self.version = version
        self.schema = schema
        self.codeLists = codeLists
    }
}

/// The schema files of the exchange in one directory, one file per stream and version
/// (`DDAS-VS-uitwisselmodel-v1.2.json`, `DDAS-SHV-uitwisselmodel-v1.0.json`): a new model
/// version is a new file, not new code.
public struct ExchangeSchemas: Sendable {
    /// The directory that holds the schema files.
    public let directory: URL

    /// The schema files in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The versions of `stream` that have a schema file, oldest first.
    public func versions(of stream: ExchangeStroom) throws(ExchangeSchemaError) -> [ExchangeModelVersion] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ExchangeSchemaError(.directoryUnreadable, stream: stream, version: nil)
        }
        let prefix = "DDAS-\(stream.key)-uitwisselmodel-v"
        let versions = names.compactMap { name -> ExchangeModelVersion? in
            guard name.hasPrefix(prefix), name.hasSuffix(".json") else { return nil }
            return ExchangeModelVersion(String(name.dropFirst(prefix.count).dropLast(".json".count)))
        }
        return versions.sorted()
    }

    /// Reads and compiles the schema of `stream` at `version`.
    public func model(_ stream: ExchangeStroom, version: ExchangeModelVersion) throws(ExchangeSchemaError)
        -> ExchangeModel
    {
        let file = directory.appendingPathComponent(stream.schemaFileName(version: version))
        let bytes: Data
        do {
            bytes = try Data(contentsOf: file)
        } catch {
            throw ExchangeSchemaError(.fileMissing, stream: stream, version: version)
        }
        guard let document = try? JSONValue(parsing: bytes) else {
            throw ExchangeSchemaError(
                .schemaInvalid, stream: stream, version: version, compileError: SchemaCompileError(.invalidJSON, at: ""))
        }
        do {
            return ExchangeModel(
                stream: stream, version: version, schema: try JSONSchema(document), codeLists: CodeListValues.lists(in: document))
        } catch {
            throw ExchangeSchemaError(.schemaInvalid, stream: stream, version: version, compileError: error)
        }
    }

    /// Reads and compiles the newest schema of `stream` in the directory.
    public func latestModel(_ stream: ExchangeStroom) throws(ExchangeSchemaError) -> ExchangeModel {
        guard let version = try versions(of: stream).last else {
            throw ExchangeSchemaError(.noVersion, stream: stream, version: nil)
        }
        return try model(stream, version: version)
    }
}

/// Why an exchange schema could not be loaded.
public struct ExchangeSchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The schema directory cannot be listed.
        case directoryUnreadable = "directory_unreadable"
        /// There is no schema file for the stream at all.
        case noVersion = "no_version"
        /// There is no readable file for the stream and version.
        case fileMissing = "file_missing"
        /// The file is not a schema this validator can compile.
        case schemaInvalid = "schema_invalid"
    }

    /// What went wrong.
    public let code: Code
    /// The stream.
    public let stream: ExchangeStroom
    /// The version, when one was asked for.
    public let version: ExchangeModelVersion?
    /// Why the schema did not compile, for `schema_invalid`.
    public let compileError: SchemaCompileError?

    /// An error.
    public init(
        _ code: Code, stream: ExchangeStroom, version: ExchangeModelVersion?, compileError: SchemaCompileError? = nil
    ) {
        self.code = code
        self.stream = stream
        self.version = version
        self.compileError = compileError
    }

    public var description: String {
        let subject = version.map { stream.schemaFileName(version: $0) } ?? "the \(stream.key) schema"
        return switch code {
        case .directoryUnreadable: "the schema directory cannot be read (\(code.rawValue))"
        case .noVersion: "no schema file for \(stream.key) in the schema directory (\(code.rawValue))"
        case .fileMissing: "\(subject) is missing or unreadable (\(code.rawValue))"
        case .schemaInvalid: "\(subject): \(compileError?.description ?? "not a usable schema") (\(code.rawValue))"
        }
    }
}
