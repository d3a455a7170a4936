import KinemaData
import KinemaMotion

/// How MME's motion-trajectory targets are computed (Sun et al., "Masked Motion Encoding for
/// Self-Supervised Video Representation Learning", CVPR 2023, §3.3 and appendices A–B).
///
/// The defaults are the paper's; ``released`` switches every choice where MME's released code
/// differs to that code's behaviour. Each field says which is which. A plain `Codable` value: a
/// config file's `target` section decodes to it; ``validate()`` names every bad value.
public struct MMETargetConfiguration: Sendable, Equatable, Codable {
    /// Sampled frames per token (the ViT's tubelet; MME: 2).
    public var tubelet = 2
    /// Side of a token's square patch in the clip's pixels (MME: 16).
    public var patch = 16
    /// K, points tracked per patch, on a √K × √K grid (§3.3 "K = 4"; Table 9). Must be a square
    /// whose side divides ``patch``: the points sit at `g/2 + g·i` with `g = patch / √K`.
    public var pointsPerPatch = 4
    /// L, flow steps tracked from a tubelet's first frame at the full frame rate (paper §4: L = 6,
    /// Table 7; the released Kinetics-400 run used 4).
    public var length = 6
    /// The flow estimator, one of ``FlowMethod/names``, chosen by measurement (docs/benchmarks.md,
    /// "MME targets"): on Grove3 DIS at its medium preset errs 0.85 px against Farnebäck's 1.26, in
    /// a quarter of the time. The paper extracts flow with the dense_flow tool (appendix A) without
    /// naming the algorithm; MME's released fork of it computes Farnebäck (``released``).
    public var flow = "dis-medium"
    /// Remove the camera's motion before tracking (appendix A, iDT's warped flow). The released
    /// extractor stopped doing so in 2023.
    public var removeCameraMotion = true
    /// Filter each flow with a 3 × 3 median before tracking (appendix B, Eq. 6). The released
    /// tracker skips it.
    public var medianFilter = true
    /// Where the flow is read at a tracked point: paper `bilinear` (Eq. 6 at the sub-pixel point);
    /// released `nearestTruncated` (nearest pixel, flow cast to whole pixels).
    public var sampling = DenseTrajectoryTracker.Sampling.bilinear
    /// What the tracker receives as flow: see ``FlowEncoding``.
    public var flowEncoding = FlowEncoding.exact
    /// The clip bound of the 8-bit encodings (dense_flow: 20 px).
    public var flowBound: Float = FlowField.defaultBound
    /// How position changes are normalised within a patch: see ``TrajectoryNormalization``.
    public var trajectoryNormalization = TrajectoryNormalization.patchNorm
    /// Which tokens count in the trajectory loss: see ``Validity``.
    public var validity = Validity.anyPoint
    /// The shape target: see ``ShapeTarget``.
    public var shape = ShapeTarget.trajectoryAligned
    /// Orientation bins of the histograms (§3.3: 9).
    public var hogBins = 9
    /// Standardise a token's HOG values together (§3.3: "normalize them to the standard normal
    /// distribution"); the released code leaves its HOG target unnormalised.
    public var hogPatchNorm = true
    /// The short-term motion target of the paper's baselines (Table 5, appendix C), computed
    /// beside the trajectories and HOG: see ``ShortTermMotion``. `target.kind` sets it.
    public var shortTerm = ShortTermMotion.none
    /// HOF and MBH orientations over 360° (the descriptors the paper cites, Laptev et al. 2008 and
    /// Dalal et al. 2006: a motion and its opposite differ); false folds them into 180° as the
    /// released code's gradient-histogram extractor, applied to flow, does.
    public var flowHistogramFullCircle = true
    /// The statistics the clip is normalised with. Only the unnormalised per-frame HOG depends on
    /// them: the released code computes that HOG on the normalised clip, i.e. the HOG of the
    /// bytes divided by `255 · std` of each channel (the mean has no gradient).
    public var clipNormalization = InputNormalization.imagenet

    public init() {}

