import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// MME's targets with flow *estimated* on a real photo that really moves, and the crop + resize
/// rule, checked against bounds derived from the estimator's measured error field.
///
/// The bound: for a translation the true flow c is constant, so the 3 × 3 median of the estimate
/// is off c by the median of the errors, which lies within the nine errors' range; a bilinear read
/// is a convex combination of four such pixels. So each tracked step is off the true displacement,
/// per component, by at most the largest |error| of the 4 × 4 pixels around the point in the flow
/// frame (whatever the point's own drift: c is the same everywhere), times the clip's resize factor.
@Suite struct MMEEstimatedFlowTests {
    static let photo = try! TestData.photo("astronaut", width: 400, height: 400)
    static let (dx, dy) = (1.3, -0.7)
    static let video = try! MMEFixtures.frames(
        6, photo: photo, step: KnownMotion.translation(dx, dy), origin: KnownMotion.translation(-100, -120), width: 160, height: 120)
    static let configuration = MMEFixtures.configuration { $0.trajectoryNormalization = .none }

    /// Per tracked step of every tubelet, the most each component of the step may be off the true
    /// displacement `truth` (clip pixels), from `estimator`'s error on `flowFrames` (the frames as the
    /// flow sees them) and the clip's resize factor `scale`.
    static func stepBounds(_ t: MMETargets, estimator: any OpticalFlow, flowFrames: [Image], truth: (Double, Double), scale: Float) throws -> [[Float]] {
        let errors = try (0..<(flowFrames.count - 1)).map { i in
            let estimate = try estimator.flow(from: flowFrames[i], to: flowFrames[i + 1])
            return estimate.vectors.enumerated().map { abs($0.element - Float($0.offset % 2 == 0 ? truth.0 : truth.1) / scale) }
        }
        let (w, h) = (flowFrames[0].width, flowFrames[0].height)
        return t.tracks.map { set in
            var bounds: [Float] = []
            for n in 0..<set.count {
                for step in 0..<set.length {
                    let q = set.position(n, step: step)
                    let (fx, fy) = ((q.x + 0.5) / scale - 0.5, (q.y + 0.5) / scale - 0.5)
                    let (x0, y0) = (Int(min(max(fx, 0), Float(w - 1))), Int(min(max(fy, 0), Float(h - 1))))
                    var worst: [Float] = [0, 0]
                    for y in (y0 - 1)...(y0 + 2) {
                        for x in (x0 - 1)...(x0 + 2) {
                            let p = (min(max(y, 0), h - 1) * w + min(max(x, 0), w - 1)) * 2
                            for c in 0..<2 { worst[c] = max(worst[c], errors[set.startFrame + step][p + c]) }
                        }
                    }
                    bounds += worst.map { $0 * scale }
                }
            }
            return bounds
        }
    }

    /// `[tubelet][point][step][x/y]` steps of the tracks.
    static func steps(_ t: MMETargets) -> [[Float]] { t.tracks.map { $0.displacements() } }

    @Test(arguments: ["dis-medium", "farneback"], [false, true])
    func estimatedStepsStayWithinTheMeasuredFlowError(method: String, flip: Bool) throws {
        // Without a mirror the 96² crop is resized to 64²; mirrored it keeps its size and x flips.
        let (output, scale): (Int, Float) = flip ? (96, 1) : (64, 64.0 / 96)
        let transform = MMEFixtures.transform(x: 16, y: 8, side: 96, output: output, flip: flip)
        let truth = ((flip ? -Self.dx : Self.dx) * Double(scale), Self.dy * Double(scale))
        let t = try MMETargetComputer(Self.configuration, flow: try FlowMethod(name: method)!.makeEstimator())
            .targets(rawFrames: Self.video, clipFrames: 4, stride: 1, transform: transform)
        let flowFrames = try Self.video.map { frame in
            let crop = try frame.cropped(x: 16, y: 8, width: 96, height: 96)
            return flip ? crop.flippedHorizontally() : crop
        }
        let bounds = try Self.stepBounds(t, estimator: try FlowMethod(name: method)!.makeEstimator(), flowFrames: flowFrames, truth: truth, scale: scale)
        var (violations, errors) = (0, [Float]())
        for (steps, bound) in zip(Self.steps(t), bounds) {
            for i in steps.indices {
                let error = abs(steps[i] - Float(i % 2 == 0 ? truth.0 : truth.1))
                errors.append(error)
                if error > bound[i] + 1e-4 { violations += 1 }
            }
        }
        errors.sort()
        let sortedBounds = bounds.flatMap { $0 }.sorted()
        #expect(violations == 0, "\(violations) of \(errors.count) step components beyond their error bound")
        // The bound is informative: a step left unscaled (1.3 px instead of 0.87) or unmirrored is
        // ≥ 0.43 px off, far beyond the typical bound.
        #expect(sortedBounds[sortedBounds.count / 2] < 0.2, "median bound \(sortedBounds[sortedBounds.count / 2]) px")
        #expect(errors[errors.count / 2] < 0.1, "median step error \(errors[errors.count / 2]) px")
    }

