import Foundation
import Postgres
import RegieDomain

extension OnboardingStore {
    /// What a DPIA sign-off records.
    public struct DPIAInput: Sendable {
        public let besluitdatum: PostgresDate
        public let goedkeurendeRol: String
        public let documentreferentie: String
        public let documentSHA256: String

        public init(besluitdatum: PostgresDate, goedkeurendeRol: String, documentreferentie: String, documentSHA256: String) {
            self.besluitdatum = besluitdatum
            self.goedkeurendeRol = goedkeurendeRol
            self.documentreferentie = documentreferentie
            self.documentSHA256 = documentSHA256
        }
    }

    /// Records a DPIA sign-off and, from `aangemeld`, moves the gemeente to `dpia_akkoord`
    /// with the caller's role.
    public func recordDPIA(
        _ code: Gemeentecode, _ input: DPIAInput, role: WorkflowRole, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> UUID {
        try await pool.withTransaction { connection in
            let state = try await gemeenten.lock(code, expectedVersion: expectedVersion, on: connection)
            let id = try await dpia.insert(input, gemeente: code, by: actor.actor, now: now, on: connection)
            try await audit.append(
                actor.event(
                    "dpia.recorded", objectType: "gemeente", objectID: code.rawValue,
                    after: [
                        "id": id.uuidString.lowercased(), "besluitdatum": input.besluitdatum.description,
                        "goedkeurende_rol": input.goedkeurendeRol,
                        "documentreferentie": input.documentreferentie, "document_sha256": input.documentSHA256,
                    ], at: now), on: connection)
            if state.fase == workflows.gemeente.initial {
                let facts = try await gemeenteFacts(code, now: now, on: connection)
                let request = WorkflowRequest(current: state.fase, target: "dpia_akkoord", role: role, facts: facts, reason: nil, now: now)
                switch gemeenteEngine.decide(request) {
                case .success(let decision): try await applyGemeenteMove(code, decision, actor: actor, on: connection)
                case .failure(let refusal): throw OnboardingError.workflow(refusal)
                }
            } else {
                try await gemeenten.touch(code, on: connection)
            }
            try await reconcileGemeente(code, now: now, on: connection)
            return id
        }
    }

    /// What a consent decision records; one record per stream is made from it.
    public struct ToestemmingInput: Sendable {
        public let leverancierID: String
        public let stromen: [Stroom]
        public let besluitdatum: PostgresDate
        public let besluitvormendOrgaan: String
        public let documentreferentie: String
        public let documentSHA256: String
        public let geldigVan: PostgresDate
        public let geldigTot: PostgresDate?

        public init(
            leverancierID: String, stromen: [Stroom], besluitdatum: PostgresDate, besluitvormendOrgaan: String, documentreferentie: String,
            documentSHA256: String, geldigVan: PostgresDate, geldigTot: PostgresDate?
        ) {
            self.leverancierID = leverancierID
            self.stromen = stromen
            self.besluitdatum = besluitdatum
            self.besluitvormendOrgaan = besluitvormendOrgaan
            self.documentreferentie = documentreferentie
            self.documentSHA256 = documentSHA256
            self.geldigVan = geldigVan
            self.geldigTot = geldigTot
        }
    }

    /// Gives consent to the gemeente's current supplier for each stream. Refused for a
    /// supplier that is not current, and while an open record exists (the unique index
    /// decides between concurrent requests). A record whose validity ended is closed first.
    /// Returns the new records.
    public func giveConsent(
        _ code: Gemeentecode, _ input: ToestemmingInput, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> [ToestemmingRecord] {
        try await give(code, input, actor: actor, expectedVersion: expectedVersion, now: now).toestemmingen
    }

    /// Gives consent as ``giveConsent(_:_:actor:expectedVersion:now:)`` does; returns the
    /// gemeente as the change left it, with only the new records: a write reads no more of the
    /// gemeente's consent history than it changes.
    public func give(
        _ code: Gemeentecode, _ input: ToestemmingInput, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> GemeenteStatus {
        try await pool.withTransaction { connection in
            // The one lock of the change, which also makes its new version.
            let state = try await gemeenten.lockForChange(code, expectedVersion: expectedVersion, on: connection)
            let current = try await leveranciers.current(code, on: connection)
            if input.stromen.contains(where: { current[$0] != input.leverancierID }),
                try await diensten.supplierExists(input.leverancierID, on: connection) == false
            {
                throw OnboardingError.supplierNotFound(input.leverancierID)
            }
            let besluit = UUID()
            var ids: [UUID] = []
            for stroom in input.stromen {
                guard current[stroom] == input.leverancierID else {
                    throw OnboardingError.notCurrentSupplier(stroom: stroom, current: current[stroom])
                }
                // A record whose validity has ended no longer holds a place.
                if let open = try await toestemmingen.closeExpiredAndFindOpen(
                    code, leverancierID: input.leverancierID, stroom: stroom, now: now, on: connection)
                {
                    throw OnboardingError.consentExists(stroom: stroom, id: open)
                }
                let id = try await toestemmingen.insert(
                    input, stroom: stroom, besluit: besluit, gemeente: code, by: actor.actor, now: now, on: connection)
                ids.append(id)
                try await audit.append(
                    actor.event(
                        "toestemming.gegeven", objectType: "gemeente", objectID: code.rawValue,
                        after: [
                            "id": id.uuidString.lowercased(), "leverancier": input.leverancierID, "stroom": stroom.rawValue,
                            "besluitdatum": input.besluitdatum.description, "besluitvormend_orgaan": input.besluitvormendOrgaan,
                            "documentreferentie": input.documentreferentie, "document_sha256": input.documentSHA256,
                            "geldig_van": input.geldigVan.description, "geldig_tot": input.geldigTot?.description ?? "",
                        ], at: now), on: connection)
            }
            try await reconcileGemeente(code, fase: state.fase, now: now, on: connection)
            return try await changedState(code, consents: try await toestemmingen.records(ids, on: connection), on: connection)
        }
    }

    /// Revokes a consent record (once, with a reason), announced as `toestemming.ingetrokken`
    /// in the same transaction. A gemeente whose consent counted and no longer does moves to
    /// `toestemming_ingetrokken`. Returns the revoked record.
    public func revokeConsent(
        _ code: Gemeentecode, consent id: UUID, reason: String, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> ToestemmingRecord {
        let state = try await revoke(code, consent: id, reason: reason, actor: actor, expectedVersion: expectedVersion, now: now)
        guard let record = state.toestemmingen.first else { throw OnboardingError.consentNotFound(id) }
        return record
    }

    /// Revokes a consent record as ``revokeConsent(_:consent:reason:actor:expectedVersion:now:)``
    /// does; returns the gemeente as the change left it, with only the revoked record.
    public func revoke(
        _ code: Gemeentecode, consent id: UUID, reason: String, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> GemeenteStatus {
        try await pool.withTransaction { connection in
            let state = try await gemeenten.lockForChange(code, expectedVersion: expectedVersion, on: connection)
            guard let record = try await toestemmingen.record(id, gemeente: code, on: connection) else {
                throw OnboardingError.consentNotFound(id)
            }
            guard record.ingetrokkenOp == nil else { throw OnboardingError.alreadyRevoked(id) }
            let revoked = try await toestemmingen.revoke(id, by: actor.actor, reason: reason, now: now, on: connection) ?? record
            try await MeldingEmitter.toestemmingIngetrokken(revoked, now: now, on: connection)
            try await LeveringQueue.cancelQueued(
                gemeente: code, leverancierID: record.leverancierID, stroom: record.stroom, reason: "consent revoked", now: now,
                on: connection)
            try await audit.append(
                actor.event(
                    "toestemming.ingetrokken", objectType: "gemeente", objectID: code.rawValue,
                    before: ["id": id.uuidString.lowercased(), "ingetrokken": "nee"], after: ["ingetrokken": "ja", "reden": reason], at: now
                ),
                on: connection)
            try await reconcileGemeente(code, revoked: true, fase: state.fase, now: now, on: connection)
            return try await changedState(code, consents: [revoked], on: connection)
        }
    }

    /// The gemeente as a change left it, read in the change's transaction, with `consents` as
    /// its consent records.
    func changedState(_ code: Gemeentecode, consents: [ToestemmingRecord], on connection: PostgresConnection) async throws
        -> GemeenteStatus
    {
        guard let row = try await gemeenten.gemeente(code, on: connection) else { throw OnboardingError.gemeenteNotFound(code) }
        return GemeenteStatus(
            gemeente: row.gemeente, fase: row.fase, faseSinds: row.faseSinds, versie: row.versie,
            leveranciers: try await leveranciers.assignments(code, on: connection), dpia: try await dpia.latest(code, on: connection),
            toestemmingen: consents)
    }

    /// Makes `leverancierID` the gemeente's supplier for a stream (closing the previous
    /// assignment). Consent to the old supplier stops counting at once, and the gemeente
    /// goes back to the phase its evidence supports.
    public func assignSupplier(
        _ code: Gemeentecode, stroom: Stroom, leverancierID: String, organisatienaam: String, actor: AuditActor, expectedVersion: Int?,
        now: Date = Date()
    ) async throws {
        try await pool.withTransaction { connection in
            _ = try await gemeenten.lock(code, expectedVersion: expectedVersion, on: connection)
            guard try await diensten.exists(leverancierID, stroom: stroom, on: connection) else {
                throw OnboardingError.serviceNotFound(leverancierID, stroom)
            }
            let previous = try await leveranciers.close(code, stroom: stroom, now: now, on: connection)
            if let previousSupplier = previous?.leverancierID, previousSupplier != leverancierID {
                try await LeveringQueue.cancelQueued(
                    gemeente: code, leverancierID: previousSupplier, stroom: stroom, reason: "the gemeente switched supplier", now: now,
                    on: connection)
            }
            try await leveranciers.assign(
                code, stroom: stroom, leverancierID: leverancierID, organisatienaam: organisatienaam, by: actor.actor, now: now,
                on: connection)
            try await audit.append(
                actor.event(
                    "gemeente.leverancier", objectType: "gemeente", objectID: code.rawValue,
                    before: previous.map {
                        ["stroom": stroom.rawValue, "leverancier": $0.leverancierID, "organisatienaam": $0.organisatienaam]
                    },
                    after: ["stroom": stroom.rawValue, "leverancier": leverancierID, "organisatienaam": organisatienaam], at: now),
                on: connection)
            try await gemeenten.touch(code, on: connection)
            try await reconcileGemeente(code, now: now, on: connection)
        }
    }

    /// A move asked for by a person (suspend, block, reopen, correct), decided by the engine.
    public func moveGemeente(
        _ code: Gemeentecode, to target: String, reason: String?, role: WorkflowRole, actor: AuditActor, expectedVersion: Int?,
        now: Date = Date()
    ) async throws {
        try await pool.withTransaction { connection in
            let state = try await gemeenten.lock(code, expectedVersion: expectedVersion, on: connection)
            let facts = try await gemeenteFacts(code, now: now, on: connection)
            let request = WorkflowRequest(current: state.fase, target: target, role: role, facts: facts, reason: reason, now: now)
            switch gemeenteEngine.decide(request) {
            case .success(let decision): try await applyGemeenteMove(code, decision, actor: actor, on: connection)
            case .failure(let refusal): throw OnboardingError.workflow(refusal)
            }
        }
    }
}
