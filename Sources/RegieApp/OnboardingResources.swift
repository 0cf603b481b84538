import Foundation
import Postgres
import RegieDomain
import RegieStore

/// A gemeente with where it stands, as `GET /v1/gemeenten/{code}` and every change show it.
struct GemeenteDetail: Encodable {
    let gemeentecode: String
    let naam: String
    let provinciecode: String
    let provincie: String
    let arbeidsmarktregio: String
    let actief: Bool
    let fase: String
    let faseSinds: Date
    let versie: Int
    let leveranciers: [LeverancierResource]
    let dpiaAkkoord: DPIAResource?
    let toestemmingen: [ToestemmingResource]

    init(_ state: GemeenteStatus, today: PostgresDate = amsterdamDay(Date())) {
        gemeentecode = state.gemeente.code.rawValue
        naam = state.gemeente.name
        provinciecode = state.gemeente.provinceCode
        provincie = state.gemeente.province
        arbeidsmarktregio = state.gemeente.arbeidsmarktregio
        actief = state.gemeente.isActive
        fase = state.fase
        faseSinds = state.faseSinds
        versie = state.versie
        leveranciers = state.leveranciers.map(LeverancierResource.init)
        dpiaAkkoord = state.dpia.map(DPIAResource.init)
        toestemmingen = state.toestemmingen.map { ToestemmingResource($0, today: today) }
    }
}

struct LeverancierResource: Encodable {
    let stroom: String
    let leverancier: String
    let organisatienaam: String
    let van: Date
    let tot: Date?
    let huidig: Bool

    init(_ assignment: LeverancierAssignment) {
        stroom = assignment.stroom.rawValue
        leverancier = assignment.leverancierID
        organisatienaam = assignment.organisatienaam
        van = assignment.van
        tot = assignment.tot
        huidig = assignment.tot == nil
    }
}

struct DPIAResource: Encodable {
    let id: String
    let besluitdatum: String
    let goedkeurendeRol: String
    let documentreferentie: String
    let documentSha256: String
    let vastgelegdOp: Date

    init(_ record: DPIARecord) {
        id = record.id.uuidString.lowercased()
        besluitdatum = record.besluitdatum.description
        goedkeurendeRol = record.goedkeurendeRol
        documentreferentie = record.documentreferentie
        documentSha256 = record.documentSHA256
        vastgelegdOp = record.vastgelegdOp
    }
}

struct ToestemmingResource: Encodable {
    let id: String
    let besluitId: String
    let leverancier: String
    let stroom: String
    let besluitdatum: String
    let besluitvormendOrgaan: String
    let documentreferentie: String
    let documentSha256: String
    let geldigVan: String
    let geldigTot: String?
    let vastgelegdDoor: String
    let vastgelegdOp: Date
    let ingetrokkenOp: Date?
    let intrekkingsreden: String?
    /// Active today: not revoked and inside its validity window.
    let actief: Bool

    init(_ record: ToestemmingRecord, today: PostgresDate) {
        id = record.id.uuidString.lowercased()
        besluitId = record.besluitID.uuidString.lowercased()
        leverancier = record.leverancierID
        stroom = record.stroom.rawValue
        besluitdatum = record.besluitdatum.description
        besluitvormendOrgaan = record.besluitvormendOrgaan
        documentreferentie = record.documentreferentie
        documentSha256 = record.documentSHA256
        geldigVan = record.geldigVan.description
        geldigTot = record.geldigTot?.description
        vastgelegdDoor = record.vastgelegdDoor
        vastgelegdOp = record.vastgelegdOp
        ingetrokkenOp = record.ingetrokkenOp
        intrekkingsreden = record.intrekkingsreden
        actief = record.isActive(on: today)
    }
}
