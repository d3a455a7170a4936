import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_layers. Each test builds the Kinema layer, loads the PyTorch module's
// state_dict strictly (so the key names are PyTorch's), then compares output and gradients.
@Suite struct LayerTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_layers") }

    @Test func linear() throws {
        // Longest sums: 5 input features, 6 rows for the weight gradient.
        try checkLayer(fx, "linear", sums: 6) { p in try Linear(p, inFeatures: 5, outFeatures: 4) }
        try checkLayer(fx, "linear_nobias", sums: 5) { p in try Linear(p, inFeatures: 5, outFeatures: 4, bias: false) }
        try checkLayer(fx, "linear_f64", dtype: .float64, rtol: 1e-12, atol: 1e-12) { p in
            try Linear(p, inFeatures: 3, outFeatures: 2)
        }
    }

    @Test func convolutions() throws {
        try checkLayer(fx, "conv1d", sums: convolutionSums(fx, "conv1d", weight: "state.weight")) { p in
            try Conv1d(p, inChannels: 3, outChannels: 4, kernelSize: 3, stride: 2, padding: 1)
        }
        try checkLayer(fx, "conv2d", sums: convolutionSums(fx, "conv2d", weight: "state.weight")) { p in
            try Conv2d(p, inChannels: 4, outChannels: 6, kernelSize: [3, 2], stride: 2, padding: 1, groups: 2)
        }
        try checkLayer(fx, "conv2d_same", sums: convolutionSums(fx, "conv2d_same", weight: "state.weight")) { p in
            try Conv2d(p, inChannels: 3, outChannels: 4, kernelSize: 3, padding: .same, bias: false)
        }
        try checkLayer(fx, "conv3d", sums: convolutionSums(fx, "conv3d", weight: "state.weight")) { p in
            try Conv3d(p, inChannels: 2, outChannels: 3, kernelSize: 3, stride: [1, 2, 2], padding: 1)
        }
        try checkLayer(fx, "conv_transpose2d", sums: convolutionSums(fx, "conv_transpose2d", weight: "state.weight", transposed: true)) { p in
            try ConvTranspose2d(
                p, inChannels: 4, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1)
        }
        try checkLayer(fx, "conv_transpose3d", sums: convolutionSums(fx, "conv_transpose3d", weight: "state.weight", transposed: true)) { p in
            try ConvTranspose3d(
                p, inChannels: 2, outChannels: 3, kernelSize: [2, 3, 3], stride: [1, 2, 2], padding: [0, 1, 1])
        }
    }

    @Test func transposedConvolution1dLayerUsesItsArguments() throws {
        // Reference: gen_nn.py::gen_functional "conv_transpose1d" (F.conv_transpose1d with the same weights).
        let functional = try fixture("nn_functional")
        let layer = try ConvTranspose1d(
            ParameterStore().root, inChannels: 3, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1
        )
        try layer.loadStateDict([
            "weight": try functional.tensor("conv_transpose1d.w"), "bias": try functional.tensor("conv_transpose1d.b"),
        ])
        expectClose(layer(try functional.tensor("conv_transpose1d.x")), try functional.tensor("conv_transpose1d.out"))
    }

    @Test func normalizationLayers() throws {
        try checkLayer(fx, "layer_norm", sums: 10) { p in try LayerNorm(p, normalizedShape: [6], eps: 1e-6) }
        try checkLayer(fx, "layer_norm_2d", sums: 30) { p in try LayerNorm(p, normalizedShape: [5, 6]) }
        try checkLayer(fx, "group_norm", sums: 32) { p in try GroupNorm(p, groups: 3, channels: 6) }
    }

    @Test func embeddingWithPaddingRow() throws {
        let embedding = try checkLayer(fx, "embedding") { p in
            try Embedding(p, count: 10, dimension: 4, paddingIndex: 2)
        }
        #expect(embedding.weight.grad!.selected(dim: 0, index: 2).isEqual(to: Tensor.zeros([4])))
    }

    @Test func mlpHasTimmNames() throws {
        // Longest sums: 10 hidden features; 6 rows for the weight gradients.
        let mlp = try checkLayer(fx, "mlp", sums: 10) { p in try MLP(p, inFeatures: 6, hiddenFeatures: 10, outFeatures: 4) }
        #expect(mlp.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    }

    @Test func sequentialNamesChildrenByIndex() throws {
        // Longest sums: the batch-norm statistics and the weight gradients over 2 × 5 × 5 positions.
        let sequential = try checkLayer(fx, "sequential", sums: 50) { p in
            try Sequential(
                p,
                [
                    try Conv2d(p / 0, inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1),
                    try BatchNorm2d(p / 1, features: 4),
                    Activation.relu,
                    try Conv2d(p / 3, inChannels: 4, outChannels: 2, kernelSize: 1),
                ])
        }
        #expect(sequential.count == 4)
        #expect(sequential.stateDict()["1.num_batches_tracked"]?.item(Int64.self) == 1)
    }

    @Test func sequentialRejectsAMisnumberedChild() throws {
        let store = ParameterStore()
        let p = store.root / "features"
        let error = #expect(throws: ModuleError.self) {
            try Sequential(p, [Activation.relu, try Linear(p / 0, inFeatures: 2, outFeatures: 2)])
        }
        #expect(error?.message.contains("child 1 must be built at 'features.1', not 'features.0'") == true)
    }

    @Test func activationLayers() throws {
        let x = Tensor([-2, -0.5, 0, 0.5, 2] as [Float])
        #expect(Activation.identity(x).isEqual(to: x))
        #expect(Activation.relu(x).isEqual(to: x.relu()))
        #expect(Activation.gelu(x).isEqual(to: x.gelu()))
        #expect(Activation.geluTanh(x).isEqual(to: x.gelu(approximate: .tanh)))
        #expect(Activation.silu(x).isEqual(to: x.silu()))
        #expect(Activation.sigmoid(x).isEqual(to: x.sigmoid()))
        #expect(Activation.tanh(x, mode: .train).isEqual(to: x.tanh()))
    }

    @Test func invalidConfigurationsThrow() {
        let root = ParameterStore().root
        #expect(throws: ModuleError.self) {
            try Conv2d(root / "a", inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2)
        }
        #expect(throws: ModuleError.self) {
            try Conv2d(root / "b", inChannels: 3, outChannels: 4, kernelSize: [3, 3, 3])
        }
        #expect(throws: ModuleError.self) {
            try Conv2d(root / "c", inChannels: 3, outChannels: 4, kernelSize: 3, stride: 2, padding: .same)
        }
        #expect(throws: ModuleError.self) { try GroupNorm(root / "d", groups: 4, channels: 6) }
        #expect(throws: ModuleError.self) { try Embedding(root / "e", count: 4, dimension: 2, paddingIndex: 4) }
        #expect(throws: ModuleError.self) { try MultiheadAttention(root / "f", embedDimension: 10, headCount: 3) }
        #expect(throws: ModuleError.self) { try Dropout(p: -0.1) }
        #expect(throws: ModuleError.self) { try DropPath(p: 2) }
        #expect(throws: ModuleError.self) { try LayerNorm(root / "g", normalizedShape: []) }
    }
}

