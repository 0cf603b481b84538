/// The members the semantic checks read, by position in ``table``: per page, the tape's key
/// ids are mapped to these once (``JSONTape/keyMap(for:)``), and a record's walk switches on
/// integers. Keys match by code points, as a lookup by key does.
enum CheckField: Int, CaseIterable {
    case leveringen, vroegsignalen, vroegsignaalzaken, schuldhulptrajecten
    case id, status, bedrag, ontstaansdatum, signaaldatum, signaalpartner, type, client, crisissignaal
    case burgerservicenummer, postcode, huisnummer, geboortedatum
    case resultaat, matchingsdatum, datumOpgepakt, startdatumMatchingperiode, einddatumMatchingperiode, contactpogingen
    case soort, dagdeel, datum
    case totaalSchuldbedragBijAanvangSchuld, startdatum, einddatum, begeleiding, uitstroom, schulden, oplossing, intake
    case vtlb, reden, schuldsoort, beschikkingssoort
    case shvBurgerservicenummer, shvPostcode, shvHuisnummer, shvGeboortedatum

    /// The member's name in the exchange.
    var name: String {
        switch self {
        case .id: "ID"
        case .shvBurgerservicenummer: "Burgerservicenummer"
        case .shvPostcode: "Postcode"
        case .shvHuisnummer: "Huisnummer"
        case .shvGeboortedatum: "Geboortedatum"
        default: "\(self)"
        }
    }

    /// Every name, by position.
    static let table = JSONKeyTable(allCases.map(\.name))
}

/// The fields of one page's tape as the checks know them.
struct PageFields {
    /// Per tape key id: the ``CheckField``'s position.
    let map: JSONKeyMap
    /// Per tape key id: whether its name holds `datum` (see ``LeveringKwaliteitAnalysis/namesADate(_:)``).
    let datesByKey: [Bool]

    init(_ tape: JSONTape) {
        map = tape.keyMap(for: CheckField.table)
        datesByKey = tape.keys.names.map(LeveringKwaliteitAnalysis.namesADate)
    }

    /// The field a member is, if the checks read it.
    @inline(__always)
    func field(_ member: JSONTapeMember) -> CheckField? { map[member.key].flatMap(CheckField.init(rawValue:)) }

    /// Whether a member's name holds `datum`.
    @inline(__always)
    func namesADate(_ member: JSONTapeMember) -> Bool {
        let index = Int(member.key.rawValue)
        return index >= 0 && index < datesByKey.count && datesByKey[index]
    }
}

extension JSONTapeValue {
    /// Whether this is an array.
    var isArray: Bool { tokenKind == .array }

    /// Whether this is a string.
    var isString: Bool { tokenKind == .string }

    /// The calendar date this string writes, if any.
    var calendarDate: CalendarDate? { withUTF8 { CalendarDate($0) } ?? nil }
}

/// The elements of an array on a tape; none when `value` is nil or not an array.
func elementList(_ value: JSONTapeValue?) -> [JSONTapeValue] {
    guard let value else { return [] }
    var list: [JSONTapeValue] = []
    for element in value.elements { list.append(element) }
    return list
}
