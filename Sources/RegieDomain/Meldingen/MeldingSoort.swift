/// What a notification (melding) is about: a stable code that subscriptions name, a Dutch
/// description for the README and the subscription API, and the kinds of party it may reach.
///
/// A melding carries counts, codes, gemeente names and links only: never a BSN or any value from
/// a delivered payload (see ``MeldingFeiten``).
public enum MeldingSoort: String, Sendable, Hashable, CaseIterable, Codable {
    /// A levering ended `opgegeven` after its last attempt or a final failure.
    case leveringOpgegeven = "levering.opgegeven"
    /// A levering was `geannuleerd` because its consent no longer holds (revoked, lapsed, another supplier).
    case leveringGeannuleerd = "levering.geannuleerd"
    /// A supplier service failed N attempts in a row (N from `Workflows/leveringen.yaml`).
    case leverancierStoring = "leverancier.storing"
    /// A supplier service had no successful pull for D days (D from `Workflows/leveringen.yaml`).
    case leverancierStil = "leverancier.stil"
    /// A gemeente became overdue for a milestone of the plan; once per milestone.
    case gemeenteAchterstand = "gemeente.achterstand"
    /// A consent's `geldigTot` is within 30 days.
    case toestemmingVerloopt = "toestemming.verloopt"
    /// A consent lapsed (its `geldigTot` passed).
    case toestemmingVerlopen = "toestemming.verlopen"
    /// A consent was revoked.
    case toestemmingIngetrokken = "toestemming.ingetrokken"
    /// An op-orde-rapport is above its stream's threshold.
    case opOrdeRapportBovenDrempel = "oporderapport.boven_drempel"
    /// The project team's daily digest: what changed in the last day and what is overdue.
    case dagoverzicht = "overzicht.dag"

    /// What the melding means, in Dutch.
    public var omschrijving: String {
        switch self {
        case .leveringOpgegeven: "Een levering is opgegeven: alle pogingen zijn gedaan of de fout is definitief."
        case .leveringGeannuleerd: "Een levering is geannuleerd omdat de toestemming niet meer geldt."
        case .leverancierStoring: "De DDAS-koppeling van een leverancier faalt bij opeenvolgende pogingen."
        case .leverancierStil: "Een leverancier heeft al dagen geen geslaagde levering gehad."
        case .gemeenteAchterstand: "Een gemeente loopt achter op een mijlpaal van de planning."
        case .toestemmingVerloopt: "Een toestemming verloopt binnen 30 dagen."
        case .toestemmingVerlopen: "Een toestemming is verlopen."
        case .toestemmingIngetrokken: "Een toestemming is ingetrokken."
        case .opOrdeRapportBovenDrempel: "Een op-orde-rapport ligt boven de foutdrempel van de stroom."
        case .dagoverzicht: "Het dagelijkse overzicht voor het projectteam: wat er de afgelopen dag veranderde en wat achterloopt."
        }
    }

    /// The kinds of party this melding may reach (the project team always among them but for
    /// the op-orde-rapport, which concerns the gemeente and its supplier only).
    public var partijen: Set<MeldingPartij.Soort> {
        switch self {
        case .leveringOpgegeven: [.gemeente, .leverancier, .projectteam]
        case .leveringGeannuleerd, .toestemmingIngetrokken: [.leverancier, .projectteam]
        case .leverancierStoring, .leverancierStil: [.leverancier, .projectteam]
        case .gemeenteAchterstand, .toestemmingVerloopt, .toestemmingVerlopen: [.gemeente, .projectteam]
        case .opOrdeRapportBovenDrempel: [.gemeente, .leverancier]
        case .dagoverzicht: [.projectteam]
        }
    }
}

/// Who a melding may reach: the project team, one gemeente, or one supplier.
public enum MeldingPartij: Sendable, Hashable, Codable {
    /// The DDAS project team.
    case projectteam
    /// One gemeente, by its gemeentecode.
    case gemeente(Gemeentecode)
    /// One supplier, by its identifier.
    case leverancier(String)

    /// The kind of a party.
    public enum Soort: String, Sendable, Hashable, CaseIterable, Codable {
        case projectteam, gemeente, leverancier
    }

    /// This party's kind.
    public var soort: Soort {
        switch self {
        case .projectteam: .projectteam
        case .gemeente: .gemeente
        case .leverancier: .leverancier
        }
    }
}
