/// Something the service can establish about a subject now, from its records; the guards of a
/// workflow file name these.
///
/// The set is closed: a guard naming anything else stops the service at start. Each fact
/// belongs to one subject. The service computes the facts that hold when it asks the engine
/// for a transition; the engine only compares.
public enum WorkflowFact: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// A DPIA sign-off of the gemeente is recorded (decision date, approving role, document
    /// reference and SHA-256).
    case dpiaRecorded = "dpia_recorded"
    /// The gemeente has consent that is active now for its current supplier; consent for a
    /// supplier it left no longer counts.
    case consentActive = "consent_active"
    /// The gemeente's current supplier service is in `cbs_test_geslaagd` or a later phase,
    /// and not in a side state.
    case supplierAtLeastCbsTestGeslaagd = "supplier_at_least_cbs_test_geslaagd"
    /// A test delivery for the gemeente from its current supplier succeeded and conformed.
    case testDeliverySucceeded = "test_delivery_succeeded"
    /// A regular delivery for the gemeente reached CBS.
    case regularDeliverySucceeded = "regular_delivery_succeeded"
    /// The gemeente's regular deliveries arrive on schedule.
    case deliveriesOnSchedule = "deliveries_on_schedule"
    /// The gemeente's current supplier service is `actief`, and not in a side state.
    case supplierActief = "supplier_actief"

    /// The supplier reported the version of the exchange specification it implements.
    case specVersionReported = "spec_version_reported"
    /// The supplier joined the acc-digikoppeling group and published its acceptance service.
    case acceptanceServicePublished = "acceptance_service_published"
    /// A conformance pull against the acceptance service passed: connection, signature,
    /// schema, pagination.
    case conformancePullPassed = "conformance_pull_passed"
    /// The supplier's PKIoverheid certificate in the production group is registered.
    case productionCertificateRegistered = "production_certificate_registered"
    /// The production service is published and the contract with CBS is signed.
    case productionContractSigned = "production_contract_signed"
    /// Production pulls from the supplier service run.
    case pullsRunning = "pulls_running"

    /// The subject this fact is about; a workflow may only guard on facts of its own subject.
    public var subject: WorkflowSubject {
        switch self {
        case .dpiaRecorded, .consentActive, .supplierAtLeastCbsTestGeslaagd, .testDeliverySucceeded,
            .regularDeliverySucceeded, .deliveriesOnSchedule, .supplierActief:
            .gemeente
        case .specVersionReported, .acceptanceServicePublished, .conformancePullPassed,
            .productionCertificateRegistered, .productionContractSigned, .pullsRunning:
            .leverancier
        }
    }

    /// The fact as a clause for a refusal: "… requires that <summary>".
    public var summary: String {
        switch self {
        case .dpiaRecorded: "the DPIA sign-off is recorded"
        case .consentActive: "consent for the current supplier is active"
        case .supplierAtLeastCbsTestGeslaagd: "the supplier service has passed the CBS test (cbs_test_geslaagd)"
        case .testDeliverySucceeded: "a test delivery succeeded"
        case .regularDeliverySucceeded: "a regular delivery reached CBS"
        case .deliveriesOnSchedule: "deliveries run on schedule"
        case .supplierActief: "the supplier service is actief"
        case .specVersionReported: "the implemented spec version is reported"
        case .acceptanceServicePublished: "the acceptance service is published"
        case .conformancePullPassed: "a conformance pull passed"
        case .productionCertificateRegistered: "the production certificate is registered"
        case .productionContractSigned: "the production contract is signed"
        case .pullsRunning: "production pulls run"
        }
    }

    /// The facts a workflow of `subject` may guard on, in declaration order.
    public static func facts(of subject: WorkflowSubject) -> [WorkflowFact] {
        allCases.filter { $0.subject == subject }
    }

    public var description: String { rawValue }
}
