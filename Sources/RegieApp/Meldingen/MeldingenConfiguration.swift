import DDASClient
import Foundation
import SMTPClient
import Yams

/// How meldingen are sent, from a YAML file (`--meldingen-config`, see the README): the
/// service's public address for links, its key (a secret by reference: `env:` or `file:`), the
/// mail server and sender, the digest's time, and how the dispatcher works. Without it,
/// meldingen are recorded in the outbox but not sent.
public struct MeldingenConfiguration: Sendable {
    /// The SMTP server.
    public struct SMTP: Sendable {
        public var host: String
        public var port: Int
        public var beveiliging: SMTPConfiguration.Security
        public var gebruiker: String?
        public var wachtwoord: SecretReference?
        /// A PEM file of the CA that signed the server's certificate; nil: the system's roots.
        public var caBestand: String?
        public var timeoutSeconden: Int
    }

    /// Where the mails go.
    public enum Mail: Sendable {
        /// A mail server.
        case smtp(SMTP)
        /// `.eml` files in a folder (the demonstration).
        case map(String)
    }

    /// The service's public address (`https://regie.ddas.nl`), for links.
    public var publiekAdres: String
    /// The service's key for webhook secrets and unsubscribe links.
    public var sleutel: SecretReference
    /// The sender's mailbox and display name.
    public var afzender: String
    public var afzenderNaam: String?
    /// Where mails go; nil: no mail (e-mail subscriptions wait, then fail).
    public var mail: Mail?
    /// The digest's time, Europe/Amsterdam (`07:30`); nil: no digest.
    public var dagoverzicht: Dagoverzicht.Tijdstip?
    /// The dispatcher's settings.
    public var tegelijk: Int
    public var leaseSeconden: Int
    public var pollSeconden: Int

    public init(
        publiekAdres: String, sleutel: SecretReference, afzender: String, afzenderNaam: String? = nil, mail: Mail?,
        dagoverzicht: Dagoverzicht.Tijdstip? = nil, tegelijk: Int = 4, leaseSeconden: Int = 180, pollSeconden: Int = 15
    ) {
        self.publiekAdres = publiekAdres
        self.sleutel = sleutel
        self.afzender = afzender
        self.afzenderNaam = afzenderNaam
        self.mail = mail
        self.dagoverzicht = dagoverzicht
        self.tegelijk = tegelijk
        self.leaseSeconden = leaseSeconden
        self.pollSeconden = pollSeconden
    }

    /// Reads and checks a YAML file; relative paths in it are taken from the file's folder.
    public static func load(path: String) throws -> MeldingenConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ExchangeConfigurationError.unreadable(path)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let file: MeldingenFile
        do {
            file = try YAMLDecoder().decode(MeldingenFile.self, from: text)
        } catch {
            throw ExchangeConfigurationError.invalid(
                setting: path, reason: "not a valid meldingen configuration (\(ExchangeConfiguration.shape(of: error)))")
        }
        return try file.configuration(relativeTo: folder, path: path)
    }

    /// The key, read from its reference: the base64 of at least 32 bytes.
    public func resolvedSleutel(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MeldingSleutel {
        let text = try sleutel.resolve(environment: environment).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), let key = MeldingSleutel(bytes: bytes) else {
            throw ExchangeConfigurationError.invalid(
                setting: "sleutel", reason: "the key \(sleutel) is not the base64 of at least 32 bytes (openssl rand -base64 32)")
        }
        return key
    }

    /// Where mails go, ready to send: the SMTP client (credentials read from their reference) or the folder.
    public func mailBestemming(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MailBestemming? {
        switch mail {
        case nil: return nil
        case .map(let folder): return .map(URL(fileURLWithPath: folder), afzender: afzender)
        case .smtp(let smtp):
            let credentials = try smtp.gebruiker.map { user in
                guard let wachtwoord = smtp.wachtwoord else {
                    throw ExchangeConfigurationError.invalid(setting: "email.smtp.wachtwoord", reason: "a user needs a password")
                }
                return SMTPConfiguration.Credentials(username: user, password: try wachtwoord.resolve(environment: environment))
            }
            let configuration = try SMTPConfiguration(
                host: smtp.host, port: smtp.port, security: smtp.beveiliging, credentials: credentials,
                clientName: MeldingMail.domein(afzender),
                trustRoots: try smtp.caBestand.map { try SMTPConfiguration.trustRoots(pemFile: $0) },
                timeout: .seconds(Int64(smtp.timeoutSeconden)))
            return .smtp(SMTPClient(configuration: configuration), afzender: afzender, afzenderNaam: afzenderNaam)
        }
    }
}