    /// Every choice where MME's released code (`XinyuSun/MME`, its K400 script and dense_flow
    /// fork) differs from the paper or from Kinema's measured choice: Farnebäck flow, L = 4, no camera-motion removal, no median filter, nearest
    /// truncated lookup of 8-bit flow, per-(coordinate, step) standardisation over the K points,
    /// the per-frame HOG without normalisation.
    public static var released: MMETargetConfiguration {
        var c = MMETargetConfiguration()
        c.flow = "farneback"
        c.length = 4
        c.removeCameraMotion = false
        c.medianFilter = false
        c.sampling = .nearestTruncated
        c.flowEncoding = .quantized
        c.trajectoryNormalization = .patchStd
        c.shape = .perFrame
        c.hogPatchNorm = false
        c.flowHistogramFullCircle = false
        return c
    }

    /// The flow the tracker is given.
    public enum FlowEncoding: String, Sendable, Codable, CaseIterable {
        /// The estimator's floating-point flow (the paper's tracking, Eq. 6).
        case exact
        /// Clipped to ±``flowBound`` and stored as 8-bit codes, then decoded: what the released
        /// pipeline's flow videos hold (steps of `2·bound/255` ≈ 0.157 px).
        case quantized
        /// The 8-bit codes themselves used as pixel displacements (128 ≈ still): the released
        /// tracker as shipped, whose de-quantisation line is commented out. Almost every point
        /// leaves the frame after one step; offered only to reproduce that code's targets.
        case codes
    }

    /// How the K·L position changes `Δp` (Eq. 4) of a patch are normalised.
    public enum TrajectoryNormalization: String, Sendable, Codable, CaseIterable {
        /// The paper's patch norm (§4.2.3, Table 8, "as has also been done in MAE"): all `K·L·2`
        /// values of the patch standardised together, `(v − mean) / (√var_unbiased + 1e-6)`
        /// (VideoMAE's formula, which MME's code derives from). A patch translating by (dx, dy)
        /// keeps a target: two values, `±√((n−1)/n)` for its n values, telling dx from dy.
        case patchNorm
        /// The released code's `PatchStd`: for each (coordinate, step) separately, the K points
        /// standardised, `(v − mean_K) / (√var_unbiased,K + 1e-6)`. The patch's common motion is
        /// removed: a patch that translates rigidly has an all-zero target (groups whose deviation
        /// is below 1e-3 px count as rigid: that much float32 rounding leaves between equal motions),
        /// while on estimated flow the same patch's target is its flow noise scaled to unit
        /// variance. (The released code first divides by 20; that only rescales its 1e-6 guard.)
        case patchStd
        /// Raw position changes in the clip's pixels.
        case none
    }

    /// When a token's trajectory target enters the loss (appendix B, Eq. 7: a trajectory counts
    /// while its point stays in the clip, `0 < x < W`, `0 < y < H`, at all L + 1 positions).
    public enum Validity: String, Sendable, Codable, CaseIterable {
        /// At least one of the K trajectories stays in view (the released loss mask).
        case anyPoint
        /// All K stay in view.
        case allPoints
    }

    /// MME's shape features.
    public enum ShapeTarget: String, Sendable, Codable, CaseIterable {
        /// The paper's trajectory-aligned HOG (Eq. 5): for every point and step t < L, the
        /// ``hogBins``-bin unsigned gradient histogram (luma, central differences) of the
        /// `g × g` window at the tracked point in frame t, `K·L·bins` values per token.
        case trajectoryAligned
        /// The released `base` variant: MaskFeat-style HOG of one frame per tubelet (its last),
        /// per colour channel, 3 × 3 Sobel, per-cell mean over `g × g` cells, `3·bins·K` values
        /// per token ordered (channel, bin, cell row, cell column).
        case perFrame
    }

