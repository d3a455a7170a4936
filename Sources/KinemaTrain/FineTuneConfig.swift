// `kinema finetune`'s configuration (configs/finetune/*.yaml). The defaults are MoSI's fine-tuning
// recipe (MoSI §4, Appendix A; docs/reference-implementations.md §1.9: TAdaConv `finetune.yaml` +
// `ft_r2p1d_ucf.yaml`): Adam, weight decay
// 1e-3, warm-up then half-cosine, dropout 0.5, 16 frames at interval 4 @ 30 fps, 112² crops with
// the original random resized crop, flip and clip-wise colour jitter, Kinetics mean/std, and the
// 10-clip × 1-crop test with softmax fusion.
import Foundation
import KinemaData
import KinemaModels
import KinemaOptim
import KinemaVideo

/// Which videos, how clips are cut from them, and how they are augmented.
public struct FineTuneDataSettings: ConfigSection, Equatable {
    /// The annotation format: "ucf101", "hmdb51" (official split files under `splits`),
    /// "kinetics" (CSV), "ssv2" (Something-Something v2 JSON), "list" (`path label` lines, as
    /// TAdaConv/VideoMAE ship) or "folders" (a folder per class).
    public var format = "ucf101"
    /// The folder of videos (or frame folders): UCF101/HMDB51 `<Class>/<video>`, the Kinetics root,
    /// SSv2's `<id>.webm` folder, the root of a list's relative paths (empty: the list's folder).
    /// Unused for "folders".
    public var videos = ""
    /// UCF101's `ucfTrainTestlist/` or HMDB51's `testTrainMulti_7030_splits/`.
    public var splits = ""
    /// The official split, 1–3 (UCF101, HMDB51).
    public var split = 1
    /// The training annotation file (kinetics: CSV, ssv2: JSON, list: text) or, for "folders", the
    /// training folder.
    public var train = ""
    /// The test annotation file or folder, as `train` (Kinetics: the validation CSV).
    public var test = ""
    /// SSv2's `something-something-v2-labels.json`.
    public var labels = ""

    /// T: frames per clip.
    public var frames = 16
    /// s: the step between sampled frames.
    public var stride = 4
    /// When positive, `stride` counts frames at this rate whatever the video's (TAdaConv's
    /// `TARGET_FPS`, MoSI's 30); 0 steps exactly `stride` source frames (VideoMAE).
    public var targetFPS = 30.0
    /// Where the K test clips start: "tadaconv" (clip k at room·k/K) or "evenlySpaced" (first to
    /// last, VideoMAE).
    public var testPlacement = TestClipPlacement.tadaconv.rawValue
    /// Side of the square training and test crops.
    public var cropSize = 112
    /// Training frames are decoded at this short side before the random crop (decoding small is
    /// much faster than cropping full frames).
    public var decodeShortSide = 128
    /// The training crop: "mosi" (MoSI's original RandomResizedCrop, scale ≈ [0.32, 0.58],
    /// ratio [6/7, 7/6]), "videomae" (scale [0.25, 1], ratio [3/4, 4/3]), "center" (the centred
    /// square, no random crop) or "fixed" (a `cropSize`² window at a random place of the frame
    /// decoded at `decodeShortSide`, not rescaled: speeds and sizes stay as filmed, which the motion
    /// benchmark's speed classes need; exact on square frames such as the benchmark's, on a W × H
    /// frame the window is `cropSize`·√(W/H) wide and high, then resized to `cropSize`).
    public var crop = "mosi"
    /// Mirror clips left–right with probability ½. Turn it off where classes name directions
    /// (Something-Something, the motion benchmark).
    public var flip = true
    /// Clip-wise colour jitter (brightness/contrast/saturation 0.5, hue 0.25, gray 0.3: MoSI).
    public var colorJitter = true
    /// "kinetics" (0.45 / 0.225, MoSI/TAdaConv) or "imagenet" (torchvision, VideoMAE); it must be
    /// the one the pretrained run (`model.pretrained`) was trained with.
    public var normalization = "kinetics"
    /// K: temporal clips per test video.
    public var testClips = 10
    /// M: spatial crops per test clip (1: centre; 3: along the long side).
    public var testCrops = 1
    /// Test frames are resized to this short side, then cropped to `cropSize` (MoSI's original:
    /// 128 for 112, the crop being 0.875 of the short side).
    public var testShortSide = 128
    /// k > 0 trains on k videos per class (drawn with the run seed); 0 trains on all (MoSI Table 3).
    public var fewShot = 0
    /// Clips per training step.
    public var batchSize = 8
    /// Threads that decode and augment clips, beside the training thread.
    public var loaderThreads = 2
    /// Test videos used by the validations during training (evenly spread); 0 uses all. The final
    /// evaluation always uses all.
    public var validationVideos = 0
    /// Mixup α (0: off) and CutMix α (0: off), as VideoMAE fine-tunes ViTs (0.8 and 1.0).
    public var mixup = 0.0
    public var cutmix = 0.0
    /// Label smoothing ε (VideoMAE: 0.1).
    public var labelSmoothing = 0.0
    /// RandAugment as timm's spec string (VideoMAE: "rand-m7-n4-mstd0.5-inc1"): one draw per clip,
    /// applied to every decoded frame before the crop (``RandAugment``); "" turns it off.
    public var randAugment = ""
    /// The probability of random erasing (VideoMAE: 0.25; ``RandomErasing``); 0 turns it off.
    public var randomErasing = 0.0
    /// "clip": one erased box for the whole clip, VideoMAE's own code (`cube=True`); "frame": a box
    /// and a probability draw per frame, timm's RandomErasing on the clip as a batch of images.
    public var randomErasingMode = RandomErasing.Mode.clip.rawValue
    /// k: clips per video (repeated augmentation, VideoMAE's `num_sample` 2): each step's
    /// `batchSize` clips are batchSize / k videos, each sampled once and augmented k times. An
    /// epoch is a pass over the videos. k must divide batchSize.
    public var repeatedAugmentation = 1
    /// The frame-order control (``FrameOrder``): "natural" (as sampled), "reversed" (every training
    /// and test clip last frame first) or "shuffled" (a random permutation of each clip's frames:
    /// at training drawn with the clip's seeded generator, at test fixed per video and clip).
    /// Trained and tested on shuffled clips, a classifier must be at chance between classes that
    /// differ only in temporal order.
    public var frameOrder = FrameOrder.natural.rawValue
    /// The appearance control: every training and test clip is one frame repeated T times (at
    /// training a random frame of the sampled clip, at test each test clip's centre frame). Its
    /// accuracy must be at chance on a benchmark whose classes are motions. Needs frameOrder natural.
    public var singleFrame = false

