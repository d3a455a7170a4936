import Foundation
import KinemaMediaTestSupport
import KinemaMotion
import Testing

@Suite struct DescriptorTests {
    /// A random vector field and the brute-force box histogram of its definition: each vector's
    /// magnitude split linearly between the two nearest of 8 bins over 360°.
    @Test func integralHistogramEqualsBruteForce() throws {
        var rng = SeededGenerator(seed: 11)
        let (w, h) = (13, 9)
        let vectors = (0..<(w * h * 2)).map { _ in Float.random(in: -3...3, using: &rng) }
        let flow = FlowField(width: w, height: h, vectors: vectors)
        let integral = try IntegralHistogram(flow: flow, bins: 8, zeroBinThreshold: nil)
        #expect(integral.dimensions == 8)
        var expected = [Double](repeating: 0, count: 8)
        for y in 2..<7 {
            for x in 3..<11 {
                let (u, v) = (Double(flow[x, y].u), Double(flow[x, y].v))
                var degrees = atan2(v, u) * 180 / .pi
                if degrees < 0 { degrees += 360 }
                let position = degrees / 45
                let b0 = Int(position) % 8
                let share = position - Double(Int(position))
                expected[b0] += (u * u + v * v).squareRoot() * (1 - share)
                expected[(b0 + 1) % 8] += (u * u + v * v).squareRoot() * share
            }
        }
        let got = integral.histogram(x: 3, y: 2, width: 8, height: 5)
        for (a, e) in zip(got, expected) { #expect(abs(a - e) < 1e-4) }
    }

    @Test func hofZeroBinCountsStillPixels() throws {
        var vectors = [Float](repeating: 0, count: 10 * 10 * 2)
        for i in 0..<50 { vectors[2 * i] = 1 }  // the top half moves right by 1 px
        let integral = try IntegralHistogram(flow: FlowField(width: 10, height: 10, vectors: vectors))
        #expect(integral.dimensions == 9)
        let all = integral.histogram(x: 0, y: 0, width: 10, height: 10)
        #expect(all[8] == 50 && abs(all[0] - 50) < 1e-9 && all[1..<8].allSatisfy { abs($0) < 1e-9 })
        // Cell grid: 2 × 2 cells of 5 px; the top cells moving, the bottom still.
        let grid = integral.cellGrid(cell: 5)
        #expect(grid.count == 4 * 9 && grid[8] == 0 && grid[2 * 9 + 8] == 25)
    }

    @Test func motionBoundariesIgnoreConstantMotion() throws {
        let mbh = try IntegralHistogram(motionBoundariesOf: FlowField(width: 16, height: 16, u: 3, v: -2), component: .x)
        #expect(mbh.histogram(x: 0, y: 0, width: 16, height: 16).allSatisfy { $0 == 0 })
    }

    @Test func hogOfAVerticalEdge() throws {
        var pixels = [UInt8](repeating: 10, count: 16 * 16)
        for y in 0..<16 { for x in 8..<16 { pixels[y * 16 + x] = 110 } }
        let integral = try IntegralHistogram(gradientsOf: Image(width: 16, height: 16, format: .gray, pixels: pixels))
        let h = integral.histogram(x: 0, y: 0, width: 16, height: 16)
        // Dark → bright to the right: the gradient points along +x, bin 0; [−1, 0, 1] gives 100 on
        // the two columns around the edge, 16 rows each.
        #expect(h[0] == 3200 && h.dropFirst().allSatisfy { $0 == 0 })
    }

    @Test func idtDescriptorsHaveTheirDimensionsAndRootSIFTNorm() throws {
        let photo = try TestData.photo("chelsea", width: 160, height: 120)
        let frames = try (0...3).map { try photo.warpedPerspective(by: KnownMotion.translation(Double($0), 0)) }
        let dis = try DISFlow(preset: .fast)
        let flows = try (0..<3).map { try dis.flow(from: frames[$0], to: frames[$0 + 1]) }
        let set = try DenseTrajectoryTracker(.init(length: 3, gridStep: 16)).track(flows[...])
        let descriptor = try TrajectoryDescriptor(.idt)
        let hog = try descriptor.describe(set, integrals: frames.prefix(3).map { try IntegralHistogram(gradientsOf: $0) })
        let hof = try descriptor.describe(set, integrals: flows.map { try IntegralHistogram(flow: $0) })
        let mbhx = try descriptor.describe(set, integrals: flows.map { try IntegralHistogram(motionBoundariesOf: $0, component: .x) })
        #expect(descriptor.dimension(histogramDimensions: 8, length: 3) == 96)
        #expect(hog.count == set.count * 96 && hof.count == set.count * 108 && mbhx.count == set.count * 96)
        // L = 3 with 3 temporal cells: one step per cell, each a RootSIFT vector of unit L2 norm.
        for n in 0..<set.count {
            for cell in 0..<3 {
                let v = hof[(n * 108 + cell * 36)..<(n * 108 + cell * 36 + 36)]
                #expect(abs(v.map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
            }
        }
    }

    @Test func mmeTrajectoryAlignedHOGReadsTheWindowAtEachTrackedPoint() throws {
        let photo = try TestData.photo("camera", format: .gray, width: 128, height: 96)
        let frames = try (0...4).map { try photo.warpedPerspective(by: KnownMotion.translation(2 * Double($0), Double($0))) }
        let flows = Array(repeating: FlowField(width: 128, height: 96, u: 2, v: 1), count: 4)
        let set = try DenseTrajectoryTracker(.init(length: 4, gridStep: 16)).track(flows[...])
        let integrals = try frames.prefix(4).map { try IntegralHistogram(gradientsOf: $0, bins: 9, fullCircle: false) }
        let descriptor = try TrajectoryDescriptor(.mme(cell: 8))
        let z = try descriptor.describe(set, integrals: integrals)
        #expect(z.count == set.count * 4 * 9)  // Eq. 5: L × 9 per trajectory
        #expect(try set.alignedHOG(frames: frames) == z)
        for n in [0, 7, set.count - 1] {
            for t in 0..<4 {
                let p = set.position(n, step: t)
                let x0 = min(max(Int(p.x.rounded()) - 4, 0), 120), y0 = min(max(Int(p.y.rounded()) - 4, 0), 88)
                let expected = integrals[t].histogram(x: x0, y: y0, width: 8, height: 8).map(Float.init)
                #expect(Array(z[((n * 4 + t) * 9)..<((n * 4 + t) * 9 + 9)]) == expected)
            }
        }
        // The content moves with the points, so an interior point sees the same patch every step.
        let n = set.columns + 2
        let first = Array(z[(n * 36)..<(n * 36 + 9)]), last = Array(z[(n * 36 + 27)..<(n * 36 + 36)])
        for (a, b) in zip(first, last) { #expect(abs(a - b) <= 1e-3 * max(abs(a), 1)) }
    }

    @Test func badInputThrows() throws {
        #expect(throws: MotionError.self) { try TrajectoryDescriptor(.init(patchSize: 30, spatialCells: 4)) }
        #expect(throws: MotionError.self) { try IntegralHistogram(flow: FlowField(width: 4, height: 4), bins: 0) }
        let set = try DenseTrajectoryTracker(.init(length: 2, gridStep: 8)).track(Array(repeating: FlowField(width: 16, height: 16), count: 2)[...])
        let small = try IntegralHistogram(flow: FlowField(width: 16, height: 16))
        #expect(throws: MotionError.self) { try TrajectoryDescriptor(.idt).describe(set, integrals: [small, small]) }  // 16 px < 32 px patch
        #expect(throws: MotionError.self) { try TrajectoryDescriptor(.mme()).describe(set, integrals: [small]) }
    }
}