// Reference: gen_nn.py::gen_layers (drop_path as timm writes it; nn.Dropout) after torch.manual_seed.
@Suite struct StochasticLayerTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_layers") }

    @Test func dropPathDrawsTimmsMaskPerSample() throws {
        let x = try fx.tensor("drop_path.x")
        let dropPath = try DropPath(p: 0.4, generator: try Generator(seed: 51))
        #expect(dropPath(x, mode: .train).isEqual(to: try fx.tensor("drop_path.out")))
        #expect(dropPath(x, mode: .eval).isEqual(to: x))
        #expect(try DropPath(p: 0)(x, mode: .train).isEqual(to: x))
    }

    @Test func dropoutLayerDrawsPyTorchsMask() throws {
        let x = try fx.tensor("dropout_layer.x")
        let dropout = try Dropout(p: 0.25, generator: try Generator(seed: 52))
        #expect(dropout(x, mode: .train).isEqual(to: try fx.tensor("dropout_layer.out")))
        #expect(dropout(x, mode: .eval).isEqual(to: x))
    }

    @Test func dropPathWithoutScalingKeepsValues() throws {
        let x = Tensor.ones([64, 2])
        let out = try DropPath(p: 0.5, scaleByKeep: false, generator: try Generator(seed: 3))(x, mode: .train)
        let rows = out.array(of: Float.self)
        #expect(Set(rows).isSubset(of: [0, 1]))
        // Whole samples are dropped: both entries of a row agree.
        #expect(stride(from: 0, to: rows.count, by: 2).allSatisfy { rows[$0] == rows[$0 + 1] })
    }
}
