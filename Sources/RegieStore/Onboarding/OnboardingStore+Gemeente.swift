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
            let state = try await lockGemeente(code, expectedVersion: expectedVersion, on: connection)
            let id = UUID()
            try await connection.execute(
                """
                INSERT INTO dpia_akkoorden (id, gemeente_code, besluitdatum, goedkeurende_rol, documentreferentie, document_sha256,
                                            vastgelegd_door, vastgelegd_op)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """,
                [
                    id, code.rawValue, input.besluitdatum, input.goedkeurendeRol, input.documentreferentie, input.documentSHA256,
                    actor.actor, now,
                ])
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
                try await touchGemeente(code, on: connection)
            }
            try await reconcileGemeente(code, now: now, on: connection)
            return id
        }
    }

    /// What a consent decision records; one record per stream is made from it.
    public struct ConsentInput: Sendable {
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
    public func giveConsent(
        _ code: Gemeentecode, _ input: ConsentInput, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> [ConsentRecord] {
        try await pool.withTransaction { connection in
            _ = try await lockGemeente(code, expectedVersion: expectedVersion, on: connection)
            guard try await connection.query("SELECT 1 FROM leveranciers WHERE id = $1", [input.leverancierID]).count == 1 else {
                throw OnboardingError.supplierNotFound(input.leverancierID)
            }
            let besluit = UUID()
            var ids: [UUID] = []
            for stroom in input.stromen {
                let current = try await connection.query(
                    "SELECT leverancier_id FROM gemeente_leveranciers WHERE gemeente_code = $1 AND stroom = $2 AND tot IS NULL",
                    [code.rawValue, stroom.rawValue]
                ).first?.decode("leverancier_id", as: String.self)
                guard current == input.leverancierID else { throw OnboardingError.notCurrentSupplier(stroom: stroom, current: current) }
                // A record whose validity has ended no longer holds a place.
                try await connection.execute(
                    """
                    UPDATE toestemmingen SET ingetrokken_op = $4, ingetrokken_door = 'system', intrekkingsreden = 'geldigheid verlopen'
                    WHERE gemeente_code = $1 AND leverancier_id = $2 AND stroom = $3 AND ingetrokken_op IS NULL AND geldig_tot < $5
                    """, [code.rawValue, input.leverancierID, stroom.rawValue, now, amsterdamDay(now)])
                if let open = try await connection.query(
                    "SELECT id FROM toestemmingen WHERE gemeente_code = $1 AND leverancier_id = $2 AND stroom = $3 AND ingetrokken_op IS NULL",
                    [code.rawValue, input.leverancierID, stroom.rawValue]
                ).first {
                    throw OnboardingError.consentExists(stroom: stroom, id: try open.decode("id", as: UUID.self))
                }
                let id = UUID()
                do {
                    try await connection.execute(
                        """
                        INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                                   documentreferentie, document_sha256, geldig_van, geldig_tot, vastgelegd_door, vastgelegd_op)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                        """,
                        [
                            id, besluit, code.rawValue, input.leverancierID, stroom.rawValue, input.besluitdatum,
                            input.besluitvormendOrgaan,
                            input.documentreferentie, input.documentSHA256, input.geldigVan, input.geldigTot, actor.actor, now,
                        ])
                } catch let error as PostgresError where error.isUniqueViolation {
                    // A concurrent request registered one first (the row lock makes this rare).
                    throw OnboardingError.consentExists(stroom: stroom, id: nil)
                }
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
            try await touchGemeente(code, on: connection)
            try await reconcileGemeente(code, now: now, on: connection)
            return try await consents(code, on: connection).filter { ids.contains($0.id) }
        }
    }

    /// Revokes a consent record (once, with a reason). A gemeente whose consent counted and
    /// no longer does moves to `toestemming_ingetrokken`.
    public func revokeConsent(
        _ code: Gemeentecode, consent id: UUID, reason: String, actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws -> ConsentRecord {
        try await pool.withTransaction { connection in
            _ = try await lockGemeente(code, expectedVersion: expectedVersion, on: connection)
            guard let record = try await consents(code, on: connection).first(where: { $0.id == id }) else {
                throw OnboardingError.consentNotFound(id)
            }
            guard record.ingetrokkenOp == nil else { throw OnboardingError.alreadyRevoked(id) }
            try await connection.execute(
                "UPDATE toestemmingen SET ingetrokken_op = $2, ingetrokken_door = $3, intrekkingsreden = $4 WHERE id = $1",
                [id, now, actor.actor, reason])
            try await DeliveryQueue.cancelQueued(
                gemeente: code, leverancierID: record.leverancierID, stroom: record.stroom, reason: "consent revoked", now: now,
                on: connection)
            try await audit.append(
                actor.event(
                    "toestemming.ingetrokken", objectType: "gemeente", objectID: code.rawValue,
                    before: ["id": id.uuidString.lowercased(), "ingetrokken": "nee"], after: ["ingetrokken": "ja", "reden": reason], at: now
                ),
                on: connection)
            try await touchGemeente(code, on: connection)
            try await reconcileGemeente(code, revoked: true, now: now, on: connection)
            return try await consents(code, on: connection).first { $0.id == id } ?? record
        }
    }

    /// Makes `leverancierID` the gemeente's supplier for a stream (closing the previous
    /// assignment). Consent to the old supplier stops counting at once, and the gemeente
    /// goes back to the phase its evidence supports.
    public func assignSupplier(
        _ code: Gemeentecode, stroom: Stroom, leverancierID: String, organisatienaam: String, actor: AuditActor, expectedVersion: Int?,
        now: Date = Date()
    ) async throws {
        try await pool.withTransaction { connection in
            _ = try await lockGemeente(code, expectedVersion: expectedVersion, on: connection)
            guard
                try await connection.query(
                    "SELECT 1 FROM leverancier_diensten WHERE leverancier_id = $1 AND stroom = $2", [leverancierID, stroom.rawValue]
                ).count == 1
            else { throw OnboardingError.serviceNotFound(leverancierID, stroom) }
            let previous = try await connection.query(
                "UPDATE gemeente_leveranciers SET tot = $3 WHERE gemeente_code = $1 AND stroom = $2 AND tot IS NULL RETURNING leverancier_id, organisatienaam",
                [code.rawValue, stroom.rawValue, now]
            ).first
            if let previousSupplier = try previous?.decode("leverancier_id", as: String.self), previousSupplier != leverancierID {
                try await DeliveryQueue.cancelQueued(
                    gemeente: code, leverancierID: previousSupplier, stroom: stroom, reason: "the gemeente switched supplier", now: now,
                    on: connection)
            }
            try await connection.execute(
                """
                INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [UUID(), code.rawValue, stroom.rawValue, leverancierID, organisatienaam, now, actor.actor])
            try await audit.append(
                actor.event(
                    "gemeente.leverancier", objectType: "gemeente", objectID: code.rawValue,
                    before: try previous.map {
                        [
                            "stroom": stroom.rawValue, "leverancier": try $0.decode("leverancier_id"),
                            "organisatienaam": try $0.decode("organisatienaam"),
                        ]
                    },
                    after: ["stroom": stroom.rawValue, "leverancier": leverancierID, "organisatienaam": organisatienaam], at: now),
                on: connection)
            try await touchGemeente(code, on: connection)
            try await reconcileGemeente(code, now: now, on: connection)
        }
    }

    /// A move asked for by a person (suspend, block, reopen, correct), decided by the engine.
    public func moveGemeente(
        _ code: Gemeentecode, to target: String, reason: String?, role: WorkflowRole, actor: AuditActor, expectedVersion: Int?,
        now: Date = Date()
    ) async throws {
        try await pool.withTransaction { connection in
            let state = try await lockGemeente(code, expectedVersion: expectedVersion, on: connection)
            let facts = try await gemeenteFacts(code, now: now, on: connection)
            let request = WorkflowRequest(current: state.fase, target: target, role: role, facts: facts, reason: reason, now: now)
            switch gemeenteEngine.decide(request) {
            case .success(let decision): try await applyGemeenteMove(code, decision, actor: actor, on: connection)
            case .failure(let refusal): throw OnboardingError.workflow(refusal)
            }
        }
    }
}
