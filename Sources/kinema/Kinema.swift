import ArgumentParser
import KinemaTensor

@main
struct Kinema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinema",
        abstract: "Self-supervised motion representation learning for video.",
        subcommands: [Demo.self, MoSI.self, FineTune.self, Evaluate.self, Features.self, GradCAMCommand.self, Flow.self, Trajectories.self, MakeDataset.self, ListModels.self, Info.self])
}