    public init() {}

    static let formats = ["ucf101", "hmdb51", "kinetics", "ssv2", "list", "folders"]
    static let crops = ["mosi", "videomae", "center", "fixed"]

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(Self.formats.contains(format), "format", "must be one of \(Self.formats.joined(separator: ", ")), got '\(format)'")
        switch format {
        case "ucf101", "hmdb51":
            problems.check(!videos.isEmpty, "videos", "names no folder of videos")
            problems.check(!splits.isEmpty, "splits", "names no folder of split files (\(format == "ucf101" ? "ucfTrainTestlist" : "testTrainMulti_7030_splits"))")
            problems.check((1...3).contains(split), "split", "must be 1, 2 or 3, got \(split)")
        case "kinetics", "ssv2":
            problems.check(!videos.isEmpty, "videos", "names no folder of videos")
            fallthrough
        default:
            problems.check(!train.isEmpty, "train", "names no training \(format == "folders" ? "folder" : "annotation file")")
            problems.check(!test.isEmpty, "test", "names no test \(format == "folders" ? "folder" : "annotation file")")
        }
        if format == "ssv2" { problems.check(!labels.isEmpty, "labels", "names no something-something-v2-labels.json") }
        problems.check(TestClipPlacement(rawValue: testPlacement) != nil, "testPlacement", "must be tadaconv or evenlySpaced, got '\(testPlacement)'")
        problems.check(Self.crops.contains(crop), "crop", "must be mosi, videomae, center or fixed, got '\(crop)'")
        problems.check(crop != "fixed" || decodeShortSide >= cropSize, "crop",
                       "fixed needs decodeShortSide (\(decodeShortSide)) ≥ cropSize (\(cropSize))")
        problems.check(
            InputNormalization(rawValue: normalization) != nil, "normalization",
            "must be \(InputNormalization.names), got '\(normalization)'")
        problems.check(targetFPS >= 0, "targetFPS", "must be ≥ 0 (0: exact stride), got \(targetFPS)")
        problems.check(decodeShortSide > 0, "decodeShortSide", "must be positive, got \(decodeShortSide)")
        problems.check(fewShot >= 0, "fewShot", "must be ≥ 0 (0: every video), got \(fewShot)")
        problems.check(batchSize > 0, "batchSize", "must be positive, got \(batchSize)")
        problems.check(loaderThreads > 0, "loaderThreads", "must be positive, got \(loaderThreads)")
        problems.check(validationVideos >= 0, "validationVideos", "must be ≥ 0 (0: all), got \(validationVideos)")
        problems.check(mixup >= 0 && cutmix >= 0, "mixup", "mixup and cutmix alphas must be ≥ 0")
        problems.check((0..<1).contains(labelSmoothing), "labelSmoothing", "must be in [0, 1), got \(labelSmoothing)")
        if !randAugment.isEmpty {
            do { _ = try RandAugment(spec: randAugment) } catch { problems.add("randAugment", error.message) }
        }
        problems.check((0...1).contains(randomErasing), "randomErasing", "must be a probability in [0, 1], got \(randomErasing)")
        problems.check(RandomErasing.Mode(rawValue: randomErasingMode) != nil, "randomErasingMode",
            "must be clip (one box per clip, VideoMAE) or frame (a box per frame, timm), got '\(randomErasingMode)'")
        problems.check(repeatedAugmentation >= 1 && batchSize % max(repeatedAugmentation, 1) == 0, "repeatedAugmentation",
            "must be ≥ 1 and divide batchSize (\(batchSize)), got \(repeatedAugmentation)")
        problems.check(FrameOrder(rawValue: frameOrder) != nil, "frameOrder",
            "must be \(FrameOrder.allCases.map(\.rawValue).joined(separator: ", ")), got '\(frameOrder)'")
        do {
            _ = try loader()
        } catch {
            problems.add(error.source, error.message)
        }
    }

    /// The frame sampling of training and test clips.
    public var sampling: ClipSampling {
        ClipSampling(
            frames: frames, stride: stride, targetFPS: targetFPS > 0 ? targetFPS : nil,
            testPlacement: TestClipPlacement(rawValue: testPlacement) ?? .tadaconv)
    }

    /// The training augmentation.
    public var augmentation: ClipAugmentation {
        let base: ClipAugmentation =
            switch crop {
            case "videomae": .videoMAE
            case "center": ClipAugmentation(cropSize: cropSize, crop: RandomResizedCrop(scale: 1...1, ratio: 1...1))
            case "fixed":
                // A square covering (cropSize / decodeShortSide)² of a square frame is cropSize wide.
                ClipAugmentation(cropSize: cropSize, crop: RandomResizedCrop(scale: fixedScale...fixedScale, ratio: 1...1))
            default: .mosiFineTune
            }
        return ClipAugmentation(
            cropSize: cropSize, crop: base.crop, flipProbability: flip ? 0.5 : 0,
            colorJitter: colorJitter ? .mosiFineTune : .none,
            randAugment: randAugment.isEmpty ? nil : try? RandAugment(spec: randAugment))
    }

    /// Random erasing, when on.
    public var erasing: RandomErasing? {
        guard randomErasing > 0, let mode = RandomErasing.Mode(rawValue: randomErasingMode) else { return nil }
        return RandomErasing(probability: randomErasing, mode: mode)
    }

    /// Videos per training step: batchSize / repeatedAugmentation.
    public var videosPerStep: Int { batchSize / max(repeatedAugmentation, 1) }

    /// The area fraction of the "fixed" crop on a square frame of side `decodeShortSide`.
    private var fixedScale: Double { min(1, Double(cropSize * cropSize) / Double(decodeShortSide * decodeShortSide)) }

    /// The test views, K × M crops of `cropSize` at `testShortSide`; `single` gives the one
    /// centre clip and crop of the validations during training.
    public func testViews(single: Bool = false) -> TestViews {
        TestViews(clips: single ? 1 : testClips, crops: single ? 1 : testCrops, shortSide: testShortSide, cropSize: cropSize)
    }

    /// The clip loader; `singleView` tests with the centre clip and crop only.
    public func loader(singleView: Bool = false) throws(DatasetError) -> VideoClipLoader {
        try VideoClipLoader(
            sampling: sampling, trainingSize: .shortSide(decodeShortSide), augmentation: augmentation,
            testViews: testViews(single: singleView),
            control: ClipControl(frameOrder: FrameOrder(rawValue: frameOrder) ?? .natural, singleFrame: singleFrame))
    }

    /// The input normalisation `normalization` names.
    public var inputNormalization: InputNormalization { InputNormalization(rawValue: normalization) ?? .kinetics }

    /// Mixup/CutMix with label smoothing, when any of them is on.
    public var mixing: MixupCutmix? {
        guard mixup > 0 || cutmix > 0 else { return nil }
        return MixupCutmix(mixupAlpha: mixup, cutmixAlpha: cutmix, labelSmoothing: labelSmoothing)
    }
}

