import Crypto
import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore

/// The demonstration `serve --demo` seeds, so a new user sees the programme's whole life
/// without any set-up: both suppliers' services of both streams (VS and SHV) at the acceptance
/// stage, and the 342 gemeenten spread over the phases (some registered only, some with a
/// DPIA, most with consent, which makes the scheduler queue their test pulls), each step on
/// its day of the plan (``DemoHistorie``); about half of them have their schuldhulpverlening
/// in the demonstration too, and consent to it with the same decision. What deliveries prove
/// follows from real pulls at start (``DemoGeschiedenis``). Every record it makes says
/// `DEMONSTRATIE` in its document reference and is made by the actor `demonstratie`; without
/// `--demo` nothing of this exists. Seeding happens once per database.
public struct DemoSeed: Sendable {
    /// Who the demonstration's records are by.
    public static let actor = AuditActor(actor: "demonstratie", role: "system", origin: "system", requestID: nil)
    /// The marker in every document reference.
    public static let marker = "DEMONSTRATIE"

    /// The suppliers of the demonstration, with the share of gemeenten each serves.
    static let suppliers = [("xxllnc", 58), ("bkr", 42)]

    let onboarding: OnboardingStore
    let auditTrail: AuditTrail
    let logger: Logger

    /// The seed of the database behind `stores`.
    public init(stores: RegieStores, logger: Logger) {
        self.onboarding = stores.onboarding
        self.auditTrail = stores.auditTrail
        self.logger = logger
    }

    /// Where a gemeente ends up in the demonstration.
    enum Stage: Equatable {
        case registered, dpia, consent
    }

    /// The supplier and stage of a gemeente: spread by a hash of its code, so the same on every run.
    static func plan(_ code: Gemeentecode) -> (leverancier: String, stage: Stage) {
        let digest = Array(SHA256.hash(data: Data("demonstratie-\(code.rawValue)".utf8)))
        let supplier = Int(digest[0]) % 100 < suppliers[0].1 ? suppliers[0].0 : suppliers[1].0
        let draw = Int(digest[1]) % 100
        return (supplier, draw < 12 ? .registered : draw < 30 ? .dpia : .consent)
    }

    /// Whether a gemeente's schuldhulpverlening (SHV) is in the demonstration, with the same
    /// supplier as its vroegsignalering: about half of them, the same on every run.
    static func offersSHV(_ code: Gemeentecode) -> Bool {
        Int(Array(SHA256.hash(data: Data("demonstratie-\(code.rawValue)".utf8)))[2]) % 100 < 50
    }

    /// The streams of a gemeente in the demonstration.
    static func streams(_ code: Gemeentecode) -> [Stroom] { offersSHV(code) ? [.vs, .shv] : [.vs] }

    /// The acceptance service a supplier publishes for a stream, as the specification names it.
    static func acceptanceService(_ leverancier: String, _ stroom: Stroom) -> String {
        "DDAS-\(stroom == .vs ? "vroegsignalering" : "schuldhulpverlening")-ophaal-\(leverancier) (\(marker))"
    }

