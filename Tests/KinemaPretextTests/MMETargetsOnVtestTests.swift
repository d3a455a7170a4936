import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// The claim `kinema mme targets` pictures make on vtest.avi (OpenCV's sample: people walking past
/// a fixed camera): the trajectories move on the walking people and stay still on the static
/// background. The regions come from the frames alone, independently of any optical flow: a pixel
/// is *moving* where the luma changes by ≥ 25 levels between two consecutive frames of the
/// tubelet's span, *static* where no pixel within 8 px changes by more than 6 levels (about twice
/// the video's compression noise) in any of them.
///
/// Measured (paper defaults: Farnebäck, camera-motion removal, L = 6; 8 frames at stride 4 from
/// frame 100, 240-px decode, 224² clip): 144 moving tracks travel 9.4 px on average over their 6
/// steps, 2537 static ones 0.10 px, a ratio of 95. The thresholds — moving ≥ 1 px, static ≤ 0.3 px,
/// ratio ≥ 10 — leave margins of 9×, 3× and 9×; a tracker that ignored the flow (0 px everywhere),
/// smeared it across the frame (equal means) or drifted with flow noise (static tracks moving by
/// an estimator's typical error of ≥ 0.5 px) fails at least one of them.
@Suite struct MMETargetsOnVtestTests {
    @Test func tracksMoveOnTheWalkingPeopleAndNotOnTheStaticBackground() throws {
        let configuration = MMETargetConfiguration()
        let (clipFrames, stride, start) = (8, 4, 100)
        let reader = try VideoReader(try TestData.url("videos/vtest.avi"), size: .shortSide(240))
        let raw = try reader.frames(at: Array(start..<(start + configuration.rawFramesNeeded(clipFrames: clipFrames, stride: stride))))
        let side = min(raw[0].width, raw[0].height)
        let transform = ClipTransform(
            crop: CropBox(x: (raw[0].width - side) / 2, y: 0, width: side, height: side), outputSize: 224)
        let targets = try MMETargetComputer(configuration).targets(rawFrames: raw, clipFrames: clipFrames, stride: stride, transform: transform)
        let luma = try transform.apply(to: raw).map { try $0.converted(to: .gray).pixels.map(Int.init) }

        var (moving, still) = ([Float](), [Float]())
        for set in targets.tracks {
            // The largest change of each pixel between consecutive frames of the span.
            var change = [Int](repeating: 0, count: 224 * 224)
            for t in set.startFrame..<(set.startFrame + set.length) {
                for i in change.indices { change[i] = max(change[i], abs(luma[t + 1][i] - luma[t][i])) }
            }
            for n in 0..<set.count {
                let (a, b) = (set.position(n, step: 0), set.position(n, step: set.length))
                let travelled = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                let (x, y) = (Int(a.x.rounded()), Int(a.y.rounded()))
                let around = (max(y - 8, 0)...min(y + 8, 223)).flatMap { v in (max(x - 8, 0)...min(x + 8, 223)).map { change[v * 224 + $0] } }
                if change[y * 224 + x] >= 25 { moving.append(travelled) } else if around.max()! <= 6 { still.append(travelled) }
            }
        }
        let meanMoving = moving.reduce(0, +) / Float(max(moving.count, 1))
        let meanStill = still.reduce(0, +) / Float(max(still.count, 1))
        print(String(format: "vtest: %d moving tracks travel %.3f px, %d static tracks %.3f px (ratio %.1f)",
                     moving.count, meanMoving, still.count, meanStill, meanMoving / max(meanStill, 1e-6)))
        #expect(moving.count >= 30 && still.count >= 1000, "\(moving.count) moving and \(still.count) static tracks")
        #expect(meanMoving >= 1, "moving tracks travel \(meanMoving) px")
        #expect(meanStill <= 0.3, "static tracks travel \(meanStill) px")
        #expect(meanMoving >= 10 * meanStill, "moving \(meanMoving) px vs static \(meanStill) px")
    }
}