/// The YAML shape of ``MeldingenConfiguration``.
struct MeldingenFile: Decodable {
    struct SMTP: Decodable {
        let host: String
        let port: Int?
        let beveiliging: String?
        let gebruiker: String?
        let wachtwoord: String?
        let ca_bestand: String?
        let timeout_seconden: Int?
    }

    struct Email: Decodable {
        let afzender: String
        let afzender_naam: String?
        let smtp: SMTP?
        let map: String?
    }

    struct Verzending: Decodable {
        let tegelijk: Int?
        let lease_seconden: Int?
        let poll_seconden: Int?
    }

    let publiek_adres: String
    let sleutel: String
    let email: Email?
    let dagoverzicht: String?
    let verzending: Verzending?

    func configuration(relativeTo folder: URL, path: String) throws -> MeldingenConfiguration {
        func invalid(_ setting: String, _ reason: String) -> ExchangeConfigurationError {
            .invalid(setting: "\(path): \(setting)", reason: reason)
        }
        func local(_ value: String) -> String { value.hasPrefix("/") ? value : folder.appendingPathComponent(value).path }
        guard let address = URL(string: publiek_adres), ["https", "http"].contains(address.scheme ?? ""), address.host != nil else {
            throw invalid("publiek_adres", "must be the service's http(s) address")
        }
        var mail: MeldingenConfiguration.Mail?
        if let email {
            guard email.afzender.range(of: #"^[^@\s<>]+@[^@\s<>]+$"#, options: .regularExpression) != nil else {
                throw invalid("email.afzender", "must be a plain mailbox")
            }
            switch (email.smtp, email.map) {
            case (let smtp?, nil):
                let security: SMTPConfiguration.Security
                switch smtp.beveiliging ?? "starttls" {
                case "starttls": security = .startTLS
                case "tls": security = .implicitTLS
                case "geen": security = .none
                default: throw invalid("email.smtp.beveiliging", "must be starttls, tls or geen")
                }
                let port = smtp.port ?? (security == .implicitTLS ? 465 : 587)
                guard (1...65_535).contains(port) else { throw invalid("email.smtp.port", "must be between 1 and 65535") }
                let timeout = smtp.timeout_seconden ?? 60
                guard (1...600).contains(timeout) else { throw invalid("email.smtp.timeout_seconden", "must be between 1 and 600") }
                mail = .smtp(
                    .init(
                        host: smtp.host, port: port, beveiliging: security, gebruiker: smtp.gebruiker,
                        wachtwoord: try smtp.wachtwoord.map { try SecretReference($0).relative(to: folder) },
                        caBestand: smtp.ca_bestand.map(local), timeoutSeconden: timeout))
            case (nil, let map?): mail = .map(local(map))
            default: throw invalid("email", "give either smtp or map")
            }
        }
        let tijdstip = try dagoverzicht.map { text in
            guard let tijdstip = Dagoverzicht.Tijdstip(text) else { throw invalid("dagoverzicht", "must be a time HH:MM") }
            return tijdstip
        }
        let tegelijk = verzending?.tegelijk ?? 4
        let lease = verzending?.lease_seconden ?? 180
        let poll = verzending?.poll_seconden ?? 15
        guard (1...64).contains(tegelijk) else { throw invalid("verzending.tegelijk", "must be between 1 and 64") }
        guard (1...3600).contains(lease) else { throw invalid("verzending.lease_seconden", "must be between 1 and 3600") }
        guard (1...3600).contains(poll) else { throw invalid("verzending.poll_seconden", "must be between 1 and 3600") }
        // A lease shorter than a send may take would let another replica send the message again:
        // longer than the SMTP timeout and than a webhook's 15 seconds.
        var longestSend = 15
        if case .smtp(let smtp)? = mail { longestSend = max(longestSend, smtp.timeoutSeconden) }
        guard lease > longestSend else {
            throw invalid("verzending.lease_seconden", "must be longer than a send may take (\(longestSend) seconds)")
        }
        return MeldingenConfiguration(
            publiekAdres: publiek_adres, sleutel: try SecretReference(sleutel).relative(to: folder),
            afzender: email?.afzender ?? "meldingen@ddas-regie.localhost",
            afzenderNaam: email?.afzender_naam, mail: mail, dagoverzicht: tijdstip, tegelijk: tegelijk, leaseSeconden: lease,
            pollSeconden: poll)
    }
}

extension AppDependencies {
    /// Takes the key and the public address of `meldingen`: subscriptions can then show a
    /// webhook's secret, and links point at the service.
    public mutating func configure(_ meldingen: MeldingenConfiguration) throws {
        meldingSleutel = try meldingen.resolvedSleutel()
        publiekAdres = meldingen.publiekAdres
    }
}
