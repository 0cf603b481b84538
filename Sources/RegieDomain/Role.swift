/// Who a caller is, as far as the service cares: one role, and for `gemeente` and
/// `leverancier` one scope (DESIGN.md §2).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// The DDAS project team: reads everything, moves subjects through their workflows.
    case projectteam
    /// One gemeente, scoped to its gemeentecode.
    case gemeente
    /// One supplier, scoped to its identifier.
    case leverancier
    /// CBS or a scheduling system: triggers deliveries, reads delivery state.
    case scheduler
    /// Operators: manage API tokens.
    case admin

    /// Whether tokens of this role carry a scope.
    public var isScoped: Bool { self == .gemeente || self == .leverancier }
}

/// The authenticated caller of a request: the token's id (never a person's name), its
/// role and its scope.
public struct Principal: Sendable, Hashable {
    /// The token's id, recorded in audit events as the actor.
    public let tokenID: String
    /// The token's role.
    public let role: Role
    /// The gemeentecode (`gemeente`) or supplier id (`leverancier`); nil for other roles.
    public let scope: String?

    public init(tokenID: String, role: Role, scope: String?) {
        self.tokenID = tokenID
        self.role = role
        self.scope = scope
    }
}
