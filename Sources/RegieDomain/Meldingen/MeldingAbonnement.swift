import Foundation

/// How a subscription is reached.
public enum MeldingKanaal: String, Sendable, Hashable, CaseIterable, Codable {
    /// A functional mailbox, over SMTP.
    case email
    /// An endpoint that receives Standard Webhooks.
    case webhook
}

/// One party's subscription: where its meldingen go (a mailbox or a webhook endpoint) and
/// which soorten it wants. A party subscribes only to soorten that may reach its kind.
public struct MeldingAbonnement: Sendable, Hashable {
    /// Its id; also what a webhook's secret is derived from.
    public let id: UUID
    /// Whose it is.
    public let partij: MeldingPartij
    /// E-mail or webhook.
    public let kanaal: MeldingKanaal
    /// The mailbox or the endpoint's URL.
    public let adres: String
    /// The soorten it wants.
    public let soorten: Set<MeldingSoort>
    /// A note of the party's own (what the mailbox is for).
    public let omschrijving: String
    /// The version of the webhook secret (bumped by a rotation).
    public let geheimVersie: Int
    /// Until when the previous secret still signs, after a rotation.
    public let vorigGeheimGeldigTot: Date?
    public let aangemaaktOp: Date
    public let gewijzigdOp: Date
    /// When it was cancelled; nil while active.
    public let opgezegdOp: Date?

    public init(
        id: UUID, partij: MeldingPartij, kanaal: MeldingKanaal, adres: String, soorten: Set<MeldingSoort>, omschrijving: String,
        geheimVersie: Int, vorigGeheimGeldigTot: Date?, aangemaaktOp: Date, gewijzigdOp: Date, opgezegdOp: Date?
    ) {
        self.id = id
        self.partij = partij
        self.kanaal = kanaal
        self.adres = adres
        self.soorten = soorten
        self.omschrijving = omschrijving
        self.geheimVersie = geheimVersie
        self.vorigGeheimGeldigTot = vorigGeheimGeldigTot
        self.aangemaaktOp = aangemaaktOp
        self.gewijzigdOp = gewijzigdOp
        self.opgezegdOp = opgezegdOp
    }

    /// Whether it still receives.
    public var isActief: Bool { opgezegdOp == nil }
}

extension MeldingPartij {
    /// The party as the outbox keeps it: its kind and `projectteam`, a gemeentecode or a supplier id.
    public var opgeslagen: (soort: String, partij: String) {
        switch self {
        case .projectteam: ("projectteam", "projectteam")
        case .gemeente(let code): ("gemeente", code.rawValue)
        case .leverancier(let id): ("leverancier", id)
        }
    }

    /// A party read back from ``opgeslagen``.
    public init?(soort: String, partij: String) {
        switch soort {
        case "projectteam" where partij == "projectteam": self = .projectteam
        case "gemeente":
            guard let code = Gemeentecode(partij) else { return nil }
            self = .gemeente(code)
        case "leverancier" where !partij.isEmpty: self = .leverancier(partij)
        default: return nil
        }
    }
}
