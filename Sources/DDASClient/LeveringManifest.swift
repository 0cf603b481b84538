import Foundation

/// What CBS receives beside the pages of one delivery: which delivery, whose data, which
/// period, and a checksum per page. Counts and checksums only: no personal data.
public struct LeveringManifest: Codable, Sendable, Equatable {
    /// One page as handed over.
    public struct Page: Codable, Sendable, Equatable {
        public let pagina: Int
        public let records: Int
        public let bytes: Int
        public let sha256: String
        /// The supplier's `Digest` header of the page.
        public let digest: String
        /// The page's file name (directory sink) or path under the intake (HTTP sink).
        public let bestand: String
    }

    public let leveringID: UUID
    public let gemeentecode: String
    public let leverancier: String
    public let stroom: String
    public let periode: String
    public let periodeStart: String
    public let periodeEind: String
    public let doel: String
    public let paginas: [Page]
    public let totaalRecords: Int
    public let overgedragenOp: Date

    /// A manifest for `pages` of a delivery.
    public init(
        leveringID: UUID, gemeentecode: String, leverancier: String, stroom: String, periode: String, periodeStart: String,
        periodeEind: String,
        doel: String, pages: [StagedPage], overgedragenOp: Date
    ) {
        self.leveringID = leveringID
        self.gemeentecode = gemeentecode
        self.leverancier = leverancier
        self.stroom = stroom
        self.periode = periode
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.doel = doel
        self.paginas = pages.map {
            Page(
                pagina: $0.number, records: $0.records, bytes: $0.bytes, sha256: $0.sha256, digest: $0.digestHeader,
                bestand: String(format: "pagina-%04d.json", $0.number))
        }
        self.totaalRecords = pages.reduce(0) { $0 + $1.records }
        self.overgedragenOp = overgedragenOp
    }

    /// The manifest as stable JSON (sorted keys, ISO 8601 dates).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

/// Where pages that passed every check go: CBS.
///
/// A hand-over has three steps, so that no database transaction is held across the upload:
/// `stage` sends the pages (CBS counts nothing without a manifest), the caller records the
/// hand-over in its database, then `commit` sends the manifest, which completes the
/// delivery at CBS. When the caller decides not to hand over after all (consent was revoked
/// in between), `discard` removes what was staged. Every step is idempotent: repeating it
/// for the same delivery changes nothing.
public protocol CBSSink: Sendable {
    /// Sends every page of a delivery; throws when CBS did not get all of them.
    func stage(_ manifest: LeveringManifest, pages: [StagedPage]) async throws
    /// Sends the manifest (`LeveringManifest.encoded()`), completing the delivery at CBS.
    func commit(levering: UUID, manifest: Data) async throws
    /// Removes a staged delivery that will not be committed; best effort, never a delivery
    /// with a manifest.
    func discard(levering: UUID) async
}

extension CBSSink {
    /// All three steps at once, for a caller with nothing to record in between.
    public func handOver(_ manifest: LeveringManifest, pages: [StagedPage]) async throws {
        try await stage(manifest, pages: pages)
        try await commit(levering: manifest.leveringID, manifest: try manifest.encoded())
    }
}
