import ArgumentParser
import KinemaTensor

@main
struct Kinema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinema",
        abstract: "Self-supervised motion representation learning for video.",
        subcommands: [Demo.self, MoSI.self, Flow.self, Trajectories.self, ListModels.self, Info.self])
}