    /// Seeds, unless this database was seeded before; returns whether it seeded.
    ///
    /// The onboarding is seeded as a history along the programme's plan, each step on its own
    /// day (``DemoHistorie``): the register and the suppliers in april 2025, the suppliers' APIs
    /// in june, their acceptance services in october, DPIAs from september to november, consent
    /// from december 2025 to january 2026; one gemeente's consent was revoked in february and
    /// given again in march. What deliveries prove (a conformance pull, the first regular
    /// delivery) is left to real pulls at start (``DemoGeschiedenis``).
    @discardableResult
    public func seedIfNeeded(register: GemeentenRegister, now: Date = Date()) async throws -> Bool {
        guard try await !auditTrail.hasEvents(by: Self.actor.actor) else { return false }
        let history = DemoHistorie(now: now)
        for (leverancier, _) in Self.suppliers {
            // The exchange models' versions: VS 1.2, SHV 1.0.
            for (stroom, versie) in [(Stroom.vs, "1.2"), (.shv, "1.0")] {
                try await onboarding.moveSupplierService(
                    leverancier, stroom: stroom, to: "api_gebouwd", evidence: ["specificatieVersie": versie], reason: nil,
                    role: .leverancier, actor: Self.actor, expectedVersion: nil, now: history.apiGebouwd)
                try await onboarding.moveSupplierService(
                    leverancier, stroom: stroom, to: "fsc_acceptatie",
                    evidence: ["acceptatieDienst": Self.acceptanceService(leverancier, stroom)],
                    reason: nil, role: .leverancier, actor: Self.actor, expectedVersion: nil, now: history.acceptatie)
            }
        }
        let revoked = DemoRollen(register: register).ingetrokken
        var counts: [String: Int] = [:]
        for gemeente in register.gemeenten {
            let (leverancier, stage) = Self.plan(gemeente.code)
            for stroom in Self.streams(gemeente.code) {
                try await onboarding.assignSupplier(
                    gemeente.code, stroom: stroom, leverancierID: leverancier, organisatienaam: Self.organisationName(gemeente),
                    actor: Self.actor, expectedVersion: nil, now: history.register)
            }
            if stage != .registered {
                let day = history.dpia(gemeente.code)
                _ = try await onboarding.recordDPIA(
                    gemeente.code,
                    .init(
                        besluitdatum: amsterdamDay(day), goedkeurendeRol: "functionaris gegevensbescherming",
                        documentreferentie: "\(Self.marker)-DPIA-\(gemeente.code.rawValue)", documentSHA256: Self.documentHash),
                    role: .gemeente, actor: Self.actor, expectedVersion: nil, now: day)
            }
            if stage == .consent {
                let day = gemeente.code == revoked ? history.eersteToestemming : history.toestemming(gemeente.code)
                let given = try await consent(gemeente, leverancier, on: day, besluit: "BESLUIT")
                if gemeente.code == revoked, let first = given.first {
                    _ = try await onboarding.revoke(
                        gemeente.code, consent: first.id, reason: "het college trok het besluit in; een nieuw besluit volgt",
                        actor: Self.actor,
                        expectedVersion: nil, now: history.intrekking)
                    _ = try await consent(gemeente, leverancier, on: history.nieuweToestemming, besluit: "BESLUIT-2")
                }
            }
            counts["\(stage)", default: 0] += 1
        }
        logger.notice(
            "demonstration seeded: every record says \(Self.marker)",
            metadata: ["gemeenten": "\(register.gemeenten.count)", "stages": "\(counts.sorted { $0.key < $1.key })"])
        return true
    }

    /// The hash of the demonstration's documents (there are none: the marker's).
    static let documentHash = SHA256.hash(data: Data(marker.utf8)).map { String(format: "%02x", $0) }.joined()

    /// Consent of `gemeente` to `leverancier` for its streams, decided and valid from `day`.
    func consent(_ gemeente: Gemeente, _ leverancier: String, on day: Date, besluit: String) async throws -> [ToestemmingRecord] {
        try await onboarding.giveConsent(
            gemeente.code,
            .init(
                leverancierID: leverancier, stromen: Self.streams(gemeente.code), besluitdatum: amsterdamDay(day),
                besluitvormendOrgaan: "college van B&W",
                documentreferentie: "\(Self.marker)-\(besluit)-\(gemeente.code.rawValue)", documentSHA256: Self.documentHash,
                geldigVan: amsterdamDay(day), geldigTot: nil), actor: Self.actor, expectedVersion: nil, now: day)
    }

    /// The name the simulated supplier knows a gemeente by.
    public static func organisationName(_ gemeente: Gemeente) -> String {
        "Gemeente \(gemeente.name)"
    }
}
