import DDASSignature
import Foundation

/// The JAdES signer of the exchange, as the simulator signs responses with it.
public struct JAdESResponseSigner: ResponseSigning {
    public let signer: PayloadSigner

    /// The name of the key pair in a test PKI folder whose certificate carries another OIN
    /// than the supplier's, for the `wrongOINSigner` fault: `andere-oin.key.pem` and `andere-oin.chain.pem`.
    public static let wrongOINName = "andere-oin"

    /// Signs with `signer`.
    public init(signer: PayloadSigner) {
        self.signer = signer
    }

    public func signatureHeaders(for body: [UInt8]) throws -> (digest: String, signature: String) {
        let headers = try signer.sign(body: body)
        return (headers.digest, headers.signature)
    }

    /// The signer of a `<name>.key.pem` and `<name>.chain.pem` pair in a test PKI folder,
    /// signing in `profile`.
    public static func load(_ folder: String, _ name: String, profile: SigningProfile = .standard) throws -> JAdESResponseSigner {
        let key = try String(contentsOfFile: folder + "/\(name).key.pem", encoding: .utf8)
        let chain = try String(contentsOfFile: folder + "/\(name).chain.pem", encoding: .utf8)
        return JAdESResponseSigner(
            signer: try PayloadSigner(privateKeyPEM: key, certificateChainPEM: chain, keyID: "\(name)-sim", profile: profile))
    }
}
