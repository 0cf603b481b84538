import Foundation
import RegieDomain
import Testing

@Suite("Meldingen: who hears what, in which words, and how sending goes")
struct MeldingTests {
    let moment = Date(timeIntervalSince1970: 1_796_000_000)
    let amsterdam = Gemeentecode("0363")!

    @Test("A levering given up reaches its gemeente, its supplier and the project team, and no other gemeente")
    func ontvangersOpgegeven() {
        let melding = Melding.leveringOpgegeven(
            levering: UUID(), gemeente: amsterdam, gemeenteNaam: "Amsterdam", leverancier: "xxllnc", stroom: "VS",
            periode: "2026-Q3", pogingen: 5, foutcode: "http_503", at: moment)
        #expect(melding.ontvangers == [.gemeente(amsterdam), .leverancier("xxllnc"), .projectteam])
    }

    @Test("Each soort reaches only its own kinds of party")
    func partijenPerSoort() {
        let revoked = Melding.toestemmingIngetrokken(
            toestemming: UUID(), gemeente: amsterdam, gemeenteNaam: "Amsterdam", leverancier: "bkr", at: moment)
        #expect(revoked.ontvangers == [.leverancier("bkr"), .projectteam])
        let report = Melding.opOrdeRapportBovenDrempel(
            levering: UUID(), gemeente: amsterdam, gemeenteNaam: "Amsterdam", leverancier: "bkr", stroom: "SHV",
            periode: "2026-09", foutaandeel: 0.125, drempel: 0.05, at: moment)
        #expect(report.ontvangers == [.gemeente(amsterdam), .leverancier("bkr")])
        let late = Melding.gemeenteAchterstand(
            gemeente: amsterdam, gemeenteNaam: "Amsterdam", mijlpaal: "eerste_levering",
            uiterlijk: KalenderDag(year: 2026, month: 10, day: 1)!, at: moment)
        #expect(late.ontvangers == [.gemeente(amsterdam), .projectteam])
        #expect(Set(MeldingSoort.allCases.map(\.rawValue)).count == MeldingSoort.allCases.count)
    }

    @Test("The key makes a milestone's melding once, and a second milestone another one")
    func sleutels() {
        func late(_ mijlpaal: String, at moment: Date) -> Melding {
            Melding.gemeenteAchterstand(
                gemeente: amsterdam, gemeenteNaam: "Amsterdam", mijlpaal: mijlpaal,
                uiterlijk: KalenderDag(year: 2026, month: 10, day: 1)!, at: moment)
        }
        #expect(late("dpia", at: moment).sleutel == late("dpia", at: moment.addingTimeInterval(86_400)).sleutel)
        #expect(late("dpia", at: moment).sleutel != late("eerste_levering", at: moment).sleutel)
        #expect(late("dpia", at: moment).sleutel == "gemeente.achterstand:GM0363:dpia")
    }

    @Test("The Dutch text names the gemeente, the period and the link, and escapes a name in HTML")
    func tekst() {
        let levering = UUID()
        let melding = Melding.leveringOpgegeven(
            levering: levering, gemeente: amsterdam, gemeenteNaam: "Amsterdam <&>", leverancier: "xxllnc", stroom: "VS",
            periode: "2026-Q3", pogingen: 5, foutcode: "http_503", at: moment)
        let tekst = MeldingTekst(melding, basis: "https://regie.example/")
        #expect(tekst.onderwerp == "Levering opgegeven: Amsterdam <&> (0363), vroegsignalering 2026-Q3")
        #expect(tekst.tekst.contains("na 5 poging(en)"))
        #expect(tekst.tekst.contains("https://regie.example/v1/leveringen/\(levering.uuidString.lowercased())"))
        #expect(tekst.html.contains("Amsterdam &lt;&amp;&gt;"))
        #expect(!tekst.html.contains("Amsterdam <&>"))
        let report = MeldingTekst(
            Melding.opOrdeRapportBovenDrempel(
                levering: levering, gemeente: amsterdam, gemeenteNaam: "Amsterdam", leverancier: "bkr", stroom: "SHV",
                periode: "2026-09", foutaandeel: 0.125, drempel: 0.05, at: moment), basis: "https://regie.example")
        #expect(report.tekst.contains("12,5% van de records"))
        #expect(report.tekst.contains("de drempel is 5,0%"))
    }

