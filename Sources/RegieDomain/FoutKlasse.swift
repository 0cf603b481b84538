/// The class of a failed delivery attempt, as people read it.
///
/// The API's JSON keeps the stable code (`signature`, `foreignGemeente`, …) for programs;
/// the report, the pages and the CSV show its Dutch label (``LeveringFailure/Klasse/label``).
/// A code without a label (a new one, or an old row) is shown as "overige fout" with the code
/// beside it, never dropped.
public enum FoutKlasse {
    /// The Dutch label of each code the delivery engine records.
    public static let labels: [String: String] = Dictionary(
        uniqueKeysWithValues: LeveringFailure.Klasse.allCases.map { ($0.rawValue, $0.label) })

    /// The label of `code`.
    public static func label(_ code: String) -> String {
        labels[code] ?? "overige fout (\(code))"
    }
}
