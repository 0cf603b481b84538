import DDASSignature

/// What became of a request, as the ledger counts it.
public enum RequestOutcome: Hashable, Sendable, CustomStringConvertible {
    /// A normal page was sent.
    case served
    /// A fault was injected.
    case fault(FaultKind)
    /// A token was issued.
    case tokenIssued
    /// The request was refused by the API's own rules with this status (400, 401, 404, 405, 422, ...).
    case refused(status: Int)

    public var description: String {
        switch self {
        case .served: "served"
        case .fault(let kind): "fault:\(kind.rawValue)"
        case .tokenIssued: "token-issued"
        case .refused(let status): "refused:\(status)"
        }
    }
}

/// The endpoint a request went to.
public enum SimulatorEndpoint: String, Hashable, Sendable {
    /// `POST {base}/gegevens`.
    case gegevens
    /// `POST {base}/oauth/token`.
    case token
}

/// Counts requests per supplier, endpoint, gemeente, requested page and outcome, so a test can
/// assert, for instance, that a client asked page 2 exactly once.
public actor RequestLedger {
    /// What one count is kept for.
    public struct Key: Hashable, Sendable {
        /// The supplier service's name.
        public let supplier: String
        /// The endpoint.
        public let endpoint: SimulatorEndpoint
        /// The gemeente (four digits); nil when the request named none that the supplier knows.
        /// A request for an organisation of several gemeenten counts once for each.
        public let gemeentecode: String?
        /// The page asked for (1 when the request named none); nil for tokens and unreadable requests.
        public let page: Int?
        /// What became of it.
        public let outcome: RequestOutcome
        /// The signing profile of the request, when the service verified its signature and it passed.
        public let requestProfile: SigningProfile?
    }

    /// The counts at one moment.
    public struct Snapshot: Sendable {
        /// Every count kept.
        public let counts: [Key: Int]

        /// The number of requests that match every given criterion (nil: any).
        public func count(
            supplier: String? = nil, endpoint: SimulatorEndpoint? = .gegevens, gemeentecode: String? = nil, page: Int? = nil,
            outcome: RequestOutcome? = nil, requestProfile: SigningProfile? = nil
        ) -> Int {
            let code = gemeentecode.map { SimulatedGemeente.digits(of: $0) ?? $0 }
            return counts.reduce(0) { total, entry in
                let key = entry.key
                let matches =
                    (supplier == nil || key.supplier == supplier) && (endpoint == nil || key.endpoint == endpoint)
                    && (code == nil || key.gemeentecode == code) && (page == nil || key.page == page)
                    && (outcome == nil || key.outcome == outcome)
                    && (requestProfile == nil || key.requestProfile == requestProfile)
                return matches ? total + entry.value : total
            }
        }
    }

    private var counts: [Key: Int] = [:]

    /// An empty ledger.
    public init() {}

    /// The counts now.
    public func snapshot() -> Snapshot { Snapshot(counts: counts) }

    /// Forgets every count.
    public func reset() { counts.removeAll() }

    /// Counts one request (once per gemeente it names).
    func record(
        supplier: String, endpoint: SimulatorEndpoint, gemeenten: [String], page: Int?, outcome: RequestOutcome,
        requestProfile: SigningProfile? = nil
    ) {
        func key(_ code: String?) -> Key {
            Key(supplier: supplier, endpoint: endpoint, gemeentecode: code, page: page, outcome: outcome, requestProfile: requestProfile)
        }
        if gemeenten.isEmpty { counts[key(nil), default: 0] += 1 }
        for code in gemeenten { counts[key(code), default: 0] += 1 }
    }
}
