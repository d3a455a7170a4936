import Foundation
import KinemaMediaTestSupport
import KinemaMotion
import Testing

@Suite struct TrajectoryTests {
    func tracker(length: Int = 6, step: Int = 8, sampling: DenseTrajectoryTracker.Sampling = .nearest, median: Bool = true) throws -> DenseTrajectoryTracker {
        var p = DenseTrajectoryTracker.Parameters(length: length, gridStep: step)
        p.sampling = sampling
        p.medianFilter = median
        return try DenseTrajectoryTracker(p)
    }

    @Test func constantFlowMovesEveryPointExactly() throws {
        let flows = Array(repeating: FlowField(width: 64, height: 48, u: 2, v: 1), count: 6)
        let set = try tracker().track(flows[...], startFrame: 3)
        #expect(set.rows == 6 && set.columns == 8 && set.startFrame == 3 && set.length == 6)
        for n in 0..<set.count {
            let start = set.position(n, step: 0)
            #expect(start == (Float(4 + 8 * (n % 8)), Float(4 + 8 * (n / 8))))
            #expect(set.position(n, step: 6) == (start.x + 12, start.y + 6))
            // Out of frame exactly when a point ends at x ≥ 64 or y ≥ 48 (MME Eq. 7's P).
            let leaves = start.x + 12 >= 64 || start.y + 6 >= 48
            #expect(set.flags[n].contains(.outOfFrame) == leaves)
        }
        #expect(set.displacements().allSatisfy { $0 == 2 || $0 == 1 })
        // MME's layout: channel c·L + t, then the grid.
        let maps = set.displacementMaps()
        #expect(maps.count == 2 * 6 * 48 && maps[0] == 2 && maps[6 * 48] == 1)
    }

    @Test func rotationFieldIsFollowed() throws {
        // A 1° rotation about the centre, the same field every frame: after L steps each point is
        // rotated by L°. Bilinear sampling of this linear field is exact; nearest-pixel lookup
        // (DT's) errs by at most the field's change over half a pixel per step.
        let h = KnownMotion.similarity(degrees: 1, scale: 1, cx: 64, cy: 48)
        let field = FlowField(width: 128, height: 96) { x, y in KnownMotion.apply(h, x, y) }
        var h6 = h
        for _ in 1..<6 { h6 = KnownMotion.multiply(h6, h) }
        for (sampling, tolerance) in [(DenseTrajectoryTracker.Sampling.bilinear, Float(1e-3)), (.nearest, Float(0.2))] {
            let set = try tracker(sampling: sampling, median: false).track(Array(repeating: field, count: 6)[...])
            var worst: Float = 0
            for n in 0..<set.count where !set.flags[n].contains(.outOfFrame) {
                let p0 = set.position(n, step: 0), p6 = set.position(n, step: 6)
                let expected = KnownMotion.apply(h6, Double(p0.x), Double(p0.y))
                worst = max(worst, abs(p6.x - Float(expected.x)), abs(p6.y - Float(expected.y)))
            }
            #expect(worst < tolerance, "\(sampling): worst error \(worst) px")
        }
    }

    @Test func trajectoriesOnRealFootageFollowTheKnownMotion() throws {
        // A real photo panned by (1.5, 1) px per frame; flow by DIS, tracking with the median filter.
        let photo = try TestData.photo("astronaut", width: 400, height: 400)
        let frames = try (0...6).map { t in
            try photo.warpedPerspective(by: KnownMotion.translation(1.5 * Double(t) - 40, Double(t) - 13), width: 320, height: 240)
        }
        let dis = try DISFlow(preset: .medium)
        let flows = try (0..<6).map { try dis.flow(from: frames[$0], to: frames[$0 + 1]) }
        let set = try tracker().track(flows[...])
        var errors: [Float] = []
        for n in 0..<set.count {
            let p0 = set.position(n, step: 0), p6 = set.position(n, step: 6)
            guard p0.x > 24, p0.x < 296, p0.y > 24, p0.y < 216 else { continue }
            let (dx, dy) = (p6.x - p0.x - 9, p6.y - p0.y - 6)
            errors.append((dx * dx + dy * dy).squareRoot())
            #expect(!set.flags[n].contains(.outOfFrame) && !set.flags[n].contains(.staticTrack))
        }
        errors.sort()
        let (median, p90) = (errors[errors.count / 2], errors[errors.count * 9 / 10])
        // Flow errors accumulate over the 6 steps (drift, the reason L stays short). Measured: median
        // 0.27 px, 90th percentile 0.82 px; a tracker that did not move would be 10.8 px off.
        #expect(median < 0.4 && p90 < 1.2, "end-point drift after 6 steps: median \(median), 90th percentile \(p90) px")
    }

