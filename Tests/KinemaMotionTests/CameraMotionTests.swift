import Foundation
import KinemaMediaTestSupport
import KinemaMotion
import Testing

@Suite struct CameraMotionTests {
    /// Camera motion between two frames: rotation 1.5°, zoom 1.02, pan (4, −3) px. Measured on this
    /// machine: corners within 0.13 px (ORB) / 0.10 px (SIFT), residual flow 0.04 px, object flow 0.15 px.
    static let camera = KnownMotion.similarity(degrees: 1.5, scale: 1.02, cx: 160, cy: 120, dx: 4, dy: -3)

    /// The largest distance between where `h` and the truth send the frame's corners and centre.
    func worstReprojection(_ h: [Double], _ truth: [Double]) -> Double {
        [(0.0, 0.0), (319, 0), (0, 239), (319, 239), (160, 120)].map { p in
            let (a, b) = (KnownMotion.apply(h, p.0, p.1), KnownMotion.apply(truth, p.0, p.1))
            return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        }.max()!
    }

    @Test(arguments: [CameraMotionCompensator.Detector.orb, .sift])
    func recoversAKnownHomography(detector: CameraMotionCompensator.Detector) throws {
        let pair = try KnownMotionPair(Self.camera)
        var parameters = CameraMotionCompensator.Parameters()
        parameters.detector = detector
        let compensator = try CameraMotionCompensator(flow: DISFlow(preset: .medium), parameters: parameters)
        let result = try compensator.compensatedFlow(from: pair.first, to: pair.second)
        #expect(result.camera.isEstimated)
        #expect(result.camera.inlierRatio > 0.5, "inlier ratio \(result.camera.inlierRatio)")
        let error = worstReprojection(result.camera.homography, Self.camera)
        #expect(error < 0.4, "\(detector): corners off by \(error) px")
        // With the camera removed, a static scene has (almost) no flow left.
        let residual = try result.flow.endPointError(to: FlowField(width: 320, height: 240), margin: 20)
        #expect(residual < 0.15, "residual flow \(residual) px")
    }

    @Test func objectMotionSurvivesCompensation() throws {
        // A 64 × 64 patch of another photo moves by (10, 6) px while the camera moves.
        let pair = try KnownMotionPair(Self.camera)
        let object = try TestData.photo("chelsea").cropped(x: 180, y: 60, width: 64, height: 64)
        func paste(_ image: Image, at x0: Int, _ y0: Int) -> Image {
            var out = image
            for y in 0..<64 { for x in 0..<64 { for c in 0..<3 { out.pixels[((y0 + y) * 320 + x0 + x) * 3 + c] = object.pixels[(y * 64 + x) * 3 + c] } } }
            return out
        }
        let first = paste(pair.first, at: 100, 80), second = paste(pair.second, at: 110, 86)
        let compensator = try CameraMotionCompensator(flow: DISFlow(preset: .medium))
        let result = try compensator.compensatedFlow(from: first, to: second)
        #expect(worstReprojection(result.camera.homography, Self.camera) < 1)
        // Inside the patch: where the object pixel lands in the camera-aligned frame, H⁻¹(x + d) − x.
        var errors: [Double] = []
        for y in 96..<128 {
            for x in 116..<148 {
                let target = KnownMotion.apply(inverse(Self.camera), Double(x + 10), Double(y + 6))
                let (u, v) = result.flow[x, y]
                errors.append(((Double(u) - (target.x - Double(x))) * (Double(u) - (target.x - Double(x))) + (Double(v) - (target.y - Double(y))) * (Double(v) - (target.y - Double(y)))).squareRoot())
            }
        }
        let median = errors.sorted()[errors.count / 2]
        #expect(median < 0.5, "object flow off by \(median) px")
        // Far from the patch the background is still.
        #expect(result.flow[30, 200].u.magnitude < 0.5 && result.flow[290, 30].v.magnitude < 0.5)
    }

    @Test func featurelessFramesFallBackToIdentity() throws {
        let flat = Image(width: 120, height: 90, format: .rgb, filledWith: [90, 90, 90])
        let compensator = try CameraMotionCompensator(flow: DISFlow(preset: .fast))
        let result = try compensator.compensatedFlow(from: flat, to: flat)
        #expect(!result.camera.isEstimated)
        #expect(result.camera.homography == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(result.camera.inlierRatio == 0)
    }

    @Test func badInputThrows() throws {
        var p = CameraMotionCompensator.Parameters()
        p.minInliers = 2
        #expect(throws: MotionError.self) { try CameraMotionCompensator(flow: DISFlow(), parameters: p) }
        let compensator = try CameraMotionCompensator(flow: DISFlow())
        let a = Image(width: 40, height: 30, format: .rgb, filledWith: [0, 0, 0])
        let b = Image(width: 30, height: 40, format: .rgb, filledWith: [0, 0, 0])
        #expect(throws: MotionError.self) { try compensator.estimate(from: a, to: b) }
        #expect(throws: MotionError.self) { try compensator.estimate(from: a, to: a, flow: FlowField(width: 4, height: 4)) }
    }

    /// The inverse of a similarity homography (affine: invert the 2 × 2 part and the shift).
    func inverse(_ h: [Double]) -> [Double] {
        let det = h[0] * h[4] - h[1] * h[3]
        let (a, b, c, d) = (h[4] / det, -h[1] / det, -h[3] / det, h[0] / det)
        return [a, b, -(a * h[2] + b * h[5]), c, d, -(c * h[2] + d * h[5]), 0, 0, 1]
    }
}
