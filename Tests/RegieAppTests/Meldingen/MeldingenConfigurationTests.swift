import Foundation
import RegieApp
import Testing

@Suite("The meldingen's configuration file")
struct MeldingenConfigurationTests {
    func load(_ yaml: String) throws -> MeldingenConfiguration {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meldingen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("meldingen.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try MeldingenConfiguration.load(path: file.path)
    }

    func file(smtp: String = "", top: String = "") -> String {
        """
        publiek_adres: https://regie.ddas.example
        sleutel: env:DDAS_MELDINGEN_SLEUTEL
        email:
          afzender: meldingen@regie.ddas.example
          afzender_naam: DDAS regie
          smtp:
            host: smtp.ddas.example
            gebruiker: ddas-regie
            wachtwoord: env:DDAS_SMTP_WACHTWOORD
        \(smtp)
        dagoverzicht: "07:30"
        \(top)
        """
    }

    @Test("SMTP with STARTTLS on 587 by default, secrets by reference, the digest's time; the key is the base64 of 32 bytes or more")
    func valid() throws {
        let configuration = try load(file())
        guard case .smtp(let smtp)? = configuration.mail else {
            Issue.record("no SMTP")
            return
        }
        #expect(smtp.port == 587)
        #expect(smtp.beveiliging == .startTLS)
        #expect(smtp.wachtwoord?.description == "env:DDAS_SMTP_WACHTWOORD")
        #expect(configuration.dagoverzicht?.description == "07:30")
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        #expect(throws: Never.self) { try configuration.resolvedSleutel(environment: ["DDAS_MELDINGEN_SLEUTEL": key]) }
        #expect(throws: (any Error).self) {
            try configuration.resolvedSleutel(environment: ["DDAS_MELDINGEN_SLEUTEL": Data(repeating: 1, count: 31).base64EncodedString()])
        }
        #expect(throws: (any Error).self) { try configuration.resolvedSleutel(environment: [:]) }
        #expect(throws: Never.self) {
            try configuration.mailBestemming(environment: ["DDAS_SMTP_WACHTWOORD": "geheim"])
        }
    }

    @Test("a secret written as its value, a bad port, security, time, address or dispatcher setting is refused, naming the setting")
    func refused() throws {
        let cases: [(String, String)] = [
            (file().replacingOccurrences(of: "wachtwoord: env:DDAS_SMTP_WACHTWOORD", with: "wachtwoord: hunter2"), "env:NAME"),
            (file().replacingOccurrences(of: "sleutel: env:DDAS_MELDINGEN_SLEUTEL", with: "sleutel: c2VjcmV0"), "env:NAME"),
            (file(smtp: "    port: 0"), "email.smtp.port"),
            (file(smtp: "    port: -1"), "email.smtp.port"),
            (file(smtp: "    port: 65536"), "email.smtp.port"),
            (file(smtp: "    port: 9223372036854775807"), "email.smtp.port"),
            (file(smtp: "    port: 99999999999999999999999"), "meldingen configuration"),
            (file(smtp: "    beveiliging: ssl3"), "email.smtp.beveiliging"),
            (file(smtp: "    timeout_seconden: 0"), "email.smtp.timeout_seconden"),
            (file().replacingOccurrences(of: "\"07:30\"", with: "\"25:00\""), "dagoverzicht"),
            (file().replacingOccurrences(of: "https://regie.ddas.example", with: "regie"), "publiek_adres"),
            (file().replacingOccurrences(of: "afzender: meldingen@regie.ddas.example", with: "afzender: <x>"), "email.afzender"),
            (file(top: "verzending:\n  tegelijk: 0"), "verzending.tegelijk"),
            (file(top: "verzending:\n  lease_seconden: -1"), "verzending.lease_seconden"),
            (file(top: "verzending:\n  lease_seconden: 60"), "longer than a send may take (60 seconds)"),
            (file(top: "verzending:\n  poll_seconden: 9223372036854775807"), "verzending.poll_seconden"),
        ]
        for (yaml, named) in cases {
            do {
                _ = try load(yaml)
                Issue.record("accepted: \(named)")
            } catch {
                #expect("\(error)".contains(named), "\(error)")
                #expect(!"\(error)".contains("hunter2"))
            }
        }
    }
}
