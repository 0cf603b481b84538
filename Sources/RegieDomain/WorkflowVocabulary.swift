/// The two kinds of subject that go through an onboarding workflow (DESIGN.md §3).
public enum WorkflowSubject: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// A gemeente, from the register to regular deliveries (`Workflows/gemeente.yaml`).
    case gemeente
    /// A supplier service, per supplier and stream (`Workflows/leverancier.yaml`).
    case leverancier

    /// The name of the workflow file that defines this subject's workflow.
    public var fileName: String { "\(rawValue).yaml" }

    public var description: String { rawValue }
}

/// Who asks for a transition: one of the service's token roles, or the service itself.
///
/// `system` is not a token role. It stands for the service acting on an outcome it observed
/// (a delivery that succeeded, consent that became active or was revoked); a transition whose
/// only role is `system` is *automatic* and never set by hand.
public enum WorkflowRole: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The DDAS project team (Divosa, NVVK).
    case projectteam
    /// One gemeente, acting on itself.
    case gemeente
    /// One supplier, acting on its own services.
    case leverancier
    /// CBS or a scheduling system.
    case scheduler
    /// Operators.
    case admin
    /// The service itself, on a delivery outcome or a consent event.
    case system

    public var description: String { rawValue }
}

/// The record a transition rests on, which the service attaches to the transition's audit event.
///
/// A closed set, like the facts: a workflow file may name only these, and only those of its
/// own subject.
public enum WorkflowEvidence: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The DPIA sign-off: decision date, approving role, document reference and SHA-256.
    case dpia
    /// The consent record (DESIGN.md §4).
    case consent
    /// The test delivery that succeeded and conformed.
    case testDelivery = "test_delivery"
    /// A regular delivery that reached CBS.
    case delivery
    /// The version of the exchange specification the supplier reports it implements.
    case specVersion = "spec_version"
    /// The acceptance service the supplier published in RINIS's acc-digikoppeling group.
    case acceptanceService = "acceptance_service"
    /// The conformance pull against the acceptance service.
    case conformancePull = "conformance_pull"
    /// The PKIoverheid certificate of the production group membership.
    case productionCertificate = "production_certificate"
    /// The signed production contract with CBS.
    case productionContract = "production_contract"

    /// The subject whose workflow may name this evidence.
    public var subject: WorkflowSubject {
        switch self {
        case .dpia, .consent, .testDelivery, .delivery: .gemeente
        case .specVersion, .acceptanceService, .conformancePull, .productionCertificate, .productionContract: .leverancier
        }
    }

    public var description: String { rawValue }
}
