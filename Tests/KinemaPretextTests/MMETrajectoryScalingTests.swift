import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// Undoing the per-patch standardisation gives back the raw position changes: what the
/// pretraining report relies on to draw predicted trajectories in the clip's pixels.
///
/// A zoom about an off-centre point moves every point differently (no group is rigid) and a
/// translation moves them alike (PatchStd's groups are all rigid, scale 0): both paths of the
/// undo. Values are float32 position changes of a few px standardised in double precision and
/// rescaled in float32, so they come back to ~1e-5 px; a wrong group (x for y, the wrong step)
/// is ≥ 0.01 px off.
@Suite struct MMETrajectoryScalingTests {
    static let photo = try! TestData.photo("astronaut", width: 400, height: 400)

    @Test(arguments: [MMETargetConfiguration.TrajectoryNormalization.patchNorm, .patchStd], [false, true])
    func undoingTheStandardisationGivesTheRawPositionChanges(normalization: MMETargetConfiguration.TrajectoryNormalization, zoom: Bool) throws {
        let step = zoom ? KnownMotion.similarity(degrees: 0, scale: 1.02, cx: 70, cy: 50) : KnownMotion.translation(1.3, -0.7)
        let video = try MMEFixtures.frames(6, photo: Self.photo, step: step, origin: KnownMotion.translation(-100, -120), width: 160, height: 120)
        // The flow is given in the crop's pixels (the frames only give the size).
        let flow = KnownFlow { x, y in zoom ? (70 + 1.02 * (x - 70), 50 + 1.02 * (y - 50)) : (x + 1.3, y - 0.7) }
        let transform = MMEFixtures.transform(x: 16, y: 8, side: 96, output: 64)
        func targets(_ n: MMETargetConfiguration.TrajectoryNormalization) throws -> MMETargets {
            try MMETargetComputer(MMEFixtures.configuration { $0.trajectoryNormalization = n }, flow: flow)
                .targets(rawFrames: video, clipFrames: 4, stride: 1, transform: transform)
        }
        let (raw, normalised) = (try targets(.none), try targets(normalization))
        #expect(raw.trajectoryScaling == .identity)
        #expect(normalised.trajectoryScaling.groupsPerToken == (normalization == .patchNorm ? 1 : 3 * 2))
        let channels = raw.trajectoryChannels
        var worst: Float = 0
        for token in 0..<raw.tokens {
            let values = Array(normalised.trajectory[(token * channels)..<((token + 1) * channels)])
            let undone = normalised.trajectoryScaling.positionChanges(values, token: token)
            for i in 0..<channels { worst = max(worst, abs(undone[i] - raw.trajectory[token * channels + i])) }
        }
        #expect(worst < 1e-4, "worst error \(worst) px")
        if !zoom, normalization == .patchStd { #expect(normalised.trajectoryScaling.groups.allSatisfy { $0.scale == 0 }) }
    }
}
