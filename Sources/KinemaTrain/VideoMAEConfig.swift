// `kinema videomae pretrain`'s configuration: VideoMAE (Tong et al., NeurIPS 2022) — a ViT encoder
// on the visible tubes of a tube-masked clip, a light decoder predicting the masked tubes' pixels.
// Defaults are the official Kinetics-400 ViT-B recipe (`MCG-NJU/VideoMAE` `run_mae_pretraining.py`
// and `scripts/kinetics/…/pretrain.sh`; docs/reference-implementations.md §3.8): 16 frames at stride 4,
// multi-scale crop to 224², tube masking at 0.9, AdamW β (0.9, 0.95) with weight decay 0.05 (none on
// biases, norms and the mask token), lr 1.5e-4 per 256 clips, warm-up then per-step cosine.
import Foundation
import KinemaData
import KinemaModels
import KinemaPretext

/// Which videos, and how clips are cut from them.
public struct VideoMAEDataSettings: ConfigSection, Equatable {
    /// "" reads `source` as a folder of videos; a dataset format of `kinema finetune` ("ucf101",
    /// "hmdb51", "kinetics", "ssv2", "list", "folders") reads that dataset's training side only.
    public var format = ""
    /// A folder of videos or, with a `format`, the dataset's videos (fine-tuning's `data.videos`).
    public var source = ""
    /// With ucf101/hmdb51: the split files' folder and the split; with kinetics/ssv2/list the
    /// training annotation file (with "folders": the training folder); ssv2 also `labels`.
    public var splits = ""
    public var split = 1
    public var train = ""
    public var labels = ""
    /// Frames per clip and the step between them (VideoMAE: 16 × 4; Something-Something: 16 × 2).
    public var frames = 16
    public var stride = 4
    /// Frames are decoded with this short side before the crop (VideoMAE's Kinetics copies are
    /// stored at short side 320).
    public var decodeShortSide = 320
    /// Side of the square training clips.
    public var cropSize = 224
    /// "multiScale" (TSN's corner crop with scales [1, .875, .75, .66] of the short side, VideoMAE's),
    /// "random" (a `cropSize`² square anywhere, not resized: CGM-Net's 112² crops of 128-px frames)
    /// or "center" (the centred square, no random crop).
    public var crop = "multiScale"
    /// Mirror clips left–right at random (VideoMAE's pretraining does not).
    public var flip = false
    /// "imagenet" (VideoMAE) or "kinetics"; the pixel target undoes it.
    public var normalization = InputNormalization.imagenet.rawValue
    /// Clips per forward pass; ``VideoMAEOptimSettings/accumulate`` passes make one step.
    public var batchSize = 8
    /// Threads that decode clips beside the trainer.
    public var loaderThreads = 2
    /// What the held-out reconstruction loss is measured on: "videos" (`validationVideos` whole
    /// videos never trained on: the last ones by name in a folder, spread evenly over a dataset's
    /// list) or "end" (the last `heldOutFraction` of every video's frames, which training never
    /// samples from: for a few long videos, where new moments of seen scenes are held out).
    public var heldOut = "videos"
    public var validationVideos = 1
    public var heldOutFraction = 0.2
    /// Clips per held-out video, spread evenly over its held-out part: the centre `cropSize`² of
    /// frames decoded at `decodeShortSide`, as training decodes them.
    public var validationClips = 4

    public init() {}

    static let crops = ["multiScale", "random", "center"]

    public func validate(_ problems: inout ConfigProblems) {
        if format.isEmpty {
            problems.check(!source.isEmpty, "source", "names no folder of videos")
        } else {
            problems.check(FineTuneDataSettings.formats.contains(format), "format",
                "must be empty (a folder) or one of \(FineTuneDataSettings.formats.joined(separator: ", ")), got '\(format)'")
        }
        problems.check(frames > 0 && stride > 0, "frames", "frames and stride must be positive, got \(frames) and \(stride)")
        problems.check(decodeShortSide > 0, "decodeShortSide", "must be positive, got \(decodeShortSide)")
        problems.check(cropSize > 0 && cropSize <= decodeShortSide, "cropSize",
            "must be positive and ≤ decodeShortSide (\(decodeShortSide)), got \(cropSize)")
        problems.check(Self.crops.contains(crop), "crop", "must be \(Self.crops.joined(separator: " or ")), got '\(crop)'")
        problems.check(InputNormalization(rawValue: normalization) != nil, "normalization",
            "must be \(InputNormalization.names), got '\(normalization)'")
        problems.check(batchSize > 0, "batchSize", "must be positive, got \(batchSize)")
        problems.check(loaderThreads > 0, "loaderThreads", "must be positive, got \(loaderThreads)")
        problems.check(["videos", "end"].contains(heldOut), "heldOut", "must be videos or end, got '\(heldOut)'")
        problems.check(validationVideos >= 0, "validationVideos", "must be ≥ 0, got \(validationVideos)")
        problems.check(heldOutFraction > 0 && heldOutFraction < 1, "heldOutFraction", "must be in (0, 1), got \(heldOutFraction)")
        problems.check(validationClips > 0, "validationClips", "must be positive, got \(validationClips)")
    }