    /// The short-term motion baselines (Sun et al. 2023 §4.2.2, Table 5 "HOG + Flow/HOF/MBH";
    /// appendix C), each predicted beside the HOG. All read one flow field per tubelet: from its
    /// last sampled frame (the frame the per-frame HOG reads; for 2-frame tubelets the released
    /// code's "middle" frame) to the next raw frame, the camera's motion removed when configured,
    /// resampled to the clip's pixels. Standardised per token like the HOG (``hogPatchNorm``).
    public enum ShortTermMotion: String, Sendable, Codable, CaseIterable {
        /// No short-term target (MME and the other kinds).
        case none
        /// The flow vectors of the patch's pixels, `patch²·2` values per token ordered (row,
        /// column, x/y) ("predicting the dense optical flow map of the masked patches").
        case flow
        /// Histogram of optical flow: per `g × g` cell the mean magnitude-weighted orientation
        /// histogram of the flow, ``hogBins`` bins, `K·bins` values per token (cell, bin).
        case hof
        /// Motion boundary histogram: the same histogram of the gradients (3 × 3 Sobel) of the
        /// flow's x component (MBHx) then of its y component (MBHy), `K·2·bins` values per token
        /// (cell, component, bin).
        case mbh
    }

    /// √K, the points per patch side.
    public var pointsPerSide: Int { Int(Double(pointsPerPatch).squareRoot().rounded()) }
    /// `g`, the spacing of the points (and the HOG cell side) in clip pixels.
    public var gridStep: Int { patch / max(pointsPerSide, 1) }

    /// Values per token of the trajectory target: `K·L·2`, ordered (point, step, x/y).
    public var trajectoryChannels: Int { pointsPerPatch * length * 2 }

    /// Values per token of the shape target.
    public var hogChannels: Int {
        switch shape {
        case .trajectoryAligned: pointsPerPatch * length * hogBins
        case .perFrame: 3 * hogBins * pointsPerPatch
        }
    }

    /// Values per token of the short-term motion target (0 without one).
    public var shortTermChannels: Int {
        switch shortTerm {
        case .none: 0
        case .flow: patch * patch * 2
        case .hof: pointsPerPatch * hogBins
        case .mbh: pointsPerPatch * 2 * hogBins
        }
    }

    /// Raw frames (at the full frame rate, from the clip's first frame) a clip of `clipFrames`
    /// frames sampled every `stride` needs: the last tubelet starts at `(T − τ)·stride` and is
    /// tracked for L frames after it, the per-frame HOG reads each tubelet's last frame, and a
    /// short-term target the flow from that frame to the next.
    public func rawFramesNeeded(clipFrames: Int, stride: Int) -> Int {
        (clipFrames - tubelet) * stride + max(length, (tubelet - 1) * stride + (shortTerm == .none ? 0 : 1)) + 1
    }

    /// Throws naming every value that cannot work.
    public func validate() throws(MMETargetError) {
        var problems: [String] = []
        func check(_ ok: Bool, _ problem: @autoclosure () -> String) { if !ok { problems.append(problem()) } }
        check(tubelet >= 1, "tubelet must be ≥ 1, got \(tubelet)")
        check(patch >= 1, "patch must be ≥ 1, got \(patch)")
        let side = pointsPerSide
        check(pointsPerPatch >= 1 && side * side == pointsPerPatch && patch % side == 0,
              "pointsPerPatch must be a square whose side divides patch (\(patch)): 1, 4, 16, …; got \(pointsPerPatch)")
        check(length >= 1, "length must be ≥ 1, got \(length)")
        check(FlowMethod(name: flow) != nil, "flow must be one of \(FlowMethod.names.joined(separator: ", ")), got '\(flow)'")
        check(flowBound > 0 && flowBound.isFinite, "flowBound must be positive, got \(flowBound)")
        check(hogBins >= 1 && hogBins < 500, "hogBins must be in 1..<500, got \(hogBins)")
        check(trajectoryNormalization != .patchStd || pointsPerPatch >= 2,
              "trajectoryNormalization patchStd standardises over the K points and needs pointsPerPatch ≥ 2, got \(pointsPerPatch)")
        guard problems.isEmpty else { throw MMETargetError("MME target configuration: " + problems.joined(separator: "; ")) }
    }
}

/// A configuration or an input the MME targets cannot be computed from.
public struct MMETargetError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
