import DDASExchange
import Testing

@Suite("Formats: date, date-time, time, email are asserted")
struct StringFormatTests {
    @Test(
        "date: real calendar days only",
        arguments: [
            ("2026-01-31", true), ("2024-02-29", true), ("2000-02-29", true), ("2026-12-31", true),
            ("2026-02-29", false), ("1900-02-29", false), ("2026-04-31", false), ("2026-13-01", false),
            ("2026-00-10", false), ("2026-01-00", false), ("2026-1-01", false), ("26-01-01", false),
            ("2026-01-01T00:00:00Z", false), ("2026/01/01", false), ("", false), ("２０２６-01-01", false),
        ])
    func date(text: String, valid: Bool) {
        #expect(StringFormat.date.accepts(text) == valid)
    }

    @Test(
        "date-time: RFC 3339 with a required offset",
        arguments: [
            ("2026-04-02T08:15:00Z", true), ("2026-04-02t08:15:00z", true), ("2026-04-02T08:15:00.123+02:00", true),
            ("1998-12-31T23:59:60Z", true), ("1998-12-31T15:59:60-08:00", true), ("1998-12-31T22:59:60Z", false),
            ("2026-04-02T08:15:00", false), ("2026-04-02 08:15:00Z", false), ("2026-04-02T24:00:00Z", false),
            ("2026-04-02T08:60:00Z", false), ("2026-02-30T08:15:00Z", false), ("2026-04-02T08:15:00.Z", false),
            ("2026-04-02T08:15:00+0200", false), ("2026-04-02T08:15Z", false),
        ])
    func dateTime(text: String, valid: Bool) {
        #expect(StringFormat.dateTime.accepts(text) == valid)
    }

    @Test("time: RFC 3339 full-time", arguments: [("08:15:00Z", true), ("08:15:00+01:00", true), ("08:15:00", false)])
    func time(text: String, valid: Bool) {
        #expect(StringFormat.time.accepts(text) == valid)
    }

    @Test(
        "email: a reasonable address check",
        arguments: [
            ("vroegsignalering@gemeente.nl", true), ("team.shv+ddas@sub.voorbeeld.nl", true), ("a@b.co", true),
            ("geen-adres", false), ("@gemeente.nl", false), ("team@", false), ("team@gemeente", false),
            (".team@gemeente.nl", false), ("te..am@gemeente.nl", false), ("team.@gemeente.nl", false),
            ("team@-gemeente.nl", false), ("team@gemeente..nl", false), ("team @gemeente.nl", false),
            ("tëam@gemeente.nl", false), ("a@b@gemeente.nl", false),
        ])
    func email(text: String, valid: Bool) {
        #expect(StringFormat.email.accepts(text) == valid)
    }

    @Test("a format failure is reported at the format keyword, without the value")
    func reported() throws {
        let schema = try JSONSchema(
            json(##"{"$defs":{"datum":{"type":"string","format":"date"}},"properties":{"d":{"$ref":"#/$defs/datum"}}}"##))
        let result = schema.validate(try json(##"{"d":"2026-02-30"}"##))
        #expect(result.violations.map(Found.init) == [Found("/d", .format, "/$defs/datum/format")])
        #expect(result.violations.first?.message == "is not a valid date (YYYY-MM-DD)")
    }
}

@Suite("Gemeentecode normalisation")
struct ExchangeGemeentecodeTests {
    @Test("GM0363, gm0363, 0363 and 363 are all gemeente 0363", arguments: ["GM0363", "gm0363", "Gm0363", "0363", "363"])
    func accepted(text: String) throws {
        let code = try #require(ExchangeGemeentecode(text))
        #expect(code.digits == "0363")
        #expect(code.cbsCode == "GM0363")
    }

    @Test("short codes are padded", arguments: [("3", "0003"), ("14", "0014"), ("1680", "1680"), ("GM1680", "1680")])
    func padded(text: String, digits: String) {
        #expect(ExchangeGemeentecode(text)?.digits == digits)
    }

    @Test(
        "anything else is not a gemeentecode",
        arguments: ["", "GM", "GM363", "GM03630", "03630", "GX0363", " 0363", "0363 ", "0x1F", "-363", "0000", "0", "GM0000", "٠٣٦٣"])
    func refused(text: String) {
        #expect(ExchangeGemeentecode(text) == nil)
    }
}
