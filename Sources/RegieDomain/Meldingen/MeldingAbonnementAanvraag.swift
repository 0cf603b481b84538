import Foundation

/// What a party asks for when it subscribes (or changes a subscription), checked as a whole:
/// every problem is reported at once, each with the field it is about, and a request is made
/// only when it has none.
///
/// - `kanaal`: `email` or `webhook`.
/// - `adres`: for e-mail a plain mailbox (``isMailbox(_:)``); for a webhook an absolute URL,
///   `https`, or `http` only to this machine (``isWebhookURL(_:)``).
/// - `soorten`: 1 to ``maximumSoorten`` known codes, none twice, each one that may reach the
///   party's kind (``MeldingSoort/partijen``): a gemeente cannot ask for `leverancier.storing`,
///   only the project team for `overzicht.dag`.
/// - `omschrijving`: at most ``maximumOmschrijving`` characters.
///
/// A reason never repeats the value it is about: what a caller sent is not echoed.
public struct MeldingAbonnementAanvraag: Sendable, Hashable {
    /// E-mail or webhook.
    public let kanaal: MeldingKanaal
    /// The mailbox or the endpoint's URL, as sent.
    public let adres: String
    /// The soorten wanted.
    public let soorten: Set<MeldingSoort>
    /// The party's own note.
    public let omschrijving: String

    /// One invalid field and why.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The field, as the caller names it: `adres`, `soorten[2]`.
        public let field: String
        /// What is wrong, in words a client developer understands.
        public let reason: String
        public var description: String { "\(field) \(reason)" }

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// Every problem of a refused request.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "; ") }

