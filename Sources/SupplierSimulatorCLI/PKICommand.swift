import ArgumentParser
import DDASSignature
import DDASTestPKI
import Foundation

/// `ddas-supplier-sim pki`: writes a test PKI (never for production).
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Writes a test PKI for the exchange's signatures: root, intermediate, supplier and CBS signing certificates.",
        discussion: """
            Files: root.pem, intermediate.pem, leverancier.key.pem, leverancier.chain.pem, cbs.key.pem,
            cbs.chain.pem, and for fault tests verlopen.* (an expired supplier certificate) and
            onbekend.* plus onbekend-root.pem (a chain to a root nobody trusts). Keys are written 0600.
            For tests and demonstrations only: production uses PKIoverheid certificates.
            """)

    @Option(help: "The folder to write to (created if missing).")
    var out: String

    @Flag(help: "Replace files that exist.")
    var overwrite = false

    @Option(
        help:
            "Where the simulator will serve the PKI's OCSP responder and CRLs, e.g. http://127.0.0.1:8089/pki: the certificates name it, and root.key.pem and intermediate.key.pem are written for the responder (serve --pki)."
    )
    var revocationBaseUrl: String?

    func run() async throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let pki = try await TestPKI.generate(revocationBaseURL: revocationBaseUrl)
        var written = try pki.write(to: out, overwrite: overwrite)
        if revocationBaseUrl != nil { written += try pki.writeRevocationFiles(to: out, overwrite: overwrite) }
        print(
            "Wrote \(written.count) files to \(out): " + written.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))
    }
}