    public var inputNormalization: InputNormalization { InputNormalization(rawValue: normalization) ?? .imagenet }

    /// The square a training clip of `width × height` frames is cut from, as `crop` says.
    func cropBox<G: RandomNumberGenerator>(width: Int, height: Int, using generator: inout G) -> CropBox {
        let side = min(width, height)
        switch crop {
        case "center":
            return CropBox(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side)
        case "random":
            let inside = min(cropSize, side)
            return CropBox(
                x: Int.random(in: 0...(width - inside), using: &generator), y: Int.random(in: 0...(height - inside), using: &generator),
                width: inside, height: inside)
        default:
            return MultiScaleCrop().sample(width: width, height: height, outputSize: cropSize, using: &generator)
        }
    }

    /// The loader: `frames` at `stride` (exact), decoded at `decodeShortSide`; the held-out clips
    /// are `validationClips` evenly spaced centre crops.
    func loader() throws(DatasetError) -> VideoClipLoader {
        try VideoClipLoader(
            sampling: ClipSampling(frames: frames, stride: stride, targetFPS: nil, testPlacement: .evenlySpaced),
            trainingSize: .shortSide(decodeShortSide),
            augmentation: ClipAugmentation(cropSize: cropSize, flipProbability: flip ? 0.5 : 0),
            testViews: TestViews(clips: validationClips, crops: 1, shortSide: decodeShortSide, cropSize: cropSize))
    }

    /// The part of each training video clips are sampled from, and of each held-out one.
    var trainingPortion: Range<Double> { heldOut == "end" ? 0..<(1 - heldOutFraction) : 0..<1 }
    var heldOutPortion: Range<Double> { heldOut == "end" ? (1 - heldOutFraction)..<1 : 0..<1 }

    /// The training and held-out videos, and the dataset rows skipped as unusable.
    func videos() throws -> (training: [VideoItem], heldOut: [VideoItem], skipped: [DatasetProblem]) {
        let all: [VideoItem]
        var skipped: [DatasetProblem] = []
        if format.isEmpty {
            all = try VideoFrameSource(folder: URL(fileURLWithPath: source)).videos.map { VideoItem(url: $0, label: 0) }
        } else {
            let dataset = try FineTuneDataSettings.trainingSide(
                format: format, videos: source, splits: splits, split: split, train: train, labels: labels)
            (all, skipped) = (dataset.items, dataset.problems)
        }
        if heldOut == "end" { return (all, all, skipped) }
        let held =
            format.isEmpty
            ? Array(max(0, all.count - validationVideos)..<all.count)
            : validationVideos > 0 ? Evaluation.evenlySpread(min(validationVideos, all.count), of: all.count) : []
        guard all.count > held.count else {
            throw TrainingRunError(
                "\(format.isEmpty ? source : "the \(format) training list") holds \(all.count) videos, not more than the "
                    + "\(validationVideos) held out for validation (data.validationVideos)")
        }
        let heldSet = Set(held)
        return (all.indices.filter { !heldSet.contains($0) }.map { all[$0] }, held.map { all[$0] }, skipped)
    }
}

