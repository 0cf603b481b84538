import RegieDomain
import Testing

@Suite("Gemeentecode")
struct GemeentecodeTests {
    @Test("GM and four digits, or the four digits alone, are one code", arguments: ["GM0363", "0363", "gm0363"])
    func accepted(text: String) {
        #expect(Gemeentecode(text)?.rawValue == "GM0363")
        #expect(Gemeentecode(text)?.digits == "0363")
    }

    @Test("anything else is not a code", arguments: ["", "GM", "GM363", "363", "GM03630", "XX0363", "GM03a3", "GM 363", "０３６３"])
    func refused(text: String) {
        #expect(Gemeentecode(text) == nil)
    }
}

@Suite("Gemeenten register file")
struct GemeentenRegisterTests {
    let header = "code,name,province_code,province,arbeidsmarktregio\n"

    @Test("quoted names keep their commas")
    func quotedNames() throws {
        let register = try GemeentenRegister(
            csv: header
                + "GM0820,\"Nuenen, Gerwen en Nederwetten\",PV30,Noord-Brabant,Zuidoost-Brabant\r\nGM0518,'s-Gravenhage,PV28,Zuid-Holland,Haaglanden\n"
        )
        #expect(register.gemeenten.map(\.name) == ["Nuenen, Gerwen en Nederwetten", "'s-Gravenhage"])
        #expect(register.gemeenten.first?.arbeidsmarktregio == "Zuidoost-Brabant")
    }

    @Test("every problem is reported at once, with its line")
    func problems() {
        let csv =
            header
            + "GM0001,Een,PV20,Groningen,Groningen\nXX0002,Twee,PV20,Groningen,Groningen\nGM0001,Dubbel,PV20,Groningen,Groningen\nGM0003,,P20,Groningen,Groningen\nGM0004,Kort\n"
        let error = #expect(throws: GemeentenRegister.Invalid.self) { try GemeentenRegister(csv: csv) }
        #expect(error?.problems.map(\.line) == [3, 4, 5, 5, 6])
        #expect(error?.description.contains("line 4: GM0001 also on line 2") == true)
    }

    @Test("a file without the expected header is refused")
    func missingHeader() {
        #expect(throws: GemeentenRegister.Invalid.self) { try GemeentenRegister(csv: "code,name\nGM0001,Een\n") }
    }
}