/// The backbone, where its weights come from, and what of it trains.
public struct FineTuneModelSettings: ConfigSection, Equatable {
    /// A registry name (`kinema list-models`); it must be the pretrained run's.
    public var name = ModelName.r2plus1d10.rawValue
    /// Channel width; 0 keeps the registry's. It must be the pretrained run's.
    public var width = 0
    /// A Kinema run folder or checkpoint to start from (a MoSI run, or another fine-tuning); ""
    /// trains from scratch. Every tensor but the classifier must load.
    public var pretrained = ""
    /// Freeze the first N stages, stem first (MoSI Fig. 6: 0…5 for the ResNets).
    public var freezeStages = 0
    /// Linear probing: every backbone tensor frozen and BatchNorm in evaluation mode; only the
    /// classifier trains (with a ViT's `fc_norm`, which normalises its input).
    public var linearProbe = false
    /// Dropout before the classifier (MoSI/TAdaConv 0.5).
    public var dropout = 0.5
    /// With `linearProbe`, a ViT's `fc_norm` is frozen too and only `head` trains, as the official
    /// linear probe (MME `--linear_probing`) trains only the parameters whose name holds "head".
    public var freezeClassifierNorm = false
    /// Lay activations and weights out channels-last (faster oneDNN convolutions on CPUs).
    public var channelsLast = true
    /// A ViT's stochastic depth at its last block, rising linearly from 0 at the first (VideoMAE's
    /// fine-tuning: 0.1). ViTs only.
    public var dropPath = 0.0
    /// A ViT's classifier starts at trunc-normal(0.02) × this (VideoMAE's `init_scale` 0.001).
    /// ViTs only.
    public var headInitScale = 1.0
    /// Recompute each ViT block in backward instead of keeping its activations (VideoMAE's
    /// `use_checkpoint`): the same gradients, far less memory, about a third more compute. ViTs only.
    public var checkpointBlocks = false