/// The masked autoencoder: encoder, decoder, masking and target.
public struct VideoMAEModelSettings: ConfigSection, Equatable {
    /// A registered ViT (`kinema list-models`): vit_s_16, vit_b_16, vit_l_16, vit_s_16_tiny.
    public var name = ModelName.vitB16.rawValue
    /// The decoder's width, blocks and heads; 0 keeps VideoMAE's for the encoder (ViT-S 192/4/3,
    /// ViT-B 384/4/6, ViT-L 512/4/8).
    public var decoderWidth = 0
    public var decoderDepth = 0
    public var decoderHeads = 0
    /// "tube" (VideoMAE: the same positions in every temporal slice) or "random".
    public var masking = "tube"
    /// Fraction of tokens masked (VideoMAE 0.9; 0.75 for UCF101; MME 0.7).
    public var maskRatio = 0.9
    /// Standardise every target tube per channel (VideoMAE's `normlize_target`, default on).
    public var normalizeTarget = true
    /// Recompute each encoder block in backward instead of keeping its activations (VideoMAE's
    /// `use_checkpoint`): the same gradients, far less memory, about a third more compute.
    public var checkpointBlocks = false

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        let vits = ModelName.allCases.filter { $0.vitConfiguration() != nil }.map(\.rawValue)
        problems.check(ModelName(rawValue: name)?.vitConfiguration() != nil, "name",
            "must be a ViT (\(vits.joined(separator: ", "))), got '\(name)'")
        problems.check(decoderWidth >= 0 && decoderDepth >= 0 && decoderHeads >= 0, "decoderWidth",
            "decoder sizes must be ≥ 0 (0: VideoMAE's)")
        problems.check(TokenMasking.Kind(rawValue: masking) != nil, "masking", "must be tube or random, got '\(masking)'")
        problems.check(maskRatio > 0 && maskRatio < 1, "maskRatio", "must be in (0, 1), got \(maskRatio)")
    }

    public var modelName: ModelName? { ModelName(rawValue: name) }

    /// `decoder` with the sizes these keys set (a 0 keeps the decoder's own).
    func sized(_ decoder: VideoMAEDecoderConfiguration) -> VideoMAEDecoderConfiguration {
        var decoder = decoder
        if decoderWidth > 0 { (decoder.dimension, decoder.mlpHiddenDimension) = (decoderWidth, 4 * decoderWidth) }
        if decoderDepth > 0 { decoder.depth = decoderDepth }
        if decoderHeads > 0 { decoder.heads = decoderHeads }
        return decoder
    }

    /// The masking the keys describe.
    public func tokenMasking() throws -> TokenMasking {
        try TokenMasking(TokenMasking.Kind(rawValue: masking) ?? .tube, ratio: maskRatio)
    }
}

/// AdamW with VideoMAE's per-step warm-up cosine; learning rates are per 256 clips and scale with
/// the effective batch (`batchSize × accumulate`), as `run_mae_pretraining.py` scales them.
public struct VideoMAEOptimSettings: ConfigSection, Equatable {
    /// Peak learning rate per 256 clips (VideoMAE 1.5e-4; its UCF101 script 3e-4).
    public var learningRate = 1.5e-4
    /// The cosine's end and the warm-up's start, per 256 clips (VideoMAE 1e-5 and 1e-6).
    public var minLearningRate = 1e-5
    public var warmupLearningRate = 1e-6
    /// Warm-up length in steps or, when positive, epochs (VideoMAE: 40 epochs).
    public var warmupSteps = 0
    public var warmupEpochs = 40.0
    public var weightDecay = 0.05
    public var betas = [0.9, 0.95]
    /// Forward/backward passes of `data.batchSize` clips whose gradients add up to one step, for
    /// batches that do not fit at once (VideoMAE's effective batch is 2048 on 64 GPUs).
    public var accumulate = 1
    /// Clip the gradient's global norm to this (0: no clipping, VideoMAE's default).
    public var clipGradient = 0.0

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(learningRate > 0, "learningRate", "must be positive, got \(learningRate)")
        problems.check(minLearningRate >= 0 && warmupLearningRate >= 0, "minLearningRate", "learning rates must be ≥ 0")
        problems.check(warmupSteps >= 0 && warmupEpochs >= 0, "warmupSteps", "warm-up lengths must be ≥ 0")
        problems.check(weightDecay >= 0, "weightDecay", "must be ≥ 0, got \(weightDecay)")
        problems.check(betas.count == 2 && betas.allSatisfy { (0..<1).contains($0) }, "betas", "must be [β1, β2] in [0, 1), got \(betas)")
        problems.check(accumulate >= 1, "accumulate", "must be ≥ 1, got \(accumulate)")
        problems.check(clipGradient >= 0, "clipGradient", "must be ≥ 0 (0: off), got \(clipGradient)")
    }
}

/// `kinema videomae pretrain`'s configuration (configs/videomae/*.yaml).
public struct VideoMAEPretrainConfig: RunConfig, Equatable {
    public var run = RunSettings()
    public var data = VideoMAEDataSettings()
    public var model = VideoMAEModelSettings()
    /// What the decoder predicts: VideoMAE's pixels by default, MME's motion with `kind: mme`.
    public var target = MaskedTargetSettings()
    public var optim = VideoMAEOptimSettings()
    /// Optimizer steps; set 0 and give `epochs` (one clip of every training video each) instead.
    public var steps = 0
    public var epochs = 800
    /// Steps between held-out reconstruction losses (and the reconstruction GIF).
    public var validateEvery = 500

