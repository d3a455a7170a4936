import KinemaPretext
import KinemaTestSupport
import Testing

/// The official arithmetic for every fixture case: Eq. 2 distance, training start bounds,
/// centred validation start, and the truncated Float32 linspace offsets.
@Test func pathMatchesTheOfficialArithmetic() throws {
    let fx = try mosiFixture()
    let params = try fx.doubles("path.params")
    let distances = try fx.doubles("path.distance")
    let (lows, highs) = (try fx.ints("path.start_min"), try fx.ints("path.start_max"))
    let centred = try fx.ints("path.centred")
    let starts = try fx.ints("path.start")
    let offsets = try fx.ints("path.offsets")
    let padded = offsets.count / distances.count
    #expect(distances.count > 250)
    for c in distances.indices {
        let p = params[(c * 6)..<(c * 6 + 6)].map { $0 }
        let (side, crop, frames, speed, k, factor) = (Int(p[0]), Int(p[1]), Int(p[2]), Int(p[3]), Int(p[4]), p[5])
        let axis = MoSIAxis(side: side, crop: crop)
        let d = axis.distance(speed: speed, speedsPerDirection: k, factor: factor)
        let label = "case \(c): side \(side) crop \(crop) N \(frames) s \(speed)/K \(k) factor \(factor)"
        #expect(d == distances[c], "\(label)")
        #expect(axis.startRange(distance: d) == lows[c]...highs[c], "\(label)")
        #expect(axis.centredStart(distance: d) == centred[c], "\(label)")
        let expected = Array(offsets[(c * padded)..<(c * padded + frames)])
        #expect(axis.offsets(start: starts[c], distance: d, frames: frames) == expected, "\(label)")
    }
}

/// For every start the sampler may draw, the whole path stays inside the source, and it spans the
/// Eq. 2 distance (up to the truncation of the end point).
@Test(arguments: [(320, 112, 2), (256, 112, 3), (171, 112, 1), (48, 16, 2)])
func everyTrainingPathStaysInside(side: Int, crop: Int, k: Int) {
    let axis = MoSIAxis(side: side, crop: crop)
    for speed in -k...k {
        for factor in [0.5, 0.8, 1.0] where abs(speed) < k || factor <= 1 {
            let d = axis.distance(speed: speed, speedsPerDirection: k, factor: factor)
            let range = axis.startRange(distance: d)
            #expect(!range.isEmpty)
            for start in [range.lowerBound, (range.lowerBound + range.upperBound) / 2, range.upperBound] {
                let o = axis.offsets(start: start, distance: d, frames: 16)
                // The raw end may overshoot by less than a pixel (the official bounds truncate a
                // fractional distance); the clamp keeps every window inside.
                let end = Double(start) + d
                #expect(end > -1 && end < Double(axis.travel) + 1, "s \(speed) start \(start) end \(end)")
                #expect(o.allSatisfy { (0...axis.travel).contains($0) })
                #expect(o.first == start)
                #expect(abs(Double(o.last! - start) - d) < 1, "s \(speed) factor \(factor)")
            }
        }
    }
}

@Test func defaultPathStepsAtThePaperSize() {
    // 320 → 112: |s| = 1 travels 104 px (≈ 6.9 px per frame), |s| = 2 travels 208 px (≈ 13.9 px).
    let axis = MoSIAxis(side: 320, crop: 112)
    #expect(axis.distance(speed: 1, speedsPerDirection: 2) == 104)
    #expect(axis.distance(speed: -2, speedsPerDirection: 2) == -208)
    let slow = axis.offsets(start: axis.centredStart(distance: 104), distance: 104, frames: 16)
    #expect(slow == [52, 58, 65, 72, 79, 86, 93, 100, 107, 114, 121, 128, 135, 142, 149, 156])
    let fastBack = axis.offsets(start: axis.centredStart(distance: -208), distance: -208, frames: 16)
    #expect(fastBack == [208, 194, 180, 166, 152, 138, 124, 110, 97, 83, 69, 55, 41, 27, 13, 0])
    #expect(axis.offsets(start: 104, distance: 0, frames: 16) == Array(repeating: 104, count: 16))
}
