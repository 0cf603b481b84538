import Foundation

/// Breaks a page on purpose, the same way for the same seed: about 1% of the records (at least
/// one a page) get a wrong date, a value outside its code list, a wrong or doubled id, a wrong
/// type, a missing or unknown member; or the bytes are damaged so that they are no JSON.
struct PageMutator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A copy of `body` (a page) with about `perMille`/1000 of its records broken; `donor`, a
    /// record of an earlier page, replaces one record (a vroegsignaal id seen twice across pages).
    mutating func mutateRecords(of body: [UInt8], perMille: Int = 10, donor: Any? = nil) -> [UInt8] {
        guard var page = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            var gegevens = page["gegevens"] as? [String: Any], var leveringen = gegevens["leveringen"] as? [Any]
        else { return body }
        var records: [(levering: Int, key: String, index: Int)] = []
        for (position, levering) in leveringen.enumerated() {
            for (key, value) in (levering as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let list = value as? [Any] else { continue }
                for index in list.indices where list[index] is [String: Any] { records.append((position, key, index)) }
            }
        }
        guard !records.isEmpty else { return body }
        var chosen = records.indices.filter { _ in below(1000) < perMille }
        if chosen.isEmpty { chosen = [below(records.count)] }
        for index in chosen {
            let (position, key, item) = records[index]
            leveringen[position] =
                Self.changing(leveringen[position], at: [.key(key), .index(item)]) { record in
                    self.breakRecord(record)
                } ?? leveringen[position]
        }
        if let donor, let first = records.first {
            leveringen[first.levering] =
                Self.changing(leveringen[first.levering], at: [.key(first.key), .index(first.index)]) { _ in
                    donor
                } ?? leveringen[first.levering]
        }
        gegevens["leveringen"] = leveringen
        page["gegevens"] = gegevens
        guard let data = try? JSONSerialization.data(withJSONObject: page, options: [.sortedKeys]) else { return body }
        return [UInt8](data)
    }

    /// The first record of a page, to be a donor for a later page.
    static func firstRecord(of body: [UInt8]) -> Any? {
        guard let page = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let leveringen = (page["gegevens"] as? [String: Any])?["leveringen"] as? [Any]
        else { return nil }
        for case let levering as [String: Any] in leveringen {
            for (_, value) in levering.sorted(by: { $0.key < $1.key }) {
                if let first = (value as? [Any])?.first as? [String: Any] { return first }
            }
        }
        return nil
    }

    /// One record broken in one of the ways a supplier's export goes wrong.
    private mutating func breakRecord(_ record: Any?) -> Any? {
        guard let record else { return nil }
        let leaves = Self.leaves(of: record)
        guard !leaves.isEmpty else { return record }
        let dates = leaves.filter { ($0.value as? String).map(Self.looksLikeDate) ?? false }
        let texts = leaves.filter { ($0.value as? String).map { !Self.looksLikeDate($0) } ?? false }
        let ids = leaves.filter {
            guard case .key(let name) = $0.path.last else { return false }
            return name.lowercased().contains("id") || name.lowercased().contains("nummer")
        }
        switch below(7) {
        case 0 where !dates.isEmpty:
            let leaf = pick(dates)
            let wrong = pick(["2026-02-30", "01-10-2026", "2099-12-31", "1890-01-01", "2026-10-01T00:00:00Z", "", "2026-13-01"])
            return Self.changing(record, at: leaf.path) { _ in wrong }
        case 1 where !texts.isEmpty:
            let leaf = pick(texts)
            let text = leaf.value as? String ?? ""
            let wrong = pick(["Onbekend", "", text.lowercased(), text + " ", "Anders", "é\u{301}", String(repeating: "x", count: 300)])
            return Self.changing(record, at: leaf.path) { _ in wrong }
        case 2 where !ids.isEmpty:
            let leaf = pick(ids)
            let wrong: Any = pick(["", "x", "00000000-0000-0000-0000-000000000000", "123456789", "999999999", 12] as [Any])
            return Self.changing(record, at: leaf.path) { _ in wrong }
        case 3:
            let leaf = pick(leaves)
            let wrong: Any = pick([42, "42", [Any](), [String: Any](), NSNull(), true, 1.5] as [Any])
            return Self.changing(record, at: leaf.path) { _ in wrong }
        case 4:
            // A member left out, at the record's level or deeper.
            let leaf = pick(leaves)
            let cut = 1 + below(leaf.path.count)
            return Self.changing(record, at: Array(leaf.path.prefix(cut))) { _ in nil }
        case 5:
            guard var object = record as? [String: Any] else { return record }
            object[pick(["onbekendVeld", "Burgerservicenummer", "signaalDatum"])] = pick(["waarde", 1, true] as [Any])
            return object
        default:
            // Every member of one kind emptied: many findings in one record.
            var changed = record
            for leaf in texts { changed = Self.changing(changed, at: leaf.path) { _ in "" } ?? changed }
            return changed
        }
    }

    /// Damaged bytes: cut off, a stray byte, invalid UTF-8, a byte order mark, a doubled key,
    /// a trailing comma, a control character in a string, deep nesting.
    mutating func damageBytes(of body: [UInt8]) -> [(name: String, bytes: [UInt8])] {
        let cut = 1 + below(max(1, body.count - 2))
        let inside = body.firstIndex(of: UInt8(ascii: ":")).map { $0 + 2 } ?? 1
        var stray = body
        stray.insert(pick([UInt8(ascii: "}"), UInt8(ascii: "x"), 0x00, UInt8(ascii: ",")]), at: cut)
        var utf8 = body
        utf8.insert(pick([0xFF, 0xC0, 0xED]), at: inside)
        var control = body
        if let quote = body.lastIndex(of: UInt8(ascii: "\"")) { control.insert(0x01, at: quote) }
        var nesting = Array("{\"gegevens\":".utf8)
        nesting += [UInt8](repeating: UInt8(ascii: "["), count: 400)
        nesting += [UInt8](repeating: UInt8(ascii: "]"), count: 400)
        nesting.append(UInt8(ascii: "}"))
        return [
            ("cut off", Array(body.prefix(cut))),
            ("cut in half", Array(body.prefix(body.count / 2))),
            ("stray byte", stray),
            ("invalid UTF-8", utf8),
            ("byte order mark", [0xEF, 0xBB, 0xBF] + body),
            ("doubled key", Array("{\"gegevens\":1,".utf8) + body.dropFirst()),
            ("trailing comma", Array(body.dropLast()) + Array(",}".utf8)),
            ("control character", control),
            ("trailing content", body + Array(" {}".utf8)),
            ("deep nesting", nesting),
            ("not an object", Array("[1,2,3]".utf8)),
            ("no gegevens", Array("{\"paginering\":{}}".utf8)),
            ("empty", []),
        ]
    }

    /// One step of a path into a JSON value.
    enum Step {
        case key(String)
        case index(Int)
    }

    /// Every leaf (not an object or array) with its path, in a stable order.
    static func leaves(of value: Any, path: [Step] = []) -> [(path: [Step], value: Any)] {
        if let object = value as? [String: Any] {
            return object.sorted { $0.key < $1.key }.flatMap { leaves(of: $0.value, path: path + [.key($0.key)]) }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { leaves(of: $0.element, path: path + [.index($0.offset)]) }
        }
        return [(path, value)]
    }

    /// `value` with what is at `path` replaced by `change` (removed when it gives nil).
    static func changing(_ value: Any?, at path: [Step], _ change: (Any?) -> Any?) -> Any? {
        guard let step = path.first else { return change(value) }
        let rest = Array(path.dropFirst())
        switch step {
        case .key(let key):
            guard var object = value as? [String: Any] else { return value }
            object[key] = changing(object[key], at: rest, change)
            return object
        case .index(let index):
            guard var array = value as? [Any], array.indices.contains(index) else { return value }
            if let changed = changing(array[index], at: rest, change) {
                array[index] = changed
            } else {
                array.remove(at: index)
            }
            return array
        }
    }

    static func looksLikeDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count >= 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
    }
}
