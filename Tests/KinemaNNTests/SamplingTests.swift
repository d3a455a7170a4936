import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_functional (F.interpolate, grid_sample, pixel_(un)shuffle, unfold, fold).
@Suite struct SamplingTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_functional") }

    @Test func interpolateNearest() throws {
        try checkFunctional(fx, "interpolate_nearest", inputs: ["x"]) { t in t["x"]!.interpolate(size: [7, 9]) }
        try checkFunctional(fx, "interpolate_nearest_scale", inputs: ["x"]) { t in t["x"]!.interpolate(scaleFactor: 1.7)
        }
        try checkFunctional(fx, "interpolate_nearest_exact_1d", inputs: ["x"]) { t in
            t["x"]!.interpolate(size: 10, mode: .nearestExact)
        }
        try checkFunctional(fx, "interpolate_nearest_3d", inputs: ["x"]) { t in
            t["x"]!.interpolate(scaleFactors: [2, 1.5, 0.5])
        }
    }

    @Test func interpolateLinearModes() throws {
        try checkFunctional(fx, "interpolate_linear", inputs: ["x"]) { t in
            t["x"]!.interpolate(size: 12, mode: .linear, alignCorners: true)
        }
        try checkFunctional(fx, "interpolate_bilinear", inputs: ["x"]) { t in
            t["x"]!.interpolate(size: [8, 4], mode: .bilinear)
        }
        try checkFunctional(fx, "interpolate_bilinear_scale", inputs: ["x"]) { t in
            t["x"]!.interpolate(scaleFactor: 2.3, mode: .bilinear, alignCorners: false)
        }
        try checkFunctional(fx, "interpolate_bicubic", inputs: ["x"]) { t in
            t["x"]!.interpolate(size: [9, 7], mode: .bicubic, alignCorners: true)
        }
        try checkFunctional(fx, "interpolate_bicubic_scale", inputs: ["x"]) { t in
            t["x"]!.interpolate(scaleFactor: 1.5, mode: .bicubic)
        }
        try checkFunctional(fx, "interpolate_trilinear", inputs: ["x"]) { t in
            t["x"]!.interpolate(size: [5, 6, 7], mode: .trilinear)
        }
    }

    @Test func interpolateFollowsPyTorchsRules() {
        let image = Tensor.zeros([1, 2, 4, 4])
        // align_corners only with the interpolating modes; each of those needs its own rank.
        let alignError = #expect(throws: TorchError.self) { try image.checked.interpolate(size: 8, alignCorners: true) }
        #expect(alignError?.message.contains("alignCorners can only be set") == true)
        let rankError = #expect(throws: TorchError.self) { try image.checked.interpolate(size: 8, mode: .trilinear) }
        #expect(rankError?.message.contains("needs a 5-D input") == true)
        #expect(throws: TorchError.self) { try image.checked.interpolate(size: [8, 8, 8]) }
        #expect(throws: TorchError.self) { try image.checked.interpolate(scaleFactors: [2, 2, 2]) }
        #expect(throws: TorchError.self) { try Tensor.zeros([4, 4]).checked.interpolate(size: 8) }
    }

    @Test func gridSample() throws {
        try checkFunctional(fx, "grid_sample_bilinear", inputs: ["x", "grid"]) { t in t["x"]!.gridSample(t["grid"]!) }
        try checkFunctional(fx, "grid_sample_nearest", inputs: ["x", "grid"]) { t in
            t["x"]!.gridSample(t["grid"]!, mode: .nearest, padding: .border, alignCorners: true)
        }
        try checkFunctional(fx, "grid_sample_bicubic", inputs: ["x", "grid"], rtol: 1e-5, atol: 1e-5) { t in
            t["x"]!.gridSample(t["grid"]!, mode: .bicubic, padding: .reflection)
        }
        try checkFunctional(fx, "grid_sample_3d", inputs: ["x", "grid"]) { t in
            t["x"]!.gridSample(t["grid"]!, alignCorners: true)
        }
        #expect(throws: TorchError.self) {
            try Tensor.zeros([1, 1, 4, 4]).checked.gridSample(Tensor.zeros([1, 2, 2, 3]))
        }
    }

    @Test func pixelShuffleAndUnshuffle() throws {
        try checkFunctional(fx, "pixel_shuffle", inputs: ["x"]) { t in t["x"]!.pixelShuffle(upscaleFactor: 2) }
        try checkFunctional(fx, "pixel_unshuffle", inputs: ["x"]) { t in t["x"]!.pixelUnshuffle(downscaleFactor: 2) }
        #expect(throws: TorchError.self) { try Tensor.zeros([1, 3, 2, 2]).checked.pixelShuffle(upscaleFactor: 2) }
    }

    @Test func unfoldAndFold() throws {
        try checkFunctional(fx, "unfold", inputs: ["x"]) { t in
            t["x"]!.unfold(kernelSize: [2, 3], dilation: [1, 2], padding: 1, stride: [2, 1])
        }
        try checkFunctional(fx, "fold", inputs: ["x"]) { t in
            t["x"]!.fold(outputSize: [6, 7], kernelSize: [2, 3], dilation: [1, 2], padding: 1, stride: [2, 1])
        }
        #expect(throws: TorchError.self) {
            try Tensor.zeros([1, 5, 4]).checked.fold(outputSize: 4, kernelSize: 2)
        }
    }
}