        public init(problems: [Problem]) {
            self.problems = problems
        }
    }

    /// The most soorten one subscription names (the table's bound).
    public static let maximumSoorten = 32
    /// The longest mailbox (RFC 5321's path limit less its angle brackets).
    public static let maximumMailbox = 254
    /// The longest webhook URL.
    public static let maximumURL = 2000
    /// The longest note.
    public static let maximumOmschrijving = 200
    /// The hosts a webhook may reach over plain `http`.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "localhost"]

    /// The request of a party of kind `partij` from the fields as sent (nil: absent); throws
    /// ``Invalid``. Without `partij` (the party itself was invalid) the soorten are checked but
    /// for whom they reach, and the request is never made.
    public init(kanaal: String?, adres: String?, soorten: [String]?, omschrijving: String?, partij: MeldingPartij.Soort?) throws {
        var problems: [Problem] = []
        let parsedKanaal = kanaal.flatMap(MeldingKanaal.init(rawValue:))
        if parsedKanaal == nil {
            problems.append(
                Problem(field: "kanaal", reason: "must be one of " + MeldingKanaal.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        if let adres {
            if let parsedKanaal, let reason = Self.adresProblem(adres, kanaal: parsedKanaal) {
                problems.append(Problem(field: "adres", reason: reason))
            }
        } else {
            problems.append(Problem(field: "adres", reason: "is required"))
        }
        let (wanted, soortProblems) = Self.soorten(soorten, partij: partij)
        problems += soortProblems
        if let omschrijving, omschrijving.count > Self.maximumOmschrijving {
            problems.append(Problem(field: "omschrijving", reason: "must be at most \(Self.maximumOmschrijving) characters"))
        }
        guard problems.isEmpty, partij != nil, let parsedKanaal, let adres else { throw Invalid(problems: problems) }
        self.kanaal = parsedKanaal
        self.adres = adres
        self.soorten = wanted
        self.omschrijving = omschrijving ?? ""
    }

    /// The request that changes `abonnement`: the fields sent (nil: unchanged) over its own;
    /// the channel stays. Throws ``Invalid``, naming only the fields of the change.
    public init(wijziging abonnement: MeldingAbonnement, adres: String?, soorten: [String]?, omschrijving: String?) throws {
        try self.init(
            kanaal: abonnement.kanaal.rawValue, adres: adres ?? abonnement.adres,
            soorten: soorten ?? abonnement.soorten.map(\.rawValue).sorted(), omschrijving: omschrijving ?? abonnement.omschrijving,
            partij: abonnement.partij.soort)
    }

    /// Why `adres` is not an address of `kanaal`; nil when it is one.
    public static func adresProblem(_ adres: String, kanaal: MeldingKanaal) -> String? {
        switch kanaal {
        case .email:
            isMailbox(adres)
                ? nil
                : "must be a plain mailbox local@domain of at most \(maximumMailbox) ASCII characters, without spaces or angle brackets"
        case .webhook:
            isWebhookURL(adres)
                ? nil
                : "must be an absolute https URL of at most \(maximumURL) characters (http only to 127.0.0.1, ::1 or localhost), "
                    + "without user name, password or fragment"
        }
    }

    /// The soorten of `codes` for a party of kind `partij`, with the problems of the list.
    static func soorten(_ codes: [String]?, partij: MeldingPartij.Soort?) -> (Set<MeldingSoort>, [Problem]) {
        guard let codes else { return ([], [Problem(field: "soorten", reason: "is required")]) }
        guard (1...maximumSoorten).contains(codes.count) else {
            return ([], [Problem(field: "soorten", reason: "must name 1 to \(maximumSoorten) soorten")])
        }
        var problems: [Problem] = []
        var wanted: Set<MeldingSoort> = []
        for (index, code) in codes.enumerated() {
            let field = "soorten[\(index)]"
            guard let soort = MeldingSoort(rawValue: code) else {
                problems.append(Problem(field: field, reason: "is not a soort; see GET /v1/meldingen/soorten"))
                continue
            }
            if let partij, !soort.partijen.contains(partij) {
                problems.append(Problem(field: field, reason: "does not reach a party of the kind \(partij.rawValue)"))
            }
            if !wanted.insert(soort).inserted {
                problems.append(Problem(field: field, reason: "is named twice"))
            }
        }
        return (wanted, problems)
    }

    /// Whether `text` is a plain mailbox: `local@domain` in ASCII, the local part a dot-atom
    /// (RFC 5322, no quoting), the domain dot-separated labels of letters, digits and hyphens.
    public static func isMailbox(_ text: String) -> Bool {
        guard (3...maximumMailbox).contains(text.utf8.count), text.allSatisfy(\.isASCII) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count) else { return false }
        let special = Set("!#$%&'*+-/=?^_`{|}~")
        let isAtom = { (atom: Substring) in !atom.isEmpty && atom.allSatisfy { $0.isLetter || $0.isNumber || special.contains($0) } }
        return parts[0].split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isAtom) && isHostName(parts[1])
    }

    /// Whether `text` is a host name: dot-separated labels of ASCII letters, digits and hyphens,
    /// none empty, none starting or ending with a hyphen, none longer than 63.
    static func isHostName(_ text: Substring) -> Bool {
        guard (1...253).contains(text.count) else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// Whether `text` is a URL a webhook may be sent to: absolute, `https` (or `http` to a
    /// loopback host), with a host, a port if any from 1 to 65535, no user or password, no
    /// fragment, printable ASCII only, at most ``maximumURL`` characters.
    public static func isWebhookURL(_ text: String) -> Bool {
        guard (1...maximumURL).contains(text.utf8.count),
            text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }), !text.contains("#"),
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = webhookHost(components), components.user == nil, components.password == nil,
            components.fragment == nil
        else { return false }
        // The authority must be exactly what URLComponents read: no `@` anywhere before the path.
        let authority = text.drop { $0 != ":" }.dropFirst(3).prefix { $0 != "/" && $0 != "?" }
        guard text.dropFirst(scheme.count).hasPrefix("://"), !authority.contains("@") else { return false }
        // A port, if any, is read from the text itself: 1 to 65535.
        let afterHost = authority.split(separator: "]", omittingEmptySubsequences: false).last ?? authority
        if authority.first != "[" && authority.filter({ $0 == ":" }).count > 1 { return false }
        if let colon = afterHost.lastIndex(of: ":") {
            let digits = afterHost[afterHost.index(after: colon)...]
            guard (1...5).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(digits),
                (1...65535).contains(port), components.port == port
            else { return false }
        }
        switch scheme {
        case "https": return true
        case "http": return loopbackHosts.contains(host)
        default: return false
        }
    }

    /// The host of a webhook URL, lower case, without the brackets of an IPv6 address; nil
    /// when there is none or it is not a host name or an IP address.
    static func webhookHost(_ components: URLComponents) -> String? {
        guard var host = components.percentEncodedHost?.lowercased(), !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.contains(":") {
            return host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } ? host : nil
        }
        return isHostName(Substring(host)) ? host : nil
    }
}

extension MeldingAbonnement {
    /// Where its address points, without who: the domain of a mailbox, the host of a URL
    /// (lower case). What the audit trail and the logs name instead of the address.
    public static func adresDomein(_ adres: String, kanaal: MeldingKanaal) -> String {
        switch kanaal {
        case .email:
            return adres.split(separator: "@").last.map { $0.lowercased() } ?? ""
        case .webhook:
            return URLComponents(string: adres).flatMap(MeldingAbonnementAanvraag.webhookHost) ?? ""
        }
    }

    /// Whether it still receives, or was cancelled.
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        /// It receives the soorten it names.
        case actief
        /// It was cancelled (``MeldingAbonnement/opgezegdOp``) and receives nothing.
        case opgezegd
    }

    /// Its status.
    public var status: Status { isActief ? .actief : .opgezegd }
}
