/// One record of a CSV text and the line it starts on.
struct CSVRecord: Sendable, Hashable {
    /// The fields, unquoted.
    let fields: [String]
    /// The 1-based line the record starts on.
    let line: Int
    /// The record as written (without its line end), for error messages about public reference data.
    let text: String
}

/// Why a CSV text cannot be read: a quoted field that never ends.
struct CSVUnterminatedQuote: Error, Hashable {
    /// The line the field starts on.
    let line: Int
}

/// The records of an RFC 4180 CSV text: fields separated by commas, optionally in double
/// quotes (`""` is a quote inside), records ended by LF or CRLF. A byte-order mark at the
/// start and wholly empty lines are skipped.
func csvRecords(_ text: String) throws(CSVUnterminatedQuote) -> [CSVRecord] {
    var records: [CSVRecord] = []
    var fields: [String] = []
    var field = String.UnicodeScalarView()
    var raw = String.UnicodeScalarView()
    var line = 1
    var recordLine = 1
    var quoted = false
    var fieldStarted = false
    var scalars = text.unicodeScalars[...]
    if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
    var iterator = scalars.makeIterator()
    var pending: Unicode.Scalar? = nil

    func endRecord() {
        fields.append(String(field))
        if !(fields.count == 1 && fields[0].isEmpty) {
            records.append(CSVRecord(fields: fields, line: recordLine, text: String(raw)))
        }
        fields = []
        field = String.UnicodeScalarView()
        raw = String.UnicodeScalarView()
        fieldStarted = false
    }

    while let scalar = pending ?? iterator.next() {
        pending = nil
        if quoted {
            if scalar == "\"" {
                let next = iterator.next()
                if next == "\"" {
                    field.append("\"")
                    raw.append(contentsOf: "\"\"".unicodeScalars)
                } else {
                    quoted = false
                    raw.append(scalar)
                    pending = next
                }
            } else {
                if scalar == "\n" { line += 1 }
                field.append(scalar)
                raw.append(scalar)
            }
            continue
        }
        switch scalar {
        case "\"" where !fieldStarted:
            quoted = true
            fieldStarted = true
            raw.append(scalar)
        case ",":
            fields.append(String(field))
            field = String.UnicodeScalarView()
            fieldStarted = false
            raw.append(scalar)
        case "\r":
            let next = iterator.next()
            if next != "\n" && next != nil {
                field.append(scalar)
                raw.append(scalar)
                pending = next
                continue
            }
            endRecord()
            line += 1
            recordLine = line
        case "\n":
            endRecord()
            line += 1
            recordLine = line
        default:
            field.append(scalar)
            raw.append(scalar)
            fieldStarted = true
        }
    }
    if quoted { throw CSVUnterminatedQuote(line: recordLine) }
    if fieldStarted || !fields.isEmpty || !field.isEmpty { endRecord() }
    return records
}
