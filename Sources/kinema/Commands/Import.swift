import ArgumentParser
import Foundation
import KinemaData
import KinemaModels
import KinemaTrain

/// `kinema import`: weights from torchvision, TAdaConv (MoSI), VideoMAE, MME or transformers → a
/// Kinema checkpoint (docs/interop.md).
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a PyTorch state dict (safetensors) into a Kinema checkpoint.",
        discussion: """
            Reads a plain state dict of torchvision's video ResNets, TAdaConv's MoSI backbones \
            (R(2+1)D-10, R-2D3D-18), or VideoMAE/MME/transformers ViTs, saved as safetensors; the \
            layout is told from the keys (--layout names it). Every tensor must have a place in the \
            model at its shape, and the model no tensor missing (a pretraining checkpoint's missing \
            classifier starts fresh), or nothing is written and the error lists the differences. \
            The checkpoint written loads with `kinema finetune --pretrained`, predict, features, \
            gradcam and export.

            Kinema never unpickles: convert a .pth/.pt/.bin first with \
            `python3 Tools/convert/pth_to_safetensors.py FILE.pth` (torch.load(weights_only=True)).

            Examples:
              kinema import r2plus1d_18.safetensors --model r2plus1d_18 --output imported/r2plus1d_18.safetensors
              kinema import mosi_r2p1d_ucf.safetensors --model r2plus1d_10 --output imported/mosi.safetensors
              kinema import checkpoint-1599.safetensors --model vit_b_16 --output imported/videomae.safetensors
            """)

    @Argument(help: ArgumentHelp("The state dict to import (.safetensors).", valueName: "source"))
    var source: String

    @Option(help: ArgumentHelp("The Kinema model the weights are for (`kinema list-models`).", valueName: "name"))
    var model: String

    @Option(help: ArgumentHelp("The Kinema checkpoint to write (.safetensors).", valueName: "file"))
    var output: String

    @Option(help: "The model's width (default: read off the tensors).")
    var width: Int?

    @Option(help: ArgumentHelp("torchvision, tadaconv, videomae or hf (default: told from the keys).", valueName: "layout"))
    var layout: String?

    @Option(help: ArgumentHelp(
        "The statistics the weights were trained with: \(InputNormalization.names) (default: the layout's usual ones).",
        valueName: "name"))
    var normalization: String?

    func validate() throws {
        _ = try ModelName(validating: model)
        if let layout { _ = try WeightLayout(validating: layout) }
        if let width, width <= 0 { throw ValidationError("--width must be > 0") }
        if let normalization, InputNormalization(rawValue: normalization) == nil {
            throw ValidationError("--normalization must be \(InputNormalization.names), got '\(normalization)'")
        }
    }

    func run() throws {
        let name = try ModelName(validating: model)
        let summary = try WeightsImport.run(
            source: URL(fileURLWithPath: source), model: name, width: width,
            layout: try layout.map { try WeightLayout(validating: $0) },
            normalization: normalization.flatMap(InputNormalization.init(rawValue:)), output: URL(fileURLWithPath: output))
        for note in summary.notes { print("note: \(note)") }
        print("wrote \(output): \(name.rawValue) at width \(summary.width), \(summary.classes) classes, "
            + "\(summary.tensorCount) tensors from the \(summary.layout) layout")
    }
}
