import Foundation

/// What CBS receives beside the pages of one delivery: which delivery, whose data, which
/// period, and a checksum per page. Counts and checksums only: no personal data.
public struct DeliveryManifest: Codable, Sendable, Equatable {
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
public protocol CBSSink: Sendable {
    /// Hands over every page of a delivery and its manifest; repeating it for the same delivery
    /// and pages changes nothing. Throws when CBS did not get all of it.
    func handOver(_ manifest: DeliveryManifest, pages: [StagedPage]) async throws
}
