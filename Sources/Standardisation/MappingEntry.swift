/// An entry of the table the project team maintains: this text, in this list, means this value.
/// The main app stores these in the database; here they are plain values.
public struct MappingEntry: Sendable, Hashable, Codable {
    /// The code list the text belongs to.
    public let lijst: CodeList
    /// The free text as registered (it is compared after ``TextNormalisation/normalise(_:)``).
    public let tekst: String
    /// An official value of `lijst`, or `ONBEKEND` (see ``CodeList/accepts(_:)``).
    public let waarde: String

    /// An entry.
    public init(lijst: CodeList, tekst: String, waarde: String) {
        self.lijst = lijst
        self.tekst = tekst
        self.waarde = waarde
    }
}
