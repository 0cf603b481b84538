import Standardisation
import Testing

/// Case, diacritics, punctuation, white space and abbreviations.
@Suite("Text normalisation")
struct TextNormalisationTests {
    @Test(
        "texts and their normal form",
        arguments: [
            ("Cliënt", "client"), ("  E-Mail  ", "mail"), ("email", "mail"), ("SMS/WhatsApp", "sms whatsapp"),
            ("Whats app", "whatsapp"), ("what's app", "whatsapp"), ("via de app", "via de whatsapp"),
            ("n.a.v. brief", "naar aanleiding van brief"),
            ("nav", "naar aanleiding van"), ("tel. nr.", "telefoonnummer"), ("Tel contact", "telefoon contact"), ("HB", "huisbezoek"),
            ("bekend bij SHV", "bekend bij schuldhulpverlening"), ("i.v.m. ziekte", "in verband met ziekte"), ("bijv.", "bijvoorbeeld"),
            ("Ĳsselmonde", "ijsselmonde"), ("Straße", "strasse"), ("e\u{301}e\u{301}n", "een"), ("ＳＭＳ", "sms"),
            ("(Budget)advies en/of 'quick fix'", "budget advies en of quick fix"), ("Niet-financieel", "niet financieel"),
            ("a_b;c:d,e.f\"g", "a b c d e f g"), ("huis\u{00AD}bezoek", "huisbezoek"), ("", ""), ("???", ""), (" \t ", ""),
            ("sv", "sv"), ("bv", "bv"), ("mw", "mw"), ("Financiëel", "financieel"), ("Overig  ,  anders", "overig anders"),
        ]
    )
    func normalForm(text: String, expected: String) {
        #expect(TextNormalisation.normalise(text) == expected)
    }

    @Test("normalising twice changes nothing")
    func idempotent() {
        for text in ["Klant nam contact op n.a.v. brief, kaart of e-mail", "Reeds bekend bij SHV/Vroeg Eropaf", "Ĳ É ß"] {
            let once = TextNormalisation.normalise(text)
            #expect(TextNormalisation.normalise(once) == once)
        }
    }

    @Test("every abbreviation's key is folded words, and its expansion is not expanded again")
    func abbreviations() {
        for (key, expansion) in TextNormalisation.abbreviations {
            #expect(key.allSatisfy { $0 == " " || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }, "\(key)")
            #expect(TextNormalisation.normalise(expansion) == expansion, "\(key)")
            #expect(TextNormalisation.normalise(key) == expansion, "\(key)")
        }
    }

    @Test("blank means white space or invisible characters only")
    func blank() {
        #expect(TextNormalisation.isBlank(""))
        #expect(TextNormalisation.isBlank(" \t\n\u{00A0}\u{200B}"))
        #expect(!TextNormalisation.isBlank("???"))
        #expect(!TextNormalisation.isBlank(" a "))
    }
}
