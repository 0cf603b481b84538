import ArgumentParser
import Foundation
import RegieApp
import RegieDomain

/// `ddas-regie rapport`: where everyone stands, in the terminal: the same figures as
/// `GET /v1/voortgang` (the funnel, the due months, the suppliers, the latest deliveries and
/// who needs attention).
struct RapportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport", abstract: "Prints where the gemeenten and suppliers stand (as GET /v1/voortgang).")

    @Flag(help: "List every gemeente that needs attention, not the first 25.")
    var alle = false

    @Option(help: "tabel (aligned for a terminal, the default), csv (the spreadsheet of GET /v1/voortgang) or json.")
    var formaat: TerminalReport.Format = .tabel

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let text = try await withStores(database) { stores, _ in
            try await TerminalReport.render(stores: stores, now: Date(), attentionLimit: alle ? nil : 25, format: formaat)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

extension TerminalReport.Format: ExpressibleByArgument {}