    public init() {}

    /// The model this section names.
    public var modelName: ModelName? { ModelName(rawValue: name) }

    /// The width the model is built at.
    public var resolvedWidth: Int { width > 0 ? width : (modelName?.spec.width ?? 0) }

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(modelName != nil, "name",
            "unknown model '\(name)'; known: \(ModelName.allCases.map(\.rawValue).joined(separator: ", "))")
        problems.check(width >= 0, "width", "must be ≥ 0 (0: the registry's), got \(width)")
        problems.check(freezeStages >= 0, "freezeStages", "must be ≥ 0, got \(freezeStages)")
        problems.check((0..<1).contains(dropout), "dropout", "must be in [0, 1), got \(dropout)")
        problems.check((0..<1).contains(dropPath), "dropPath", "must be in [0, 1), got \(dropPath)")
        problems.check(headInitScale > 0 && headInitScale.isFinite, "headInitScale", "must be positive, got \(headInitScale)")
        problems.check(!freezeClassifierNorm || linearProbe, "freezeClassifierNorm", "applies to a linear probe: set model.linearProbe=true")
        if let modelName, !modelName.isVisionTransformer {
            let cnn = "applies to vision transformers only; \(name) is a CNN"
            problems.check(dropPath == 0, "dropPath", cnn)
            problems.check(headInitScale == 1, "headInitScale", cnn)
            problems.check(!checkpointBlocks, "checkpointBlocks", cnn)
            problems.check(!freezeClassifierNorm, "freezeClassifierNorm", "\(cnn) (its linear probe trains only the head already)")
        }
    }
}

