/// One finding at its place: which rule, where (page and JSON pointer in the page's
/// `gegevens`), how much it weighs and the Dutch explanation. Never the value: the same
/// finding shows on the op-orde-rapport after a delivery and in `ddas-regie valideer` before
/// one.
public struct Bevinding: Sendable, Hashable, Codable {
    /// The rule code: a ``KwaliteitCheck`` code (`bsn_elfproef`, `schema`, `codelijst`, …).
    public var code: String
    /// Error or warning.
    public var ernst: KwaliteitSeverity
    /// The page it was on, from 1.
    public var pagina: Int
    /// Where in the page's `gegevens`: `/leveringen/0/vroegsignalen/1/client/burgerservicenummer`.
    public var pointer: String
    /// For a schema finding, the failing keyword's location in the model
    /// (`/$defs/Vroegsignaalzaak/additionalProperties`); nil otherwise.
    public var regel: String?
    /// What the rule finds, in Dutch.
    public var uitleg: String

    /// A finding of `check` at `pointer` on page `pagina`.
    public init(check: KwaliteitCheck, pagina: Int, pointer: String, regel: String? = nil) {
        code = check.code
        ernst = check.severity
        self.pagina = pagina
        self.pointer = pointer
        self.regel = regel
        uitleg = check.omschrijving
    }

    /// A violation of the model's JSON Schema: `codelijst` for a code list's `enum`, `schema`
    /// otherwise, with the keyword's location as its rule and an explanation of that keyword.
    public init(schema violation: SchemaViolation, pagina: Int) {
        let isCodeList = LeveringKwaliteitAnalysis.isCodeListRule(violation.keywordLocation)
        self.init(
            check: isCodeList ? .codeList : .schema, pagina: pagina, pointer: violation.instancePointer,
            regel: violation.keywordLocation)
        if !isCodeList { uitleg = Self.schemaUitleg(violation.keyword) }
    }

    /// The Dutch explanation of a schema keyword's violation.
    static func schemaUitleg(_ keyword: SchemaKeyword) -> String {
        switch keyword {
        case .required: "Een verplicht veld ontbreekt."
        case .additionalProperties:
            "Dit veld komt niet voor in het uitwisselmodel (bijvoorbeeld door een tikfout in de naam)."
        case .type: "Het veld heeft een verkeerd type (tekst, getal, ja/nee, lijst of object)."
        case .format: "Het veld heeft niet de voorgeschreven vorm (zoals JJJJ-MM-DD voor een datum)."
        case .minLength, .maxLength: "De tekst in dit veld is te kort of te lang."
        case .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum: "Het getal in dit veld ligt buiten het toegestane bereik."
        case .minItems, .maxItems: "De lijst in dit veld heeft te weinig of te veel elementen."
        case .enum, .const: "Het veld bevat een waarde die het uitwisselmodel niet toestaat."
        case .nestingDepth: "Het document is dieper genest dan het uitwisselmodel toestaat."
        default: KwaliteitCheck.schema.omschrijving
        }
    }
}
