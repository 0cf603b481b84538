/// A vroegsignaal ID as the cross-page checks keep it (doubles, references from zaken,
/// `Opgepakt` without a zaak): a UUID (`0f8fad5b-d9cb-469f-a165-70867728950e`, as the
/// exchange's IDs are) as its 128 bits, with no text kept; any other ID as its text.
///
/// Two IDs are equal exactly when their texts are equal as `String`s: a UUID written in
/// lower-case hex and the same UUID in capitals are different IDs, so the case is part of the
/// key, and a UUID in mixed case is kept as text. (No other text equals a UUID's ASCII text
/// under canonical equivalence, so comparing bits is comparing texts.)
enum VroegsignaalID: Hashable {
    /// A UUID written with lower-case hex digits (or digits only).
    case lowercaseUUID(UInt128)
    /// A UUID written with capital hex digits.
    case uppercaseUUID(UInt128)
    /// Any other ID, compared as a `String`.
    case text(String)

    /// The ID written in `text`.
    init(_ text: String) {
        self = FieldRules.withBytes(of: text) { Self.uuid($0) } ?? .text(text)
    }

    /// The ID written in these UTF-8 bytes.
    init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        self = Self.uuid(bytes) ?? .text(String(decoding: bytes, as: UTF8.self))
    }

    /// The UUID in `bytes` (`8-4-4-4-12` hex digits, one case), nil for anything else.
    static func uuid(_ bytes: UnsafeBufferPointer<UInt8>) -> Self? {
        guard bytes.count == 36 else { return nil }
        var value: UInt128 = 0
        var lower = false
        var upper = false
        for position in 0..<36 {
            let byte = bytes[position]
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                digit = byte - UInt8(ascii: "a") + 10
                lower = true
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                digit = byte - UInt8(ascii: "A") + 10
                upper = true
            default: return nil
            }
            value = value << 4 | UInt128(digit)
        }
        switch (lower, upper) {
        case (_, false): return .lowercaseUUID(value)
        case (false, true): return .uppercaseUUID(value)
        case (true, true): return nil
        }
    }
}
