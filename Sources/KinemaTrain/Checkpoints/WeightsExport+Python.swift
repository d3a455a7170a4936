import KinemaModels

extension WeightsExport {
    /// Python that builds the model an exported file fits and loads it strictly: torchvision's
    /// constructor (at width 64; another width through the width-scaled torchvision VideoResNet of
    /// Tools/fixtures/gen_models.py), TAdaConv's model (or gen_models.py's restatement of its
    /// layout), VideoMAE's `modeling_finetune.VisionTransformer`, transformers'
    /// `VideoMAEForVideoClassification`. Run from the repository root for the Tools/fixtures lines.
    static func pythonLines(
        _ layout: WeightLayout, _ model: ModelName, width: Int, classes: Int, vit: VisionTransformerConfiguration?,
        autoencoder: Bool, file: String
    ) -> String {
        let load = "model.load_state_dict(safetensors.torch.load_file(\(quoted(file))), strict=True)"
        let family = model.rawValue.replacingOccurrences(of: "_tiny", with: "")
        let fixtures = "import sys; sys.path.insert(0, \"Tools/fixtures\")"
        switch layout {
        case .torchvision:
            let build = width == 64
                ? ["import torchvision", "model = torchvision.models.video.\(family)(num_classes=\(classes))"]
                : ["\(fixtures)  # torchvision's own VideoResNet and blocks, at width \(width)",
                   "from gen_models import torchvision_model",
                   "model = torchvision_model(\(quoted(family)), \(width), \(classes))"]
            return (["import safetensors.torch"] + build + [load]).joined(separator: "\n")
        case .tadaconv:
            return ([
                "import safetensors.torch",
                "# In TAdaConv (alibaba-mmai-research/TAdaConv): build_model(cfg) with the MoSI backbone config of "
                    + "\(family) and VIDEO.HEAD.NUM_CLASSES \(classes); or its layout restated in plain torch.nn:",
                fixtures, "from gen_models import MoSIModel",
                "model = MoSIModel(\(quoted(family)), \(width), \(classes))", load,
            ]).joined(separator: "\n")
        case .videomae, .hf:
            guard let vit else { return "" }
            if autoencoder {
                return "# VideoMAE's modeling_pretrain.PretrainVisionTransformer of this size (encoder and decoder):\n\(load)"
            }
            let clip = model.spec.clip
            if layout == .videomae {
                return [
                    "import safetensors.torch", "from functools import partial", "import torch.nn as nn",
                    "from modeling_finetune import VisionTransformer  # VideoMAE's repository",
                    "model = VisionTransformer(img_size=\(clip.height), patch_size=\(vit.patchSize), num_classes=\(classes), "
                        + "embed_dim=\(vit.dimension), depth=\(vit.depth), num_heads=\(vit.heads), "
                        + "mlp_ratio=\(Double(vit.mlpHiddenDimension) / Double(vit.dimension)), qkv_bias=\(vit.qkvBias ? "True" : "False"), "
                        + "norm_layer=partial(nn.LayerNorm, eps=\(vit.layerNormEpsilon)), all_frames=\(clip.frames), "
                        + "tubelet_size=\(vit.tubeletSize), use_mean_pooling=True)",
                    load,
                ].joined(separator: "\n")
            }
            return [
                "import safetensors.torch",
                "from transformers import VideoMAEConfig, VideoMAEForVideoClassification",
                "config = VideoMAEConfig(image_size=\(clip.height), patch_size=\(vit.patchSize), num_frames=\(clip.frames), "
                    + "tubelet_size=\(vit.tubeletSize), hidden_size=\(vit.dimension), num_hidden_layers=\(vit.depth), "
                    + "num_attention_heads=\(vit.heads), intermediate_size=\(vit.mlpHiddenDimension), "
                    + "qkv_bias=\(vit.qkvBias ? "True" : "False"), layer_norm_eps=\(vit.layerNormEpsilon), "
                    + "use_mean_pooling=True, num_labels=\(classes))",
                "model = VideoMAEForVideoClassification(config)", load,
            ].joined(separator: "\n")
        }
    }

    /// A Python string literal of `text`.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