    @Test func cropAndResizeMatchTargetsOfTheCroppedVideoWithinBothFlowErrors() throws {
        // The same targets twice: from the raw frames with the clip's crop (96² at (16, 8) → 64²),
        // flow on the native-resolution crop; and from the cropped, resized 64² video itself. The
        // flows are estimated on differently sampled images, so the two agree only as well as each
        // agrees with the truth: per component within the sum of their bounds.
        let s: Float = 64.0 / 96
        let transform = MMEFixtures.transform(x: 16, y: 8, side: 96, output: 64)
        let cropped = try transform.apply(to: Self.video)
        let truth = (Self.dx * Double(s), Self.dy * Double(s))
        let dis = { try DISFlow(preset: .medium) }
        let a = try MMETargetComputer(Self.configuration, flow: try dis()).targets(rawFrames: Self.video, clipFrames: 4, stride: 1, transform: transform)
        let b = try MMETargetComputer(Self.configuration, flow: try dis())
            .targets(rawFrames: cropped, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 0, y: 0, side: 64, output: 64))
        let boundA = try Self.stepBounds(
            a, estimator: try dis(), flowFrames: try Self.video.map { try $0.cropped(x: 16, y: 8, width: 96, height: 96) }, truth: truth, scale: s)
        let boundB = try Self.stepBounds(b, estimator: try dis(), flowFrames: cropped, truth: truth, scale: 1)
        #expect(a.valid == b.valid)
        var (violations, differences) = (0, [Float]())
        for (k, (stepsA, stepsB)) in zip(Self.steps(a), Self.steps(b)).enumerated() {
            for i in stepsA.indices {
                differences.append(abs(stepsA[i] - stepsB[i]))
                if differences.last! > boundA[k][i] + boundB[k][i] + 1e-4 { violations += 1 }
            }
        }
        differences.sort()
        #expect(violations == 0, "\(violations) of \(differences.count) components differ beyond both bounds; median difference \(differences[differences.count / 2]) px")
    }

    @Test func exactFlowMakesCropAndResizeEqualTheCroppedVideosTargets() throws {
        // With the true flow of each video the two computations agree to rounding: a 1° rotation with
        // a 3 % zoom-out about the crop's centre (points move inwards, away from any border).
        let h = KnownMotion.similarity(degrees: 1, scale: 0.97, cx: 72, cy: 60)
        let video = try MMEFixtures.frames(6, photo: Self.photo, step: h, origin: KnownMotion.translation(-100, -120), width: 160, height: 120)
        let (ox, oy, s) = (24.0, 12.0, 64.0 / 96)
        let transform = MMEFixtures.transform(x: 24, y: 12, side: 96, output: 64)
        var c = MMEFixtures.configuration { $0.trajectoryNormalization = .none }
        c.hogPatchNorm = false
        let a = try MMETargetComputer(c, flow: KnownFlow { x, y in
            let p = KnownMotion.apply(h, x + ox, y + oy)
            return (p.x - ox, p.y - oy)
        }).targets(rawFrames: video, clipFrames: 4, stride: 1, transform: transform)
        let b = try MMETargetComputer(c, flow: KnownFlow { x, y in
            let p = KnownMotion.apply(h, (x + 0.5) / s - 0.5 + ox, (y + 0.5) / s - 0.5 + oy)
            return ((p.x - ox + 0.5) * s - 0.5, (p.y - oy + 0.5) * s - 0.5)
        }).targets(rawFrames: try transform.apply(to: video), clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 0, y: 0, side: 64, output: 64))
        #expect(a.valid == b.valid && a.valid.allSatisfy { $0 })
        let worst = zip(a.trajectory, b.trajectory).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "worst difference \(worst) px")
        // Same clip frames, same tracked points: the trajectory-aligned HOG windows coincide.
        let differing = zip(a.shape, b.shape).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(a.shape.count) HOG values differ")
    }
}
