import Foundation
import RegieStore
import Standardisation

/// The standardisation as the service runs it: the programme's reference data (shipped in
/// `Data/standaardisatie`) and the table the project team maintains (in the database), read
/// afresh for each use so that a change applies at once.
public struct StandardisationService: Sendable {
    let store: StandardisationStore
    let reference: ReferenceTable

    /// A service over `store`, with the reference data read from `directory`.
    public init(store: StandardisationStore, referenceDirectory directory: URL) throws {
        self.store = store
        reference = try ReferenceTable.load(directory: directory)
    }

    /// The standardiser of the table as it is now, and the table's version.
    public func current() async throws -> (standardiser: Standardiser, tabelversie: Int64) {
        let version = try await store.version()
        let maintained = try await store.entries().compactMap { entry in
            CodeList(rawValue: entry.lijst).map { MappingEntry(lijst: $0, tekst: entry.tekst, waarde: entry.waarde) }
        }
        return (Standardiser(reference: reference, maintained: maintained), version)
    }
}
