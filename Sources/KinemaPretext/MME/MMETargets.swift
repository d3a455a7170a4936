import KinemaMotion
import KinemaTensor

/// One clip's MME targets, per ViT token in `(t, h, w)` order (the order of ``PixelTarget``): plain
/// arrays, made on a loader thread, sent to the trainer.
public struct MMETargets: Sendable, Equatable {
    /// The token grid: tubelets × patch rows × patch columns.
    public let tokenFrames: Int
    public let tokenRows: Int
    public let tokenColumns: Int
    /// `[tokens][trajectoryChannels]`: each token's K·L position changes (Eq. 4) in the clip's
    /// pixels, ordered (point, step, x/y), normalised as configured. Points are ordered row-major
    /// within the patch.
    public let trajectoryChannels: Int
    public var trajectory: [Float]
    /// `[tokens][shapeChannels]`: the shape target (trajectory-aligned or per-frame HOG).
    public let shapeChannels: Int
    public var shape: [Float]
    /// `[tokens][shortTermChannels]`: the baselines' short-term motion target (flow, HOF or MBH;
    /// ``MMETargetConfiguration/ShortTermMotion``); empty without one.
    public let shortTermChannels: Int
    public var shortTerm: [Float]
    /// `[tokens]`: whether a token's trajectory target enters the loss (Eq. 7's mask).
    public var valid: [Bool]
    /// The tracked points of each tubelet in the clip's pixels (grid spacing g, starting on the
    /// tubelet's first raw frame, counted from the clip's first frame): for pictures and checks.
    public let tracks: [TrajectorySet]
    /// How ``trajectory`` was standardised, to turn normalised values (a model's predictions among
    /// them) back into position changes in the clip's pixels.
    public let trajectoryScaling: MMETrajectoryScaling

    public var tokens: Int { tokenFrames * tokenRows * tokenColumns }

    public init(
        tokenFrames: Int, tokenRows: Int, tokenColumns: Int, trajectoryChannels: Int, trajectory: [Float],
        shapeChannels: Int, shape: [Float], shortTermChannels: Int = 0, shortTerm: [Float] = [], valid: [Bool], tracks: [TrajectorySet],
        trajectoryScaling: MMETrajectoryScaling = .identity
    ) {
        let tokens = tokenFrames * tokenRows * tokenColumns
        precondition(trajectory.count == tokens * trajectoryChannels && shape.count == tokens * shapeChannels
                     && shortTerm.count == tokens * shortTermChannels && valid.count == tokens,
                     "MME targets of \(tokens) tokens need \(tokens * trajectoryChannels) trajectory values, \(tokens * shapeChannels) shape values, \(tokens * shortTermChannels) short-term values and \(tokens) flags")
        (self.tokenFrames, self.tokenRows, self.tokenColumns) = (tokenFrames, tokenRows, tokenColumns)
        (self.trajectoryChannels, self.trajectory, self.shapeChannels, self.shape) = (trajectoryChannels, trajectory, shapeChannels, shape)
        (self.shortTermChannels, self.shortTerm) = (shortTermChannels, shortTerm)
        precondition(trajectoryScaling.groupsPerToken == 0 || trajectoryScaling.groups.count == tokens * trajectoryScaling.groupsPerToken,
                     "MME targets of \(tokens) tokens need \(tokens * trajectoryScaling.groupsPerToken) standardisation groups, got \(trajectoryScaling.groups.count)")
        (self.valid, self.tracks, self.trajectoryScaling) = (valid, tracks, trajectoryScaling)
    }
}

/// A batch of MME targets as tensors, on the trainer's thread.
public struct MMETargetBatch {
    /// `[N, L, trajectoryChannels]` float32.
    public let trajectory: Tensor
    /// `[N, L, shapeChannels]` float32.
    public let shape: Tensor
    /// `[N, L, shortTermChannels]` float32; nil when the clips have no short-term target.
    public let shortTerm: Tensor?
    /// `[N, L]` bool: the trajectory loss mask.
    public let valid: Tensor

    /// Stacks clips whose targets have the same layout; throws naming the first that differs.
    public init(_ clips: [MMETargets], device: Device = .cpu) throws(MMETargetError) {
        guard let first = clips.first else { throw MMETargetError("no clips to batch") }
        if let odd = clips.firstIndex(where: {
            ($0.tokens, $0.trajectoryChannels, $0.shapeChannels, $0.shortTermChannels)
                != (first.tokens, first.trajectoryChannels, first.shapeChannels, first.shortTermChannels)
        }) {
            let (o, f) = (clips[odd], first)
            throw MMETargetError("clip \(odd) has \(o.tokens) tokens × (\(o.trajectoryChannels), \(o.shapeChannels), \(o.shortTermChannels)) target values, clip 0 \(f.tokens) × (\(f.trajectoryChannels), \(f.shapeChannels), \(f.shortTermChannels))")
        }
        let (n, l) = (clips.count, first.tokens)
        do {
            trajectory = try Tensor(clips.flatMap(\.trajectory), shape: [n, l, first.trajectoryChannels]).to(device)
            shape = try Tensor(clips.flatMap(\.shape), shape: [n, l, first.shapeChannels]).to(device)
            shortTerm = first.shortTermChannels == 0
                ? nil : try Tensor(clips.flatMap(\.shortTerm), shape: [n, l, first.shortTermChannels]).to(device)
            valid = try Tensor(clips.flatMap(\.valid), shape: [n, l]).to(device)
        } catch { throw MMETargetError("cannot move the MME targets to \(device): \(error)") }
    }
}
