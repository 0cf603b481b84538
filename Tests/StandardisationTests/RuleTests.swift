import Standardisation
import Testing

/// Every rule against a text it must explain and a near miss it must not fire on.
@Suite("Rules")
struct RuleTests {
    let standardiser = Standardiser()

    @Test("a rule explains its positive case and yields its value", arguments: RuleCase.all)
    func positive(_ ruleCase: RuleCase) throws {
        let rule = try #require(Rule.rules(for: ruleCase.lijst).first { $0.id == ruleCase.id })
        #expect(standardiser.firingRules(ruleCase.positive, in: ruleCase.lijst).contains(rule.id))
        let result = standardiser.standardise(ruleCase.positive, in: ruleCase.lijst)
        #expect(result.waarde == rule.waarde)
        #expect(result.regel.hasPrefix("regel.\(ruleCase.lijst.rawValue)."))
    }

    @Test("a rule does not fire on its near miss", arguments: RuleCase.all)
    func negative(_ ruleCase: RuleCase) {
        #expect(!standardiser.firingRules(ruleCase.negative, in: ruleCase.lijst).contains(ruleCase.id))
    }

    @Test("every rule has a case, and every case a rule")
    func coverage() {
        let rules = Set(CodeList.allCases.flatMap { Rule.rules(for: $0) }.map(\.id))
        #expect(rules == Set(RuleCase.all.map(\.id)))
    }

    @Test("rules are well formed: unique ids, official values, supersession within the list", arguments: CodeList.allCases)
    func wellFormed(lijst: CodeList) {
        let rules = Rule.rules(for: lijst)
        #expect(!rules.isEmpty)
        #expect(Set(rules.map(\.id)).count == rules.count)
        let names = Set(rules.map(\.name))
        for rule in rules {
            #expect(lijst.officialValues.contains(rule.waarde), "\(rule.id)")
            #expect(rule.supersedes.isSubset(of: names), "\(rule.id)")
            #expect(!rule.supersedes.contains(rule.name), "\(rule.id)")
            #expect(!rule.phrases.isEmpty, "\(rule.id)")
        }
    }

    @Test("rules that disagree give ONBEKEND, and say which rules they were")
    func contradiction() {
        let brief = standardiser.standardise("huisbezoek en brief", in: .contactsoort)
        #expect(brief == StandardisedValue(waarde: "ONBEKEND", regel: "onbekend"))
        #expect(
            standardiser.firingRules("huisbezoek en brief", in: .contactsoort) == [
                "regel.contactsoort.huisbezoek", "regel.contactsoort.brief",
            ])
        let betaald = standardiser.standardise("doorverwezen naar de huisarts, heeft al betaald", in: .eindresultaat)
        #expect(betaald.waarde == "ONBEKEND")
        #expect(standardiser.standardise("cak", in: .signaalpartner).waarde == "ONBEKEND")
    }

    @Test("a more specific rule supersedes the one it names")
    func supersession() {
        let financieel = standardiser.standardise("verwezen naar schuldhulpverlening", in: .eindresultaat)
        #expect(
            financieel
                == StandardisedValue(waarde: "Vervolghulp en/of verwijzing financieel", regel: "regel.eindresultaat.verwijzing_financieel"))
        let reden = standardiser.standardise("niet opgepakt, dubbele melding", in: .eindresultaat)
        #expect(reden.regel == "regel.eindresultaat.herhaalde_melding")
        let bezoek = standardiser.standardise("huisbezoek op afspraak", in: .contactsoort)
        #expect(bezoek.regel == "regel.contactsoort.huisbezoek")
    }

    @Test("negations: geen, niet, nooit, zonder before a phrase stop it")
    func negations() {
        #expect(standardiser.standardise("geen contact", in: .eindresultaat).waarde == "Definitief geen contact kunnen krijgen")
        #expect(standardiser.standardise("contact opgenomen", in: .eindresultaat).waarde == "ONBEKEND")
        #expect(standardiser.standardise("niet opgepakt", in: .signaalstatus).waarde == "Niet opgepakt: andere reden")
        #expect(standardiser.standardise("opgepakt", in: .signaalstatus).waarde == "Opgepakt")
        #expect(
            standardiser.standardise("geen hulp nodig", in: .eindresultaat).waarde
                == "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering")
        #expect(standardiser.standardise("hulp", in: .eindresultaat).waarde == "ONBEKEND")
        #expect(standardiser.standardise("heeft nog niet betaald", in: .eindresultaat).waarde == "ONBEKEND")
        #expect(standardiser.standardise("huisbezoek zonder afspraak", in: .contactsoort).waarde == "Huisbezoek")
        #expect(standardiser.standardise("langs geweest zonder afspraak", in: .contactsoort).waarde == "ONBEKEND")
    }

    @Test("words after 'naar aanleiding van' are a cause, not the form of contact")
    func causes() {
        #expect(standardiser.standardise("klant belde n.a.v. brief", in: .contactsoort).waarde == "Telefoon")
        #expect(standardiser.standardise("brief n.a.v. huisbezoek", in: .contactsoort).waarde == "Brief")
        #expect(
            standardiser.standardise("inwoner heeft betaald nav advies", in: .eindresultaat).waarde.hasPrefix(
                "Inwoner heeft zelf al betaald"))
    }
}
