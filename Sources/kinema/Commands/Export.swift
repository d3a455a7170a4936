import ArgumentParser
import Foundation
import KinemaModels
import KinemaTrain

/// `kinema export`: a Kinema checkpoint → a plain PyTorch state dict for torchvision, TAdaConv,
/// VideoMAE or transformers (docs/interop.md).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Kinema checkpoint's model as a plain PyTorch state dict (safetensors).",
        discussion: """
            Writes the backbone and its classifier (a VideoMAE or MME run: the whole masked \
            autoencoder) under the keys of --layout — torchvision for r3d_18 / mc3_18 / r2plus1d_18, \
            tadaconv for r2plus1d_10 / r2d3d_18, videomae (default) or hf for the ViTs — and prints \
            the Python lines that build the matching model and load the file with strict=True. \
            BatchNorm's running statistics and num_batches_tracked (int64) travel with the weights.

            Examples:
              kinema export runs/finetune --output r2plus1d_18.safetensors
              kinema export runs/vit-finetune --layout hf --output model.safetensors
            """)

    @Argument(help: ArgumentHelp("A Kinema run folder (its latest checkpoint) or checkpoint file.", valueName: "checkpoint"))
    var checkpoint: String

    @Option(help: ArgumentHelp("The state dict to write (.safetensors).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("torchvision, tadaconv, videomae or hf (default: the model's own).", valueName: "layout"))
    var layout: String?

    func validate() throws {
        if let layout { _ = try WeightLayout(validating: layout) }
    }

    func run() throws {
        let summary = try WeightsExport.run(
            checkpoint: URL(fileURLWithPath: checkpoint), layout: try layout.map { try WeightLayout(validating: $0) },
            output: URL(fileURLWithPath: output))
        print("wrote \(output): \(summary.model.rawValue) at width \(summary.width), \(summary.classes) classes, "
            + "\(summary.tensorCount) tensors in the \(summary.layout) layout. Load it in Python with:\n")
        print(summary.pythonLines)
    }
}
