import KinemaData
import KinemaTensor
import KinemaVideo
import Testing

@Test func clipBatchIsNCTHWAndNormalisedPerChannel() {
    // Two clips of three 5×4 RGB frames whose bytes encode (clip, frame, pixel, channel).
    let (width, height) = (5, 4)
    func frame(_ n: Int, _ t: Int) -> Image {
        let pixels = (0..<(width * height * 3)).map { UInt8((n * 97 + t * 31 + $0 * 7) % 256) }
        return Image(width: width, height: height, format: .rgb, pixels: pixels)
    }
    let clips = (0..<2).map { n in (0..<3).map { t in frame(n, t) } }
    let mean: [Float] = [0.1, 0.2, 0.3]
    let std: [Float] = [0.5, 0.25, 2]
    let x = ClipTensor.batch(clips, mean: mean, std: std)
    #expect(x.shape == [2, 3, 3, height, width])
    #expect(x.dtype == .float32)
    let values = x.array(of: Float.self)
    for n in 0..<2 {
        for c in 0..<3 {
            for t in 0..<3 {
                for y in 0..<height {
                    for xx in 0..<width {
                        let byte = clips[n][t].pixels[(y * width + xx) * 3 + c]
                        let expected = (Float(byte) / 255 - mean[c]) / std[c]
                        let index = (((n * 3 + c) * 3 + t) * height + y) * width + xx
                        #expect(abs(values[index] - expected) < 1e-6)
                    }
                }
            }
        }
    }
}

@Test func seededGeneratorsAreReproducibleAndIndependentPerSample() {
    var a = SeededGenerator(seed: 7, index: 3)
    var b = SeededGenerator(seed: 7, index: 3)
    var c = SeededGenerator(seed: 7, index: 4)
    let first = (0..<8).map { _ in a.next() }
    #expect(first == (0..<8).map { _ in b.next() })
    #expect(first != (0..<8).map { _ in c.next() })
    var d = SeededGenerator(seed: 8, index: 3)
    #expect(first != (0..<8).map { _ in d.next() })
}
