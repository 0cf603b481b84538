import ArgumentParser
import Foundation

/// `ddas-supplier-sim`: the simulator of software suppliers' DDAS APIs.
@main
struct DDASSupplierSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddas-supplier-sim",
        abstract: "Simulates software suppliers' DDAS APIs (DDAS-VS.yaml, DDAS-SHV.yaml) with synthetic data and switchable faults.",
        subcommands: [ServeCommand.self, GenerateCommand.self, PKICommand.self]
    )
}
