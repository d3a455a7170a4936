// `kinema cgm pretrain`'s configuration: CGM-Net (Tian et al., "Self-supervised Motion
// Representation via Scattering Local Motion Cues", ECCV 2020) trained without labels by
// synthesising every frame of a clip, and the frame after it, from the frame before (§3.5).
// Defaults are the paper's (§4.1–4.2): 16-frame clips of consecutive frames, frames at short side
// 128, random 112² crops and flips, images in [−1, 1], Adam at 0.001 with step decay, λ1 = 1.
import Foundation
import KinemaData
import KinemaModels

/// Adam with step decay and the loss weight.
public struct CGMOptimSettings: ConfigSection, Equatable {
    /// Adam's initial rate (§4.1 and §4.2: 0.001).
    public var learningRate = 1e-3
    public var betas = [0.9, 0.999]
    public var weightDecay = 0.0
    /// The rate is multiplied by `decayFactor` every `decayEpochs` epochs ("reduce the learning
    /// rate every 50 epochs", §4.1; the factor is not given: Kinema uses 0.1), or every
    /// `decaySteps` steps when that is positive.
    public var decayEpochs = 50.0
    public var decaySteps = 0
    public var decayFactor = 0.1
    /// λ1, the weight of the low-resolution reconstruction loss (Eq. 7; §4.1: 1).
    public var lowResolutionWeight = 1.0
    /// Gradient-norm clipping (0: none; the paper does not clip).
    public var clipGradient = 0.0

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(learningRate > 0, "learningRate", "must be positive, got \(learningRate)")
        problems.check(betas.count == 2 && betas.allSatisfy { $0 >= 0 && $0 < 1 }, "betas", "must be two values in [0, 1), got \(betas)")
        problems.check(weightDecay >= 0, "weightDecay", "must be ≥ 0, got \(weightDecay)")
        problems.check(decayEpochs > 0, "decayEpochs", "must be positive, got \(decayEpochs)")
        problems.check(decaySteps >= 0, "decaySteps", "must be ≥ 0, got \(decaySteps)")
        problems.check(decayFactor > 0 && decayFactor <= 1, "decayFactor", "must be in (0, 1], got \(decayFactor)")
        problems.check(lowResolutionWeight >= 0, "lowResolutionWeight", "must be ≥ 0, got \(lowResolutionWeight)")
        problems.check(clipGradient >= 0, "clipGradient", "must be ≥ 0, got \(clipGradient)")
    }
}

/// `kinema cgm pretrain`'s configuration (configs/cgm/*.yaml).
public struct CGMPretrainConfig: RunConfig, Equatable {
    public var run = RunSettings()
    /// The videos and clips: VideoMAE's data section with CGM-Net's defaults. `frames` is T, the
    /// clip the network sees; each training clip also decodes the frame after it.
    public var data = VideoMAEDataSettings()
    public var model = CGMNetConfiguration()
    /// torchvision ResNet-18 weights (a safetensors file, e.g. converted by
    /// Tools/convert/pth_to_safetensors.py) that the context extractor starts from; empty: from
    /// scratch. The paper does not say whether its context extractor was pretrained.
    public var contextWeights = ""
    public var optim = CGMOptimSettings()
    /// Optimizer steps; set 0 and give `epochs` (one clip of every training video each) instead.
    public var steps = 0
    public var epochs = 100
    /// Steps between held-out evaluations (and the motion-map GIF).
    public var validateEvery = 500

    public init() {
        run.output = "runs/cgm"
        data.frames = 16
        data.stride = 1
        data.decodeShortSide = 128
        data.cropSize = 112
        data.crop = "random"
        data.flip = true
        data.normalization = InputNormalization.symmetric.rawValue
        data.batchSize = 8
        data.validationClips = 2
    }

    public static var keysChangeableOnResume: [String] {
        RunSettings.changeableOnResume + ["validateEvery", "data.loaderThreads"]
    }

    public func validate(_ problems: inout ConfigProblems) {
        problems.validate(data, at: "data")
        problems.validate(optim, at: "optim")
        for problem in model.problems { problems.add("model", problem) }
        if model.problems.isEmpty, let problem = model.problem(with: ClipShape(frames: data.frames, height: data.cropSize, width: data.cropSize)) {
            problems.add("data.cropSize", "\(problem) (set data.frames and data.cropSize to fit)")
        }
        problems.check(data.normalization == InputNormalization.symmetric.rawValue, "data.normalization",
            "must be symmetric: the motion maps synthesise the network's own input, in [−1, 1] (§4.1); got '\(data.normalization)'")
        problems.check(steps >= 0 && epochs >= 0 && (steps > 0 || epochs > 0), "steps", "give steps or epochs, got \(steps) and \(epochs)")
        problems.check(validateEvery > 0, "validateEvery", "must be positive, got \(validateEvery)")
    }

    /// Clips per step.
    public var clipsPerStep: Int { data.batchSize }

    /// Full-rate frames a clip decodes: T frames at `stride` and the one after them.
    public var spanLength: Int { data.frames * data.stride + 1 }

    /// The run's length in steps and the steps between rate decays.
    public func schedule(trainingVideos: Int) -> (steps: Int, decayEvery: Int) {
        let perEpoch = max(1, (trainingVideos + clipsPerStep - 1) / clipsPerStep)
        let total = steps > 0 ? steps : epochs * perEpoch
        return (total, optim.decaySteps > 0 ? optim.decaySteps : max(1, Int((optim.decayEpochs * Double(perEpoch)).rounded())))
    }
}
