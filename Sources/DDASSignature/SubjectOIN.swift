import SwiftASN1
import X509

/// The OIN (Organisatie-identificatienummer) of an organisation certificate: PKIoverheid puts
/// it, 20 digits, in the subject's serialNumber attribute (OID 2.5.4.5).
public enum SubjectOIN {
    /// The serialNumber attribute type of X.520.
    public static let serialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]

    /// The OIN in a certificate's subject; nil when it has no serialNumber, more than one, or
    /// one that is not exactly 20 digits.
    public static func of(_ certificate: Certificate) -> String? {
        let values = certificate.subject.flatMap { $0 }.filter { $0.type == serialNumber }.map { String($0.value) }
        guard values.count == 1, let value = values[0], isOIN(value) else { return nil }
        return value
    }

    /// Whether a text is 20 ASCII digits.
    public static func isOIN(_ text: String) -> Bool {
        text.utf8.count == 20 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
