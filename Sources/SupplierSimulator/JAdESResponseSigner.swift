import DDASSignature
import Foundation

/// The JAdES signer of the exchange, as the simulator signs responses with it.
public struct JAdESResponseSigner: ResponseSigning {
    public let signer: PayloadSigner

    /// Signs with `signer`.
    public init(signer: PayloadSigner) {
        self.signer = signer
    }

    public func signatureHeaders(for body: [UInt8]) throws -> (digest: String, signature: String) {
        let headers = try signer.sign(body: body)
        return (headers.digest, headers.signature)
    }

    /// The signer of a `<name>.key.pem` and `<name>.chain.pem` pair in a test PKI folder.
    public static func load(_ folder: String, _ name: String) throws -> JAdESResponseSigner {
        let key = try String(contentsOfFile: folder + "/\(name).key.pem", encoding: .utf8)
        let chain = try String(contentsOfFile: folder + "/\(name).chain.pem", encoding: .utf8)
        return JAdESResponseSigner(signer: try PayloadSigner(privateKeyPEM: key, certificateChainPEM: chain, keyID: "\(name)-sim"))
    }
}
