import Foundation
import Postgres
import RegieDomain

/// A data stream of DDAS: vroegsignalering or schuldhulpverlening.
public enum Stroom: String, Sendable, Hashable, CaseIterable, Codable {
    case vs = "VS"
    case shv = "SHV"
}

/// A gemeente's supplier for one stream, from `van` until `tot` (nil: current).
public struct LeverancierAssignment: Sendable, Equatable {
    public let stroom: Stroom
    public let leverancierID: String
    /// The organisation name the supplier knows the gemeente by (`aanleverende_organisatie`).
    public let organisatienaam: String
    public let van: Date
    public let tot: Date?
}

/// A DPIA sign-off.
public struct DPIARecord: Sendable, Equatable {
    public let id: UUID
    public let besluitdatum: PostgresDate
    public let goedkeurendeRol: String
    public let documentreferentie: String
    public let documentSHA256: String
    public let vastgelegdDoor: String
    public let vastgelegdOp: Date
}

/// A consent record for one gemeente, supplier and stream.
public struct ToestemmingRecord: Sendable, Equatable {
    public let id: UUID
    /// The decision several per-stream records share.
    public let besluitID: UUID
    public let gemeente: Gemeentecode
    public let leverancierID: String
    public let stroom: Stroom
    public let besluitdatum: PostgresDate
    public let besluitvormendOrgaan: String
    public let documentreferentie: String
    public let documentSHA256: String
    public let geldigVan: PostgresDate
    public let geldigTot: PostgresDate?
    public let vastgelegdDoor: String
    public let vastgelegdOp: Date
    public let ingetrokkenOp: Date?
    public let ingetrokkenDoor: String?
    public let intrekkingsreden: String?

    /// Active on `day`: not revoked, inside its validity window.
    public func isActive(on day: PostgresDate) -> Bool {
        ingetrokkenOp == nil && geldigVan <= day && (geldigTot.map { day <= $0 } ?? true)
    }
}

/// Where a gemeente stands, with the records behind it.
public struct GemeenteStatus: Sendable {
    public let gemeente: Gemeente
    public let fase: String
    public let faseSinds: Date
    /// Bumped by every change; the API's ETag.
    public let versie: Int
    public let leveranciers: [LeverancierAssignment]
    public let dpia: DPIARecord?
    public let toestemmingen: [ToestemmingRecord]
}

/// A supplier and its services.
public struct Leverancier: Sendable, Equatable {
    public let id: String
    public let naam: String
    public let diensten: [LeverancierDienst]
}

/// One supplier service (a stream) and where it stands.
public struct LeverancierDienst: Sendable, Equatable {
    public let stroom: Stroom
    public let fase: String
    public let faseSinds: Date
    public let versie: Int
    /// What the supplier or the project team reported, by fact: spec version, service name, ...
    public let bewijs: [String: String]
}

/// Why an onboarding change was refused; the API maps each case to a status in one place.
public enum OnboardingError: Error, Sendable, Equatable {
    case gemeenteNotFound(Gemeentecode)
    case supplierNotFound(String)
    case serviceNotFound(String, Stroom)
    case consentNotFound(UUID)
    case alreadyRevoked(UUID)
    /// Consent for a supplier that is not the gemeente's current one for the stream.
    case notCurrentSupplier(stroom: Stroom, current: String?)
    /// An open consent record exists for this gemeente, supplier and stream.
    case consentExists(stroom: Stroom, id: UUID?)
    /// `If-Match` named another version.
    case versionMismatch(current: Int)
    /// The workflow refused the move.
    case workflow(WorkflowRefusal)
}

/// The day of a time in Europe/Amsterdam, the calendar DDAS's dates are in.
public func amsterdamDay(_ date: Date) -> PostgresDate {
    let parts = amsterdamCalendar.dateComponents([.year, .month, .day], from: date)
    return PostgresDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
}

/// The Gregorian calendar in Europe/Amsterdam, built once: reports ask for thousands of days.
private let amsterdamCalendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
    return calendar
}()
