import NIOCore
import NIOSSL

/// How to reach a mail server: where, how the connection is secured, and who we are to it.
///
/// Credentials only ever travel over TLS; a connection without TLS is allowed to a server on
/// this machine only (a local relay), and then without credentials.
public struct SMTPConfiguration: Sendable {
    /// How the connection to the server is secured.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain TCP, then `STARTTLS` before anything else (port 587). The server must offer it.
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case implicitTLS = "tls"
        /// No TLS at all: only to a server on the loopback interface, and without credentials.
        case none
    }

    /// A user name and password for `AUTH` (`PLAIN`, or `LOGIN` where the server offers only that).
    public struct Credentials: Sendable {
        /// The user name.
        public let username: String
        /// The password, read from configuration by reference; never logged.
        public let password: String

        /// Credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// The server's host name or address.
    public let host: String
    /// The server's port.
    public let port: Int
    /// How the connection is secured.
    public let security: Security
    /// The credentials, when the server wants `AUTH`.
    public let credentials: Credentials?
    /// The name this client gives in `EHLO`.
    public let clientName: String
    /// The certificates trusted for the server's; nil trusts the system's roots.
    public let trustRoots: [NIOSSLCertificate]?
    /// The longest a whole conversation (connect to `QUIT`) may take.
    public let timeout: TimeAmount

    /// A configuration; see ``SMTPFailure`` `configuration` for what is refused.
    /// - Throws: ``SMTPFailure`` (`configuration`) when the port is out of range, credentials would
    ///   travel without TLS, or a connection without TLS would leave this machine.
    public init(
        host: String, port: Int, security: Security = .startTLS, credentials: Credentials? = nil,
        clientName: String = "ddas-regie.localhost", trustRoots: [NIOSSLCertificate]? = nil,
        timeout: TimeAmount = .seconds(60)
    ) throws(SMTPFailure) {
        guard (1...65_535).contains(port) else {
            throw SMTPFailure(.configuration, "the SMTP port \(port) is not between 1 and 65535")
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw SMTPFailure(.configuration, "the SMTP host is empty or holds white space")
        }
        guard SMTPCommand.isSafeArgument(clientName), !clientName.isEmpty, !clientName.contains(" ") else {
            throw SMTPFailure(.configuration, "the EHLO name is empty or holds white space or line breaks")
        }
        if security == .none {
            guard Self.isLoopback(host) else {
                throw SMTPFailure(.configuration, "SMTP without TLS is only allowed to a server on this machine, not \(host)")
            }
            guard credentials == nil else {
                throw SMTPFailure(.configuration, "SMTP credentials are only sent over TLS")
            }
        }
        guard timeout > .zero else { throw SMTPFailure(.configuration, "the SMTP timeout must be positive") }
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.clientName = clientName
        self.trustRoots = trustRoots
        self.timeout = timeout
    }

    /// Whether `host` names the loopback interface.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }
}

extension SMTPConfiguration {
    /// The TLS context: TLS 1.2 or later, the server's certificate verified against the
    /// configured roots (or the system's) and its name.
    func tlsContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let roots = trustRoots { tls.trustRoots = .certificates(roots) }
        return try NIOSSLContext(configuration: tls)
    }

    /// The name to verify the server's certificate for and send as SNI: nil for an IP address
    /// (then the certificate's IP address is checked).
    var serverHostname: String? {
        let isAddress = host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]" }
        return isAddress ? nil : host
    }
}

extension SMTPConfiguration {
    /// The certificates of a PEM file, to trust for the server's (a private CA).
    /// - Throws: ``SMTPFailure`` (`configuration`) when the file cannot be read as PEM certificates.
    public static func trustRoots(pemFile path: String) throws(SMTPFailure) -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(path)
            guard !certificates.isEmpty else { throw SMTPFailure(.configuration, "no certificate in \(path)") }
            return certificates
        } catch let failure as SMTPFailure {
            throw failure
        } catch {
            throw SMTPFailure(.configuration, "the certificates of \(path) cannot be read as PEM")
        }
    }
}
