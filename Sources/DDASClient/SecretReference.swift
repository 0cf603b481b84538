import Foundation

/// A secret named in configuration, never written in it: `env:NAME` reads an environment
/// variable, `file:/path` a file (a mounted secret; one trailing newline is dropped).
public struct SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// Where the secret comes from.
    public enum Source: Sendable, Equatable {
        case environment(String)
        case file(String)
    }

    public let source: Source

    /// Parses `env:NAME` or `file:/path`; anything else is refused, so a secret pasted into the
    /// file is noticed instead of used.
    public init(_ text: String) throws(ExchangeConfigurationError) {
        if text.hasPrefix("env:"), text.count > 4 {
            source = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:"), text.count > 5 {
            source = .file(String(text.dropFirst(5)))
        } else {
            throw .secretNotReferenced
        }
    }

    /// The same reference with a relative `file:` path taken from `folder` (as every other
    /// path of the exchange configuration is), so the service finds it wherever it started.
    public func relative(to folder: URL) -> SecretReference {
        guard case .file(let path) = source, !path.hasPrefix("/") else { return self }
        return SecretReference(source: .file(folder.appendingPathComponent(path).standardizedFileURL.path))
    }

    private init(source: Source) {
        self.source = source
    }

    /// The secret's value; fails naming the variable or file (the path tried), never the value.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ExchangeConfigurationError) -> String {
        switch source {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else { throw .secretUnavailable(description) }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), var value = String(data: data, encoding: .utf8) else {
                throw .secretUnavailable(description)
            }
            if value.hasSuffix("\n") { value.removeLast() }
            guard !value.isEmpty else { throw .secretUnavailable(description) }
            return value
        }
    }

    /// Where the secret is, for messages: `env:NAME` or `file:/path`.
    public var description: String {
        switch source {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }
}

/// What is wrong with the exchange configuration; messages name the setting, never a secret.
public enum ExchangeConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case invalid(setting: String, reason: String)
    case secretNotReferenced
    case secretUnavailable(String)
    case duplicateService(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "the exchange configuration \(path) cannot be read"
        case .invalid(let setting, let reason): "\(setting): \(reason)"
        case .secretNotReferenced: "a secret must be given as env:NAME or file:/path, not as its value"
        case .secretUnavailable(let reference): "the secret \(reference) is not available"
        case .duplicateService(let service): "the supplier service \(service) is configured twice"
        }
    }
}
