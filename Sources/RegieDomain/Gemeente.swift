/// A gemeente as the register knows it.
public struct Gemeente: Hashable, Sendable {
    /// The CBS code, the gemeente's identity.
    public var code: Gemeentecode
    /// The CBS name (`'s-Gravenhage`, `Bergen (NH.)`).
    public var name: String
    /// The CBS province code (`PV27`).
    public var provinceCode: String
    /// The province's name as CBS writes it (`Fryslân`).
    public var province: String
    /// The arbeidsmarktregio (labour-market region) the gemeente belongs to.
    public var arbeidsmarktregio: String
    /// False once the gemeente left the register (merged or renamed away); never deleted.
    public var isActive: Bool

    /// A gemeente from its parts.
    public init(code: Gemeentecode, name: String, provinceCode: String, province: String, arbeidsmarktregio: String, isActive: Bool = true)
    {
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.province = province
        self.arbeidsmarktregio = arbeidsmarktregio
        self.isActive = isActive
    }
}