    @Test func pointsTrackFromAnyStartAndTruncatedLookupDropsSubPixelMotion() throws {
        let flows = Array(repeating: FlowField(width: 64, height: 48, u: 1.7, v: -0.6), count: 6)
        let grid = try tracker(sampling: .bilinear).track(flows[...])
        let starts = (0..<grid.count).flatMap { [grid.position($0, step: 0).x, grid.position($0, step: 0).y] }
        #expect(try tracker(sampling: .bilinear).positions(from: starts, through: flows[...]) == grid.positions)
        // MME's released tracker casts the flow to integers: (1.7, −0.6) moves (1, 0) per step.
        let truncated = try tracker(sampling: .nearestTruncated, median: false).positions(from: [10.25, 20.5], through: flows[...])
        #expect(truncated.count == 7 * 2 && truncated[12] == 16.25 && truncated[13] == 20.5)
        let nearest = try tracker(sampling: .nearest, median: false).positions(from: [10.25, 20.5], through: flows[...])
        #expect(abs(nearest[12] - (10.25 + 6 * 1.7)) < 1e-4 && abs(nearest[13] - (20.5 - 6 * 0.6)) < 1e-4)
    }

    @Test func leavingTheFrameMeansReachingItsEdgeOrBeyond() throws {
        // Eq. 7's open interval: x = 0 or x = W is out.
        let set = TrajectorySet(startFrame: 0, length: 1, rows: 1, columns: 3, gridStep: 8,
                                positions: [4, 4, 0, 4, 12, 4, 63.9, 4, 20, 4, 20, 48], flags: [])
        #expect([0, 1, 2].map { set.leavesFrame($0, width: 64, height: 48) } == [true, false, true])
    }

    @Test func denseTrajectoryPruningRules() throws {
        let still = try tracker().track(Array(repeating: FlowField(width: 64, height: 64), count: 6)[...])
        #expect(still.flags.allSatisfy { $0 == .staticTrack })
        // Steps of 40 px: spread (std ≈ 69 px) over DT's 50 px.
        let fast = try tracker(length: 6, step: 64, median: false).track(Array(repeating: FlowField(width: 512, height: 64, u: 40), count: 6)[...])
        #expect(fast.flags[0] == .erratic)
        // One 25 px jump among 0.5 px steps: longer than 20 px and than 70 % of the whole length.
        var flows = Array(repeating: FlowField(width: 128, height: 64, u: 0.5), count: 6)
        flows[3] = FlowField(width: 128, height: 64, u: 25)
        let jump = try tracker(length: 6, step: 64, median: false).track(flows[...])
        #expect(jump.flags[0].contains(.suddenJump))
        #expect(jump.validity() == [true, true] && jump.validity(rejecting: .suddenJump) == [false, false])
    }

    @Test func everyStartFrame() throws {
        let flows = Array(repeating: FlowField(width: 32, height: 32, u: 1), count: 9)
        let sets = try tracker(length: 4).trackAll(flows)
        #expect(sets.map(\.startFrame) == [0, 1, 2, 3, 4, 5])
        // MME's sampling: a 224 × 224 frame gives a 28 × 28 grid (K = 4 points per 16-px patch).
        let mme = try tracker(length: 4).track(Array(repeating: FlowField(width: 224, height: 224), count: 4)[...])
        #expect(mme.rows == 28 && mme.columns == 28)
    }

    @Test func badInputThrows() throws {
        #expect(throws: MotionError.self) { try DenseTrajectoryTracker(.init(length: 0)) }
        let t = try tracker()
        #expect(throws: MotionError.self) { try t.track(Array(repeating: FlowField(width: 32, height: 32), count: 5)[...]) }
        var mixed = Array(repeating: FlowField(width: 32, height: 32), count: 6)
        mixed[2] = FlowField(width: 33, height: 32)
        #expect(throws: MotionError.self) { try t.track(mixed[...]) }
        #expect(throws: MotionError.self) { try tracker(step: 64).track(Array(repeating: FlowField(width: 32, height: 32), count: 6)[...]) }
    }
}

@Suite struct TrajectoryFileTests {
    @Test func streamMatchesTrackAllAndFilesRoundTrip() throws {
        var rng = SeededGenerator(seed: 5)
        let flows = (0..<7).map { _ in
            FlowField(width: 40, height: 32, vectors: (0..<(40 * 32 * 2)).map { _ in Float.random(in: -2...2, using: &rng) })
        }
        let tracker = try DenseTrajectoryTracker(.init(length: 3, gridStep: 8))
        let all = try tracker.trackAll(flows)
        var stream = tracker.stream()
        var streamed: [TrajectorySet] = []
        for f in flows { if let s = try stream.append(f) { streamed.append(s) } }
        #expect(all == streamed && all.count == 5)
        #expect(all[2] == (try tracker.track(flows[2..<5], startFrame: 2)))

        let folder = TemporaryFolder()
        let url = folder.file("t.safetensors")
        try TrajectorySet.write(all, to: url, metadata: ["video": "synthetic"])
        #expect(try TrajectorySet.read(url) == all)
        try Data("nope".utf8).write(to: folder.file("bad.safetensors"))
        #expect(throws: MotionError.self) { try TrajectorySet.read(folder.file("bad.safetensors")) }
    }
}
