/// What the standardiser made of one text: the value to use and what decided it.
public struct StandardisedValue: Sendable, Hashable, Codable {
    /// The marker for a text that held nothing: empty, or only white space.
    public static let leeg = "LEEG"
    /// The marker for a text that no rule or table entry explains: a human must map it.
    public static let onbekend = "ONBEKEND"

    /// An official value of the list, or `LEEG` / `ONBEKEND`.
    public let waarde: String
    /// A stable id of what decided: `leeg`, `officieel`, `tabel`, `referentie`,
    /// `regel.<list>.<name>` or `onbekend`.
    public let regel: String

    /// A result; `waarde` is an official value or one of the two markers.
    public init(waarde: String, regel: String) {
        self.waarde = waarde
        self.regel = regel
    }

    /// Whether `waarde` is an official value (not `LEEG` nor `ONBEKEND`). The contactsoort
    /// value `Onbekend` is official: it differs from the marker `ONBEKEND` in case.
    public var isOfficial: Bool { waarde != Self.leeg && waarde != Self.onbekend }
}
