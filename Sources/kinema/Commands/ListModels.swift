import ArgumentParser
import Foundation
import KinemaModels

/// `kinema list-models`: the backbone registry.
struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-models",
        abstract: "List the backbones Kinema can build, with their parameter counts and default clip sizes.")

    func run() {
        let rows = ModelName.allCases.map { name -> [String] in
            let spec = name.spec
            return [name.rawValue, formatCount(spec.parameterCount), "\(spec.classes)", "\(spec.clip)", spec.summary]
        }
        let header = ["name", "parameters", "classes", "clip TxHxW", "what"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        for row in [header] + rows {
            let padded = zip(row.dropLast(), widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            print((padded + [row.last!]).joined(separator: "  "))
        }
    }

    /// 33371472 → "33.37 M".
    private func formatCount(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.2f M", Double(n) / 1e6) : String(format: "%.0f k", Double(n) / 1e3)
    }
}
