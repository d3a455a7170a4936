import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_functional (F.conv*d, F.conv_transpose*d, F.*_pool*d).
@Suite struct ConvolutionTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_functional") }

    @Test func conv1dStridePadding() throws {
        try checkFunctional(fx, "conv1d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv1d")) { t in
            t["x"]!.conv1d(t["w"]!, bias: t["b"]!, stride: 2, padding: 1)
        }
    }

    @Test func conv2dGroupsDilationPerDimension() throws {
        try checkFunctional(fx, "conv2d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv2d")) { t in
            t["x"]!.conv2d(t["w"]!, bias: t["b"]!, stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)
        }
    }

    @Test func conv2dSamePaddingWithEvenKernel() throws {
        try checkFunctional(fx, "conv2d_same", inputs: ["x", "w"], sums: convolutionSums(fx, "conv2d_same")) { t in
            t["x"]!.conv2d(t["w"]!, padding: .same, dilation: 2)
        }
    }

    @Test func conv2dValidPadding() throws {
        try checkFunctional(fx, "conv2d_valid", inputs: ["x", "w"], sums: convolutionSums(fx, "conv2d_valid")) { t in t["x"]!.conv2d(t["w"]!, padding: .valid) }
    }

    @Test func conv3d() throws {
        try checkFunctional(fx, "conv3d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv3d")) { t in
            t["x"]!.conv3d(t["w"]!, bias: t["b"]!, stride: [1, 2, 2], padding: 1)
        }
        try checkFunctional(fx, "conv3d_same", inputs: ["x", "w"], sums: convolutionSums(fx, "conv3d_same")) { t in t["x"]!.conv3d(t["w"]!, padding: .same) }
    }

    @Test func conv2dFloat64() throws {
        try checkFunctional(fx, "conv2d_f64", inputs: ["x", "w", "b"], rtol: 1e-12, atol: 1e-12) { t in
            t["x"]!.conv2d(t["w"]!, bias: t["b"]!, padding: 1)
        }
    }

    @Test func transposedConvolutions() throws {
        try checkFunctional(fx, "conv_transpose1d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv_transpose1d", transposed: true)) { t in
            t["x"]!.convTranspose1d(t["w"]!, bias: t["b"]!, stride: 2, padding: 1, outputPadding: 1)
        }
        try checkFunctional(fx, "conv_transpose2d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv_transpose2d", transposed: true)) { t in
            t["x"]!.convTranspose2d(t["w"]!, bias: t["b"]!, stride: 2, padding: 1, outputPadding: 1, groups: 2)
        }
        try checkFunctional(fx, "conv_transpose3d", inputs: ["x", "w", "b"], sums: convolutionSums(fx, "conv_transpose3d", transposed: true)) { t in
            t["x"]!.convTranspose3d(
                t["w"]!, bias: t["b"]!, stride: [1, 2, 2], padding: [0, 1, 1], outputPadding: [0, 1, 1])
        }
    }

    @Test func convolutionErrorsThrow() throws {
        let x = Tensor.zeros([1, 3, 5, 5])
        // Wrong input channels, and a window argument with the wrong number of values.
        #expect(throws: TorchError.self) { try x.checked.conv2d(Tensor.zeros([4, 2, 3, 3])) }
        let error = #expect(throws: TorchError.self) {
            try x.checked.conv2d(Tensor.zeros([4, 3, 3, 3]), stride: [1, 2, 3])
        }
        #expect(error?.message.contains("stride must have 1 or 2 values") == true)
        #expect(throws: TorchError.self) {
            try x.checked.conv2d(Tensor.zeros([4, 3, 3, 3]), stride: 2, padding: .same)
        }
    }
}