/// The optimizer and its schedule.
public struct FineTuneOptimSettings: ConfigSection, Equatable {
    /// "adam" (L2 decay, MoSI), "adamw" (decoupled decay, VideoMAE) or "sgd" (with momentum).
    public var optimizer = "adam"
    /// The peak learning rate (MoSI R(2+1)D-10 on UCF101: 0.0015 at batch 384).
    public var learningRate = 0.0015
    /// Weight decay of weights; biases and normalisation parameters get none.
    public var weightDecay = 1e-3
    /// SGD's momentum.
    public var momentum = 0.9
    /// Linear warm-up length in steps; or, when `warmupEpochs` is positive, in epochs (only with
    /// an `epochs`-long run).
    public var warmupSteps = 0
    public var warmupEpochs = 0.0
    /// The warm-up starts here (MoSI: 0.1 × the base rate).
    public var warmupStartLearningRate = 0.00015
    /// The cosine ends here (VideoMAE: 1e-6).
    public var finalLearningRate = 0.0
    /// "slowFast" (the cosine spans the whole run, MoSI/TAdaConv) or "videoMAE" (it starts after
    /// the warm-up).
    public var schedule = "slowFast"
    /// Layer-wise learning-rate decay d (BEiT/VideoMAE: 0.75): a parameter of layer i of L gets
    /// the rate × d^(L − 1 − i) (stem 0, the head L − 1); 1 turns it off.
    public var layerDecay = 1.0

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(["adam", "adamw", "sgd"].contains(optimizer), "optimizer", "must be adam, adamw or sgd, got '\(optimizer)'")
        problems.check(learningRate > 0, "learningRate", "must be positive, got \(learningRate)")
        problems.check(weightDecay >= 0, "weightDecay", "must be ≥ 0, got \(weightDecay)")
        problems.check(momentum >= 0, "momentum", "must be ≥ 0, got \(momentum)")
        problems.check(warmupSteps >= 0 && warmupEpochs >= 0, "warmupSteps", "warm-up lengths must be ≥ 0")
        problems.check(warmupStartLearningRate >= 0 && finalLearningRate >= 0, "warmupStartLearningRate",
            "learning rates must be ≥ 0")
        problems.check(WarmupCosineSchedule.Convention(rawValue: schedule) != nil, "schedule", "must be slowFast or videoMAE, got '\(schedule)'")
        problems.check(layerDecay > 0 && layerDecay <= 1, "layerDecay", "must be in (0, 1] (1: off), got \(layerDecay)")
    }
}

/// `kinema finetune`'s configuration (configs/finetune/*.yaml).
public struct FineTuneConfig: RunConfig, Equatable {
    public var run = RunSettings()
    public var data = FineTuneDataSettings()
    public var model = FineTuneModelSettings()
    public var optim = FineTuneOptimSettings()
    /// Training steps; set 0 and give `epochs` to count passes over the training videos instead.
    public var steps = 1000
    /// Passes over the training videos (0: use `steps`); one epoch is ⌈videos / videos per step⌉
    /// steps (batchSize / data.repeatedAugmentation videos a step).
    public var epochs = 0
    /// Steps between validations (single-view accuracy, per class and a confusion matrix).
    public var validateEvery = 200
    /// Run the multi-view test (K clips × M crops, softmax fusion) when training ends.
    public var evaluateAtEnd = true

    public init() {
        run.output = "runs/finetune"
    }

    /// Besides where and how fast it runs, a resumed run may change how it validates and tests,
    /// which never touches the training state (evaluation mode, no gradients, its own views).
    public static var keysChangeableOnResume: [String] {
        RunSettings.changeableOnResume + [
            "validateEvery", "evaluateAtEnd", "model.checkpointBlocks", "data.loaderThreads", "data.validationVideos", "data.testClips",
            "data.testCrops", "data.testShortSide", "data.testPlacement",
        ]
    }

    public func validate(_ problems: inout ConfigProblems) {
        problems.validate(data, at: "data")
        problems.validate(model, at: "model")
        problems.validate(optim, at: "optim")
        length.validate(&problems)
        problems.check(validateEvery > 0, "validateEvery", "must be positive, got \(validateEvery)")
        if let problem = model.modelName?.problem(with: ClipShape(frames: data.frames, height: data.cropSize, width: data.cropSize)) {
            problems.add("data.cropSize", "\(problem) (model \(model.name); set data.frames and data.cropSize to fit)")
        }
    }

    /// Steps in one pass over `trainingVideos` videos (``FineTuneDataSettings/videosPerStep`` a step).
    public func stepsPerEpoch(trainingVideos: Int) -> Int {
        max(1, (trainingVideos + data.videosPerStep - 1) / data.videosPerStep)
    }

    private var length: TrainingLength {
        TrainingLength(steps: steps, epochs: epochs, warmupSteps: optim.warmupSteps, warmupEpochs: optim.warmupEpochs)
    }

    /// The run's length in steps and its warm-up, for a training set of `trainingVideos` videos.
    public func schedule(trainingVideos: Int) -> (steps: Int, warmup: Int) {
        length.schedule(perEpoch: stepsPerEpoch(trainingVideos: trainingVideos))
    }
}