    public init() {
        run.output = "runs/videomae"
    }

    public static var keysChangeableOnResume: [String] {
        RunSettings.changeableOnResume + ["validateEvery", "data.loaderThreads", "model.checkpointBlocks"]
    }

    public func validate(_ problems: inout ConfigProblems) {
        problems.validate(data, at: "data")
        problems.validate(model, at: "model")
        problems.validate(target, at: "target")
        problems.validate(optim, at: "optim")
        validateMotionTarget(&problems)
        if let decoder = try? decoderConfiguration(), decoder.dimension % decoder.heads != 0 {
            problems.add("model.decoderHeads", "the decoder width \(decoder.dimension) must divide by its \(decoder.heads) heads")
        }
        length.validate(&problems)
        problems.check(validateEvery > 0, "validateEvery", "must be positive, got \(validateEvery)")
        let clip = ClipShape(frames: data.frames, height: data.cropSize, width: data.cropSize)
        if let problem = model.modelName?.problem(with: clip) {
            problems.add("data.cropSize", "\(problem) (model \(model.name); set data.frames and data.cropSize to fit)")
        } else if let name = model.modelName, let vit = name.vitConfiguration(), let masking = try? model.tokenMasking() {
            let grid = (data.frames / vit.tubeletSize, data.cropSize / vit.patchSize, data.cropSize / vit.patchSize)
            let masked = masking.maskedCount(frames: grid.0, height: grid.1, width: grid.2)
            problems.check(masked > 0 && masked < grid.0 * grid.1 * grid.2, "model.maskRatio",
                "masks \(masked) of the \(grid.0)×\(grid.1)×\(grid.2) tokens of a \(data.frames)×\(data.cropSize)² clip: "
                    + "it must mask some and leave some visible")
        }
    }

    /// The decoder, sized by the `model.decoder*` keys: VideoMAE's for the encoder (one Linear head
    /// of a tube's pixels) or, for motion targets, MME's (a two-layer head per target, MME's keys).
    public func decoderConfiguration() throws -> VideoMAEDecoderConfiguration {
        guard let name = model.modelName, let vit = name.vitConfiguration(),
            let videoMAE = VideoMAEDecoderConfiguration.videoMAE(
                for: name, outputs: vit.tubeletSize * vit.patchSize * vit.patchSize * vit.channels)
        else { throw ConfigError(problems: ["model.name: '\(model.name)' is not a ViT"]) }
        return model.sized(target.isMotion ? .mme(predictionHeads: target.predictionHeads) : videoMAE)
    }

    /// Clips per optimizer step.
    public var clipsPerStep: Int { data.batchSize * optim.accumulate }

    /// `rate` (per 256 clips) at this run's effective batch.
    public func scaled(_ rate: Double) -> Double { rate * Double(clipsPerStep) / 256 }

    /// Steps in one pass over `trainingVideos` videos (one clip each).
    public func stepsPerEpoch(trainingVideos: Int) -> Int { max(1, (trainingVideos + clipsPerStep - 1) / clipsPerStep) }

    private var length: TrainingLength {
        TrainingLength(steps: steps, epochs: epochs, warmupSteps: optim.warmupSteps, warmupEpochs: optim.warmupEpochs)
    }

    /// The run's length in steps and its warm-up.
    public func schedule(trainingVideos: Int) -> (steps: Int, warmup: Int) {
        length.schedule(perEpoch: stepsPerEpoch(trainingVideos: trainingVideos))
    }
}

extension VideoMAEPretrainConfig {
    /// Motion targets are computed for the model's tokens from the frames between the sampled ones.
    fileprivate func validateMotionTarget(_ problems: inout ConfigProblems) {
        guard target.isMotion, let vit = model.modelName?.vitConfiguration() else { return }
        let motion = target.motion
        problems.check(motion.tubelet == vit.tubeletSize && motion.patch == vit.patchSize, "target.motion.patch",
            "tubelet and patch must be the model's (\(vit.tubeletSize), \(vit.patchSize)), got (\(motion.tubelet), \(motion.patch))")
        problems.check(motion.clipNormalization == data.inputNormalization, "target.motion.clipNormalization",
            "must be data.normalization (\(data.normalization)), got \(motion.clipNormalization.rawValue)")
    }
}
