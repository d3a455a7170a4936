/// How a clip's trajectory targets were standardised per token (``MMETargetConfiguration/TrajectoryNormalization``),
/// kept so that normalised values — the targets or a model's predictions of them — can be turned
/// back into position changes in the clip's pixels: `Δp = value · scale + mean` in each group.
///
/// The groups of a token are its `groupsPerToken` standardisation groups: one for the paper's
/// patch norm (all K·L·2 values together), L·2 for the released `PatchStd` (each (step, x/y)
/// over the K points, channel `i` in group `i mod L·2`), none for raw targets. Undoing PatchStd
/// restores each step's mean motion of the patch from the *target*, so predictions undone with
/// it borrow that motion; undoing the patch norm borrows two numbers per patch.
public struct MMETrajectoryScaling: Sendable, Equatable {
    /// One standardisation group's statistics: a rigid group (deviation below the floor, target
    /// all zero) has scale 0, so its values come back as the group's mean.
    public struct Group: Sendable, Equatable {
        public var mean: Float
        public var scale: Float
        public init(mean: Float, scale: Float) { (self.mean, self.scale) = (mean, scale) }
    }

    public let groupsPerToken: Int
    /// `[tokens][groupsPerToken]`.
    public let groups: [Group]

    public init(groupsPerToken: Int, groups: [Group]) {
        precondition(groupsPerToken >= 0 && (groupsPerToken == 0 ? groups.isEmpty : groups.count % groupsPerToken == 0),
                     "\(groups.count) standardisation groups do not split into tokens of \(groupsPerToken)")
        (self.groupsPerToken, self.groups) = (groupsPerToken, groups)
    }

    /// Raw position changes: nothing to undo.
    public static let identity = MMETrajectoryScaling(groupsPerToken: 0, groups: [])

    /// Token `token`'s normalised trajectory values (`[K][L][2]`, the target's layout) as position
    /// changes in the clip's pixels.
    public func positionChanges(_ normalised: [Float], token: Int) -> [Float] {
        guard groupsPerToken > 0 else { return normalised }
        return normalised.enumerated().map { i, value in
            let group = groups[token * groupsPerToken + i % groupsPerToken]
            return value * group.scale + group.mean
        }
    }
}
