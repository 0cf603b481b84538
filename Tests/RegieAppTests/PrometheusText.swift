import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4): `# HELP` and `# TYPE`
/// lines, and samples `name{label="value",...} value [timestamp]` of a family whose type was
/// declared before them (histograms and summaries with their `_bucket`, `_sum`, `_count`).
enum PrometheusText {
    struct Sample: Equatable, CustomStringConvertible {
        let name: String
        let labels: [String: String]
        let value: Double
        var description: String { "\(name)\(labels) \(value)" }
    }

    struct Invalid: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    static func isName(_ text: Substring, colons: Bool = true) -> Bool {
        func allowed(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || (colons && scalar == ":")
                || (!first && ("0"..."9").contains(scalar))
        }
        guard let head = text.unicodeScalars.first, allowed(head, first: true) else { return false }
        return text.unicodeScalars.allSatisfy { allowed($0, first: false) }
    }

    static func parse(_ text: String) throws -> [Sample] {
        var types: [String: String] = [:]
        var samples: [Sample] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            if raw.isEmpty { continue }
            if raw.hasPrefix("#") {
                let parts = raw.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                guard isName(parts[2]) else { throw Invalid(line: line, reason: "bad metric name") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[3])) else {
                        throw Invalid(line: line, reason: "bad type")
                    }
                    types[String(parts[2])] = String(parts[3])
                }
                continue
            }
            var rest = raw[...]
            let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
            let name = String(rest[..<nameEnd])
            guard isName(rest[..<nameEnd]) else { throw Invalid(line: line, reason: "bad metric name") }
            rest = rest[nameEnd...]
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    guard let equals = rest.firstIndex(of: "="), isName(rest[..<equals], colons: false) else {
                        throw Invalid(line: line, reason: "bad label name")
                    }
                    let labelName = String(rest[..<equals])
                    rest = rest[rest.index(after: equals)...]
                    guard rest.first == "\"" else { throw Invalid(line: line, reason: "label value not quoted") }
                    rest = rest.dropFirst()
                    var value = ""
                    var closed = false
                    while let character = rest.first {
                        rest = rest.dropFirst()
                        if character == "\\" {
                            guard let escaped = rest.first, escaped == "\\" || escaped == "\"" || escaped == "n" else {
                                throw Invalid(line: line, reason: "bad escape")
                            }
                            value.append(escaped == "n" ? "\n" : escaped)
                            rest = rest.dropFirst()
                        } else if character == "\"" {
                            closed = true
                            break
                        } else {
                            value.append(character)
                        }
                    }
                    guard closed else { throw Invalid(line: line, reason: "label value not closed") }
                    labels[labelName] = value
                    if rest.first == "," {
                        rest = rest.dropFirst()
                    } else if rest.first != "}" {
                        throw Invalid(line: line, reason: "bad label list")
                    }
                }
                rest = rest.dropFirst()
            }
            let fields = rest.split(separator: " ")
            let special: [String: Double] = ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan]
            guard (1...2).contains(fields.count), let value = Double(String(fields[0])) ?? special[String(fields[0])] else {
                throw Invalid(line: line, reason: "bad value")
            }
            var family = name
            for suffix in ["_bucket", "_sum", "_count"] where family.hasSuffix(suffix) && types[family] == nil {
                family = String(family.dropLast(suffix.count))
            }
            guard types[family] != nil else { throw Invalid(line: line, reason: "no TYPE for \(name)") }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }
}
