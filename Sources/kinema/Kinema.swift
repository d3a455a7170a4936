import ArgumentParser
import KinemaTensor

@main
struct Kinema: ParsableCommand {
    /// The release this build belongs to (semantic versioning; the newest entry of CHANGELOG.md).
    static let version = "0.3.0"

    static let configuration = CommandConfiguration(
        commandName: "kinema",
        abstract: "Self-supervised motion representation learning for video (MoSI; MME and CGM-Net are planned).",
        version: version,
        subcommands: [Demo.self, MoSI.self, FineTune.self, Evaluate.self, Features.self, GradCAMCommand.self, Flow.self, Trajectories.self, MakeDataset.self, ListModels.self, Info.self])
}
