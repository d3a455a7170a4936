import KinemaModels
import KinemaNN
import KinemaPretext

/// What a masked autoencoder predicts for each masked token (the `target` section of
/// `kinema videomae pretrain` and `kinema mme pretrain`).
///
/// | kind | heads (in output order) | paper |
/// |---|---|---|
/// | `pixels` | the tube's pixels, per patch normalised (one Linear) | VideoMAE (Tong et al. 2022 §3.3) |
/// | `mme` | shape (HOG) and trajectory (position changes), one two-layer head each | MME (Sun et al. 2023 §3.3) |
/// | `trajectory` | the trajectory head alone | MME Table 3's "position" ablation |
/// | `hog` | the shape head alone | MaskFeat-style HOG, MME Table 3 |
/// | `flow`, `hof`, `mbh` | the shape head and a short-term motion head (the flow of the patch, its HOF or its MBH) | MME Table 5's "HOG + Flow/HOF/MBH" baselines, appendix C |
///
/// Motion kinds are computed on loader threads from the clip's full-rate frames
/// (``MMETargetComputer``); `motion` holds their settings, the paper's by default
/// (``MMETargetConfiguration/released`` lists the released code's).
public struct MaskedTargetSettings: ConfigSection, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case pixels, mme, trajectory, hog, flow, hof, mbh
    }

    public var kind = Kind.pixels.rawValue
    /// The output activation of the motion heads: "identity" (the paper describes none: the targets
    /// are standardised) or "released" (MME's code: sigmoid on HOG, tanh on trajectories, which
    /// cannot reach standardised values beyond ±1).
    public var headActivations = "identity"
    /// How trajectories and HOG are computed; `tubelet`, `patch` and `clipNormalization` must
    /// match the model and data. Its `shortTerm` follows `kind` (``targetConfiguration``).
    public var motion = MMETargetConfiguration()
    /// A folder of flow precomputed by `kinema mme extract` (``MMEFlowCache``), read instead of
    /// estimating flow on the loader threads; empty: compute on the fly. A video whose entry is
    /// missing or does not check out is computed on the fly, with a warning.
    public var cache = ""

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(Kind(rawValue: kind) != nil, "kind",
            "must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kind)'")
        problems.check(["identity", "released"].contains(headActivations), "headActivations",
            "must be identity or released, got '\(headActivations)'")
        if isMotion {
            do { try motion.validate() } catch { problems.add("motion", error.description) }
        }
        problems.check(motion.shortTerm == .none || motion.shortTerm == targetConfiguration.shortTerm, "motion.shortTerm",
            "is set by target.kind (flow, hof or mbh); got '\(motion.shortTerm.rawValue)' with kind '\(kind)'")
    }

    /// ``motion`` with the short-term motion target of `kind`: what the loader threads compute.
    public var targetConfiguration: MMETargetConfiguration {
        var c = motion
        c.shortTerm = switch Kind(rawValue: kind) {
        case .flow: .flow
        case .hof: .hof
        case .mbh: .mbh
        default: .none
        }
        return c
    }

    /// Whether the targets come from the raw frames (every kind but pixels).
    public var isMotion: Bool { Kind(rawValue: kind) != .pixels }

    /// The motion targets predicted, in head order: MME's code puts the shape head first.
    public var motionParts: [MotionTargetPart] {
        switch Kind(rawValue: kind) {
        case .mme: [.shape, .trajectory]
        case .trajectory: [.trajectory]
        case .hog: [.shape]
        case .flow, .hof, .mbh: [.shape, .shortTerm]
        case .pixels, nil: []
        }
    }

    /// The motion heads: MME's two-layer heads of hidden width 512.
    public var predictionHeads: [PredictionHead] {
        motionParts.map { part in
            // The released code: tanh on trajectories, sigmoid on every histogram and on flow.
            let activation: Activation =
                headActivations == "released" ? (part == .trajectory ? .tanh : .sigmoid) : .identity
            return PredictionHead(outputs: part.channels(of: targetConfiguration), hidden: 512, activation: activation)
        }
    }
}
