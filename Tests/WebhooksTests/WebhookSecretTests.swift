import Foundation
import Testing
import Webhooks

@Suite("Webhook secrets and addresses")
struct WebhookSecretTests {
    @Test("A secret is whsec_ and the base64 of 24 to 64 bytes; anything else is refused")
    func secretForms() {
        func secret(bytes count: Int) -> String { "whsec_" + Data(repeating: 7, count: count).base64EncodedString() }
        #expect(WebhookSecret(secret(bytes: 24)) != nil)
        #expect(WebhookSecret(secret(bytes: 64)) != nil)
        #expect(WebhookSecret(secret(bytes: 23)) == nil)
        #expect(WebhookSecret(secret(bytes: 65)) == nil)
        #expect(WebhookSecret(secret(bytes: 0)) == nil)
        #expect(WebhookSecret("whsec_!!!") == nil)
        #expect(WebhookSecret(String(secret(bytes: 32).dropFirst(6))) == nil)
        let made = WebhookSecret.generate()
        #expect(WebhookSecret(made.text) == made)
        #expect(!"\(made)".contains(made.text.dropFirst(6)))
    }

    @Test("Webhooks go to https, or to http on this machine only, never with credentials in the address")
    func addresses() {
        #expect(WebhookSender.isAllowed(URL(string: "https://gemeente.example/hooks")!))
        #expect(WebhookSender.isAllowed(URL(string: "http://127.0.0.1:8080/hooks")!))
        #expect(WebhookSender.isAllowed(URL(string: "http://localhost/hooks")!))
        #expect(!WebhookSender.isAllowed(URL(string: "http://gemeente.example/hooks")!))
        #expect(!WebhookSender.isAllowed(URL(string: "https://user:pass@gemeente.example/hooks")!))
        #expect(!WebhookSender.isAllowed(URL(string: "ftp://gemeente.example/hooks")!))
        #expect(!WebhookSender.isAllowed(URL(string: "file:///etc/passwd")!))
    }

    @Test("The signature is the spec's: HMAC-SHA256 over id.timestamp.body, base64, prefixed v1")
    func knownSignature() throws {
        // The example of the Standard Webhooks specification.
        let secret = try #require(WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let header = WebhookSignature.header(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8),
            secrets: [secret])
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}
