import Foundation

/// What a page or a delivery is checked for, named without either implementation's types: the
/// stream (`VS`, `SHV`), the period asked for, the page size and the gemeenten of the pull.
struct PullCase: Sendable {
    /// `VS` or `SHV`.
    let stroom: String
    /// The period asked for, `YYYY-MM-DD`.
    let periodeStart: String
    /// The last day of the period, `YYYY-MM-DD`.
    let periodeEind: String
    /// The requested page size.
    let pageSize: Int
    /// The gemeenten the pull asks for (four digits).
    let gemeenten: [String]
    /// The day of the pull.
    let today = "2026-12-06"
}

/// The outcome of reading and checking bytes, as lines of text: what a user of the product can
/// observe (parse errors, page counts, schema violations by pointer, keyword and rule, page
/// problems, the findings of the op-orde-rapport and of `ddas-regie valideer`), in one
/// comparable form for both the product and the frozen reference.
struct Outcome: Equatable, Sendable {
    var lines: [String] = []

    mutating func add(_ line: String) { lines.append(line) }

    /// Appends a `Codable` value as sorted, pretty-printed JSON, one line per member, so that a
    /// difference shows as the lines that differ. The herkomst split (`perHerkomst`, counted
    /// since issue 23) is left out: the reference never counted it, and its own tests check it.
    mutating func add(_ label: String, json value: some Encodable) {
        guard let data = try? JSONEncoder().encode(value), let object = try? JSONSerialization.jsonObject(with: data),
            let sorted = try? JSONSerialization.data(
                withJSONObject: Self.withoutSplit(object), options: [.sortedKeys, .prettyPrinted, .fragmentsAllowed]),
            let text = String(data: sorted, encoding: .utf8)
        else {
            lines.append("\(label): not encodable")
            return
        }
        lines += text.split(separator: "\n").map { "\(label) \($0)" }
    }

    /// `object` without any member `perHerkomst`, at any depth.
    private static func withoutSplit(_ object: Any) -> Any {
        if var members = object as? [String: Any] {
            members["perHerkomst"] = nil
            return members.mapValues(withoutSplit)
        }
        if let elements = object as? [Any] { return elements.map(withoutSplit) }
        return object
    }

    /// The first line where `other` differs, with a few lines of context; nil when both are the same.
    func firstDifference(from other: Outcome) -> String? {
        guard self != other else { return nil }
        let index =
            zip(lines, other.lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(lines.count, other.lines.count)
        func around(_ lines: [String]) -> String {
            lines[max(0, index - 2)..<min(lines.count, index + 3)].joined(separator: "\n  ")
        }
        return """
            line \(index) of \(lines.count) vs \(other.lines.count):
            product:
              \(around(lines))
            reference:
              \(around(other.lines))
            """
    }
}

/// The exchange models the project ships (`Exchange/` at the package root).
let exchangeDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Exchange")
