/// What can go wrong with a `POST /gegevens`, as a client must be able to observe it.
public enum FaultKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// 500, problem+json.
    case serverError
    /// 502 with `Fsc-Error-Code: ERROR_CODE_SERVICE_UNREACHABLE` (the Inway cannot reach the service).
    case badGateway
    /// 503, problem+json, with `Retry-After` when `retryAfterSeconds` is set.
    case serviceUnavailable
    /// 429 with `Retry-After: <retryAfterSeconds>`.
    case tooManyRequests
    /// The normal answer, after waiting `delayMilliseconds` before the headers.
    case slowResponse
    /// Headers and part of the body, then nothing until the client gives up (or `stallLimitSeconds` pass).
    case stalledBody
    /// Part of the body, then the connection is closed although `Content-Length` promised more.
    case truncatedBody
    /// A `Digest` header that is not the digest of the body.
    case wrongDigest
    /// A signature header made over other bytes than the body.
    case badSignature
    /// Signed by the supplier's `untrusted` signer (a chain to a root the client does not trust).
    case untrustedChain
    /// Signed by the supplier's `expired` signer (an expired certificate).
    case expiredCertificate
    /// A page that breaks the JSON Schema in its first record (see `schemaViolation`).
    case schemaViolation
    /// A second `leveringen[]` item with another gemeente's data.
    case foreignLevering
    /// A `currentPage` other than the page served.
    case wrongCurrentPage
    /// 401 with an `Fsc-Error-Code` (default `ERROR_CODE_ACCESS_TOKEN_INVALID`) although the token is valid.
    case unauthorized
    /// 403 with an `Fsc-Error-Code` (default `ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN`).
    case forbidden
    /// 404 with an `Fsc-Error-Code` (default `ERROR_CODE_SERVICE_NOT_FOUND`).
    case notFound
    /// 401 `ERROR_CODE_ACCESS_TOKEN_EXPIRED` (domain `ERROR_DOMAIN_OUTWAY` unless `fscErrorDomain`
    /// says otherwise), and the token presented is expired from then on: a client that fetches
    /// a new token and asks again is served (give the rule a `limit` to end the fault).
    case accessTokenExpired
    /// 403 `ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN` (domain `ERROR_DOMAIN_INWAY`): the token is for
    /// another FSC group; asking again does not help.
    case wrongGroupID
    /// The normal page, with the `nlgov-adr-payload-sig` header sent twice (KP-APIs: invalid).
    case duplicateSignatureHeader
    /// Signed by the supplier's `wrongOIN` signer (a trusted chain, but a certificate with
    /// another OIN than the supplier's).
    case wrongOINSigner

    /// Whether this fault needs a particular signer on the supplier.
    var neededSigner: SignerRole? {
        switch self {
        case .untrustedChain: .untrusted
        case .expiredCertificate: .expired
        case .wrongOINSigner: .wrongOIN
        default: nil
        }
    }
}

/// The signers a supplier service can have besides its normal one.
public enum SignerRole: String, Hashable, Sendable, Codable {
    /// A signer whose chain ends in a root the client does not trust.
    case untrusted
    /// A signer whose certificate has expired.
    case expired
    /// A signer whose chain is trusted but whose certificate carries another OIN.
    case wrongOIN
}

/// One fault with its parameters; a parameter left nil takes its default.
public struct Fault: Hashable, Sendable, Codable {
    /// What goes wrong.
    public var kind: FaultKind
    /// `Retry-After` of `tooManyRequests` (default 30) and, when set, of `serviceUnavailable`.
    public var retryAfterSeconds: Int?
    /// Wait before the headers of `slowResponse` (default 2,000 ms).
    public var delayMilliseconds: Int?
    /// Longest wait of `stalledBody` before the server gives up itself (default 600 s).
    public var stallLimitSeconds: Int?
    /// Share of the body sent by `stalledBody` and `truncatedBody` (default 0.5).
    public var sentFraction: Double?
    /// How `schemaViolation` breaks the schema (default `missingRequiredField`).
    public var schemaViolation: SchemaViolation?
    /// The gemeente of `foreignLevering` (default: another gemeente of the supplier, else one made up).
    public var foreignGemeentecode: String?
    /// The `Fsc-Error-Code` of `unauthorized`, `forbidden` and `notFound`.
    public var fscErrorCode: String?
    /// The `domain` of the `FscError` body of `unauthorized`, `forbidden`, `notFound`,
    /// `accessTokenExpired` and `wrongGroupID` (default: Outway for `accessTokenExpired`, else Inway).
    public var fscErrorDomain: FscErrorDomain?

