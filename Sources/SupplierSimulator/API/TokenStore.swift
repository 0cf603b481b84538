import Foundation

/// The access tokens the simulator has issued, in memory, each bound to one supplier service.
///
/// Expired tokens are kept a while (an hour past expiry) so that a client using one is told
/// `ERROR_CODE_ACCESS_TOKEN_EXPIRED` rather than `_INVALID`.
actor TokenStore {
    /// What a presented token turned out to be.
    enum Verdict: Equatable {
        case valid
        case expired
        case unknown
    }

    private struct Issued {
        let supplier: String
        let expiresAt: Date
    }

    private var tokens: [String: Issued] = [:]
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// A new random token for `supplier`, valid for `lifetime` seconds.
    func issue(supplier: String, lifetime: Int) -> String {
        let current = now()
        tokens = tokens.filter { $0.value.expiresAt.addingTimeInterval(3_600) > current }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token =
            "sim_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        tokens[token] = Issued(supplier: supplier, expiresAt: current.addingTimeInterval(TimeInterval(lifetime)))
        return token
    }

    /// Makes `token` expired from now on (the `accessTokenExpired` fault): a client must fetch
    /// a new one.
    func expire(_ token: String) {
        guard let issued = tokens[token] else { return }
        tokens[token] = Issued(supplier: issued.supplier, expiresAt: min(issued.expiresAt, now()))
    }

    /// Whether `token` is a valid token of `supplier`.
    func check(_ token: String, supplier: String) -> Verdict {
        guard let issued = tokens[token], issued.supplier == supplier else { return .unknown }
        return issued.expiresAt > now() ? .valid : .expired
    }
}