@Suite struct PoolingTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_functional") }

    @Test func maxPoolingWithIndices() throws {
        try checkFunctional(fx, "max_pool1d", inputs: ["x"]) { t in
            t["x"]!.maxPool1d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)
        }
        let x1 = try fx.tensor("max_pool1d.x")
        #expect(
            x1.maxPool1dWithIndices(kernelSize: 3, stride: 2, padding: 1, ceilMode: true).indices
                .isEqual(to: try fx.tensor("max_pool1d.indices")))

        try checkFunctional(fx, "max_pool2d", inputs: ["x"]) { t in
            t["x"]!.maxPool2d(kernelSize: [3, 2], stride: [2, 2], padding: [1, 0], dilation: [1, 2])
        }
        let pooled = try fx.tensor("max_pool2d.x").maxPool2dWithIndices(
            kernelSize: [3, 2], stride: 2, padding: [1, 0], dilation: [1, 2])
        #expect(pooled.indices.isEqual(to: try fx.tensor("max_pool2d.indices")))
        expectClose(pooled.values, try fx.tensor("max_pool2d.out"))

        try checkFunctional(fx, "max_pool3d", inputs: ["x"]) { t in
            t["x"]!.maxPool3d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)
        }
        #expect(
            try fx.tensor("max_pool3d.x").maxPool3dWithIndices(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)
                .indices.isEqual(to: try fx.tensor("max_pool3d.indices")))
    }

    @Test func averagePooling() throws {
        try checkFunctional(fx, "avg_pool1d", inputs: ["x"]) { t in
            t["x"]!.avgPool1d(kernelSize: 4, stride: 3, padding: 2, ceilMode: true, countIncludePad: false)
        }
        try checkFunctional(fx, "avg_pool2d", inputs: ["x"]) { t in
            t["x"]!.avgPool2d(kernelSize: 3, stride: 2, padding: 1)
        }
        try checkFunctional(fx, "avg_pool2d_divisor", inputs: ["x"]) { t in
            t["x"]!.avgPool2d(kernelSize: [3, 2], stride: 1, padding: [1, 0], divisorOverride: 5)
        }
        try checkFunctional(fx, "avg_pool3d", inputs: ["x"]) { t in
            t["x"]!.avgPool3d(
                kernelSize: [2, 3, 3], stride: [1, 2, 2], padding: 1, ceilMode: true, countIncludePad: false)
        }
    }

    @Test func adaptivePooling() throws {
        try checkFunctional(fx, "adaptive_avg_pool1d", inputs: ["x"]) { t in t["x"]!.adaptiveAvgPool1d(outputSize: 4) }
        try checkFunctional(fx, "adaptive_avg_pool2d", inputs: ["x"]) { t in
            t["x"]!.adaptiveAvgPool2d(outputSize: [4, 3])
        }
        try checkFunctional(fx, "adaptive_avg_pool3d", inputs: ["x"]) { t in
            t["x"]!.adaptiveAvgPool3d(outputSize: [2, 3, 4])
        }
        try checkFunctional(fx, "adaptive_max_pool2d", inputs: ["x"]) { t in
            t["x"]!.adaptiveMaxPool2d(outputSize: [4, 3])
        }
        #expect(
            try fx.tensor("adaptive_max_pool2d.x").adaptiveMaxPool2dWithIndices(outputSize: [4, 3]).indices
                .isEqual(to: try fx.tensor("adaptive_max_pool2d.indices")))
        try checkFunctional(fx, "adaptive_max_pool3d", inputs: ["x"]) { t in
            t["x"]!.adaptiveMaxPool3d(outputSize: [2, 3, 2])
        }
        #expect(
            try fx.tensor("adaptive_max_pool3d.x").adaptiveMaxPool3dWithIndices(outputSize: [2, 3, 2]).indices
                .isEqual(to: try fx.tensor("adaptive_max_pool3d.indices")))
    }

    @Test func poolingErrorsThrow() {
        let x = Tensor.zeros([1, 2, 4, 4])
        // PyTorch: padding must be at most half the kernel.
        #expect(throws: TorchError.self) { try x.checked.maxPool2d(kernelSize: 2, padding: 2) }
        #expect(throws: TorchError.self) { try x.checked.avgPool2d(kernelSize: [2, 2, 2]) }
        #expect(throws: TorchError.self) { try Tensor.zeros([4, 4]).checked.adaptiveAvgPool3d(outputSize: 2) }
    }
}