    /// A fault with default parameters.
    public init(_ kind: FaultKind) {
        self.kind = kind
    }

    /// 429 with `Retry-After: seconds`.
    public static func tooManyRequests(retryAfterSeconds seconds: Int) -> Fault {
        var fault = Fault(.tooManyRequests)
        fault.retryAfterSeconds = seconds
        return fault
    }

    /// The normal answer after `milliseconds`.
    public static func slowResponse(delayMilliseconds milliseconds: Int) -> Fault {
        var fault = Fault(.slowResponse)
        fault.delayMilliseconds = milliseconds
        return fault
    }

    /// A schema violation of the given kind.
    public static func schemaViolation(_ violation: SchemaViolation) -> Fault {
        var fault = Fault(.schemaViolation)
        fault.schemaViolation = violation
        return fault
    }

    /// Headers and `fraction` of the body, then silence for at most `limitSeconds`.
    public static func stalledBody(sentFraction fraction: Double = 0.5, stallLimitSeconds limitSeconds: Int = 600) -> Fault {
        var fault = Fault(.stalledBody)
        fault.sentFraction = fraction
        fault.stallLimitSeconds = limitSeconds
        return fault
    }
}

/// When a fault happens: which requests it matches, how often, and how many times at most.
///
/// In JSON the fault's fields and the rule's sit side by side:
/// `{"kind": "tooManyRequests", "retryAfterSeconds": 5, "gemeentecode": "0363", "limit": 2}`.
public struct FaultRule: Hashable, Sendable, Codable {
    /// The fault.
    public var fault: Fault
    /// The supplier service (its `name`) it applies to; nil: every service.
    public var supplier: String?
    /// The gemeente (`0363` or `GM0363`) whose requests it applies to (a request for an organisation
    /// of several gemeenten matches when one of them is this one); nil: every request.
    public var gemeentecode: String?
    /// The requested page it applies to; nil: every page.
    public var page: Int?
    /// Probability (0...1) that a matching request gets the fault; nil: every matching request.
    public var rate: Double?
    /// How many times the fault happens at most; nil: no limit. `limit: 2` gives
    /// "fails twice, then succeeds".
    public var limit: Int?

    /// A rule as given.
    public init(
        _ fault: Fault, supplier: String? = nil, gemeentecode: String? = nil, page: Int? = nil, rate: Double? = nil, limit: Int? = nil
    ) {
        self.fault = fault
        self.supplier = supplier
        self.gemeentecode = gemeentecode
        self.page = page
        self.rate = rate
        self.limit = limit
    }

    private enum CodingKeys: String, CodingKey {
        case supplier, gemeentecode, page, rate, limit
    }

    public init(from decoder: any Decoder) throws {
        fault = try Fault(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        supplier = try container.decodeIfPresent(String.self, forKey: .supplier)
        gemeentecode = try container.decodeIfPresent(String.self, forKey: .gemeentecode)
        page = try container.decodeIfPresent(Int.self, forKey: .page)
        rate = try container.decodeIfPresent(Double.self, forKey: .rate)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
    }

    public func encode(to encoder: any Encoder) throws {
        try fault.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(supplier, forKey: .supplier)
        try container.encodeIfPresent(gemeentecode, forKey: .gemeentecode)
        try container.encodeIfPresent(page, forKey: .page)
        try container.encodeIfPresent(rate, forKey: .rate)
        try container.encodeIfPresent(limit, forKey: .limit)
    }
}