    @Test("A transient failure waits with backoff, the last attempt or a final refusal ends it mislukt with its reason")
    func bezorging() throws {
        let policy = RetryPolicy(baseDelay: 60, maxDelay: 600, maxAttempts: 3)
        var state = MeldingBezorging(due: moment)
        state = try state.na(.genomen(houder: "a", leaseTot: moment + 30), at: moment, policy: policy)
        #expect(state.status == .bezig && state.pogingen == 1)
        #expect(throws: MeldingBezorging.Weigering.leaseKwijt) {
            try state.na(.verzonden(houder: "b"), at: moment, policy: policy)
        }
        state = try state.na(.mislukt(houder: "a", tijdelijk: true, reden: "http_503", jitter: 1), at: moment + 1, policy: policy)
        #expect(state.status == .wachtend && state.volgendePogingOp == moment + 61 && state.laatsteFout == "http_503")
        #expect(throws: MeldingBezorging.Weigering.nogNiet(moment + 61)) {
            try state.na(.genomen(houder: "a", leaseTot: moment + 90), at: moment + 2, policy: policy)
        }
        state = try state.na(.genomen(houder: "b", leaseTot: moment + 100), at: moment + 61, policy: policy)
        state = try state.na(.mislukt(houder: "b", tijdelijk: false, reden: "smtp_550", jitter: 0), at: moment + 62, policy: policy)
        #expect(state.status == .mislukt && state.laatsteFout == "smtp_550" && state.pogingen == 2)
    }

    @Test("A dispatcher that died leaves the message waiting again once its lease ends, counted as an attempt")
    func leaseVerlopen() throws {
        let policy = RetryPolicy(maxAttempts: 2)
        var state = try MeldingBezorging(due: moment).na(.genomen(houder: "a", leaseTot: moment + 30), at: moment, policy: policy)
        #expect(throws: MeldingBezorging.Weigering.leaseKwijt) { try state.na(.leaseVerlopen, at: moment + 10, policy: policy) }
        state = try state.na(.leaseVerlopen, at: moment + 30, policy: policy)
        #expect(state.status == .wachtend && state.pogingen == 1)
        state = try state.na(.genomen(houder: "b", leaseTot: moment + 90), at: moment + 31, policy: policy)
        state = try state.na(.leaseVerlopen, at: moment + 90, policy: policy)
        #expect(state.status == .mislukt)
        #expect(throws: MeldingBezorging.Weigering.nietToegestaan(.mislukt)) {
            try state.na(.genomen(houder: "c", leaseTot: moment + 200), at: moment + 100, policy: policy)
        }
    }

    @Test("Only a given-up message can be sent again: it waits at once with fresh attempts and keeps its last reason")
    func opnieuw() throws {
        let policy = RetryPolicy(maxAttempts: 2)
        let waiting = MeldingBezorging(due: moment)
        #expect(throws: MeldingBezorging.Weigering.nietToegestaan(.wachtend)) { try waiting.na(.opnieuw, at: moment, policy: policy) }
        var state = try waiting.na(.genomen(houder: "a", leaseTot: moment + 30), at: moment, policy: policy)
        #expect(throws: MeldingBezorging.Weigering.nietToegestaan(.bezig)) { try state.na(.opnieuw, at: moment, policy: policy) }
        let sent = try state.na(.verzonden(houder: "a"), at: moment + 1, policy: policy)
        #expect(throws: MeldingBezorging.Weigering.nietToegestaan(.verzonden)) { try sent.na(.opnieuw, at: moment + 2, policy: policy) }
        state = try state.na(.mislukt(houder: "a", tijdelijk: false, reden: "smtp_550", jitter: 0), at: moment + 1, policy: policy)
        #expect(state.status == .mislukt && state.pogingen == 1)

        let again = try state.na(.opnieuw, at: moment + 3_600, policy: policy)
        #expect(again.status == .wachtend && again.pogingen == 0 && again.volgendePogingOp == moment + 3_600)
        #expect(again.laatsteFout == "smtp_550" && again.houder == nil && again.leaseTot == nil)
        // A fresh set: the policy's two attempts again before it is given up.
        var retried = try again.na(.genomen(houder: "b", leaseTot: moment + 3_630), at: moment + 3_600, policy: policy)
        retried = try retried.na(.mislukt(houder: "b", tijdelijk: true, reden: "http_503", jitter: 0), at: moment + 3_601, policy: policy)
        #expect(retried.status == .wachtend && retried.pogingen == 1 && retried.laatsteFout == "http_503")
    }
}
