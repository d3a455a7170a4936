import KinemaModels
import KinemaTestSupport
import Testing

@testable import KinemaVisualize

/// A tiny registered backbone (width 4, 3 classes) in float64, so that finite differences are exact
/// enough to check gradients to 1e-6.
func tinyBackbone(_ name: ModelName = .r3d18Tiny, seed: UInt64 = 0, dtype: DType = .float64) throws -> any Backbone {
    try name.make(ParameterStore(dtype: dtype, generator: try Generator(seed: seed)).root, classes: 3, width: 4)
}

/// The same network behind only the ``Backbone`` surface (no stage-by-stage runs).
final class OpaqueBackbone: Backbone {
    let inner: any Backbone
    init(_ inner: any Backbone) { self.inner = inner }
    var path: ParameterPath { inner.path }
    var featureDimension: Int { inner.featureDimension }
    var head: Linear { inner.head }
    var stages: [ParameterPath] { inner.stages }
    func featureMap(_ input: Tensor, mode: Mode) -> Tensor { inner.featureMap(input, mode: mode) }
    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor { inner(input, mode: mode) }
    func resetHead(classes: Int) throws(ModuleError) { try inner.resetHead(classes: classes) }
}

@Suite struct GradCAMTests {
    let clip = Tensor.randn([2, 3, 8, 64, 64], generator: try! Generator(seed: 7)).to(.float64)

    /// Eq. 1–2 on a hand-sized example: A₀ = [[1, 2], [3, 4]], A₁ = [[4, 3], [2, 1]] and a logit
    /// `y = Σ A ⊙ M` whose gradient is M: α₀ = mean(1, 1, 1, 1) = 1, α₁ = mean(0, 0, 0, 2) = 0.5,
    /// L = A₀ + 0.5 A₁ = [[3, 3.5], [4, 4.5]], normalised (L − 3) / 1.5.
    @Test func arithmeticOnAHandExample() throws {
        let a = Tensor([1, 2, 3, 4, 4, 3, 2, 1] as [Double], shape: [1, 2, 1, 2, 2])
        let m = Tensor([1, 1, 1, 1, 0, 0, 0, 2] as [Double], shape: [1, 2, 1, 2, 2])
        let result = try GradCAM.compute(activation: a, outputSize: [1, 2, 2]) { x in
            (x * m).sum(dims: [1, 2, 3, 4]).reshaped([1, 1])
        }
        expectClose(result.weights, Tensor([1, 0.5] as [Double], shape: [1, 2]))
        expectClose(result.coarse, Tensor([3, 3.5, 4, 4.5] as [Double], shape: [1, 1, 2, 2]))
        expectClose(result.maps, Tensor([0, 1.0 / 3, 2.0 / 3, 1] as [Double], shape: [1, 1, 2, 2]), rtol: 1e-12)
        #expect(result.classes == [0])
    }

    /// Skipping classes explains the most probable of the others, clip by clip: logits
    /// y = (ΣA, 2ΣA, −ΣA) rank class 1, 0, 2 for a positive sum and 2, 0, 1 for a negative one.
    @Test func excludedClassesAreSkippedByThePrediction() throws {
        let a = Tensor([1, 2, -3, -4] as [Double], shape: [2, 1, 1, 1, 2])
        let weights = Tensor([1, 2, -1] as [Double], shape: [1, 3])
        let logits: (Tensor) -> Tensor = { x in x.sum(dims: [1, 2, 3, 4]).reshaped([2, 1]) * weights }
        #expect(try GradCAM.compute(activation: a, outputSize: [1, 1, 2], logits: logits).classes == [1, 2])
        #expect(try GradCAM.compute(activation: a, outputSize: [1, 1, 2], excluding: [1], logits: logits).classes == [0, 2])
        #expect(try GradCAM.compute(activation: a, outputSize: [1, 1, 2], excluding: [1, 2], logits: logits).classes == [0, 0])
        #expect(try GradCAM.compute(activation: a, outputSize: [1, 1, 2], targetClass: 1, excluding: [1], logits: logits).classes == [1, 1])
        let error = try #require(throws: VisualizeError.self) {
            try GradCAM.compute(activation: a, outputSize: [1, 1, 2], excluding: [0, 1, 2], logits: logits)
        }
        #expect(error.description.contains("every one of the 3 classes is excluded"))
    }

    /// With global average pooling and a linear head, Grad-CAM at the last stage is CAM (Selvaraju
    /// et al. §3.1): α_c = W[k, c] / (T'·H'·W'), computed here from the head's weights, no autograd.
    @Test(arguments: [ModelName.r3d18Tiny, .r2plus1d10Tiny, .mc3_18Tiny])
    func lastStageIsTheClassActivationMap(_ name: ModelName) throws {
        let model = try tinyBackbone(name)
        let result = try GradCAM.compute(model, clip: clip)
        let (a, logits) = withNoGrad { (model.featureMap(clip, mode: .eval), model(clip, mode: .eval)) }
        let predicted = logits.argmax(dim: 1).array(of: Int64.self).map { Int($0) }
        #expect(result.classes == predicted)
        expectClose(result.logits, logits, rtol: 1e-12, atol: 1e-14)
        let positions = Double(a.size(2) * a.size(3) * a.size(4))
        let w = model.head.weight.detached().indexSelected(dim: 0, index: Tensor(predicted.map(Int64.init))) / positions
        expectClose(result.weights, w, rtol: 1e-10, atol: 1e-14)
        let cam = (w.reshaped([2, -1, 1, 1, 1]) * a).sum(dims: [1]).relu()
        expectClose(result.coarse, cam, rtol: 1e-10, atol: 1e-14)

        // The same through the plain Backbone surface (featureMap, no stage-by-stage runs).
        let opaque = try GradCAM.compute(OpaqueBackbone(model), clip: clip, targetClass: 2)
        let direct = try GradCAM.compute(model, clip: clip, targetClass: 2)
        #expect(opaque.classes == [2, 2])
        expectClose(opaque.maps, direct.maps, rtol: 1e-12, atol: 1e-12)
    }

    /// At an inner stage the weights are checked against finite differences of the logit: adding h
    /// to every position of channel c changes y by h · Σ_positions ∂y/∂A_c = h · P · α_c.
    ///
    /// Freshly initialised BatchNorm (zero shift and mean) maps an all-zero receptive field to
    /// exactly 0, right on a ReLU kink, where autograd's one-sided derivative and a central
    /// difference disagree; random shifts and running means move every unit off its kink.
    @Test(arguments: [(ModelName.r3d18Tiny, 2), (.r2plus1d10Tiny, 3), (.r2d3d18Tiny, 1)])
    func innerStageWeightsMatchFiniteDifferences(_ name: ModelName, stage: Int) throws {
        let model = try #require(try tinyBackbone(name) as? any StagewiseBackbone)
        let generator = try Generator(seed: 11)
        for (key, tensor) in model.stateDict() where key.hasSuffix("bias") || key.hasSuffix("running_mean") {
            tensor.normalInPlace(std: 0.1, generator: generator)  // the state dict shares storage
        }
        let clip = clip.narrowed(dim: 0, start: 0, length: 1)
        let result = try GradCAM.compute(model, clip: clip, stage: stage, targetClass: 1)
        let count = model.stages.count
        let (a, fd) = withNoGrad { () -> (Tensor, [Double]) in
            let a = model.runStages(0..<(stage + 1), clip, mode: .eval)
            func logit(_ x: Tensor) -> Double {
                let map = model.runStages((stage + 1)..<count, x, mode: .eval)
                return model.head(map.adaptiveAvgPool3d(outputSize: 1).flattened(from: 1)).array(of: Double.self)[1]
            }
            let (channels, positions) = (a.size(1), Double(a.count / a.size(1)))
            let h = 1e-7  // small enough that no ReLU input crosses zero (1e-5 crossed one in r3d_18_tiny)
            let fd = (0..<channels).map { c -> Double in
                let bump = Tensor.zeros(a.shape, dtype: .float64)
                try! bump.checked.assign(h, at: 0, c)
                return (logit(a + bump) - logit(a - bump)) / (2 * h * positions)
            }
            return (a, fd)
        }
        let weights = Tensor(fd, shape: [1, fd.count])
        expectClose(result.weights, weights, rtol: 1e-6, atol: 1e-11, "α against finite differences")
        expectClose(result.coarse, (weights.reshaped([1, -1, 1, 1, 1]) * a).sum(dims: [1]).relu(), rtol: 1e-6, atol: 1e-11)
    }

    @Test func mapsHaveTheClipShapeAndSpanZeroToOnePerClip() throws {
        let model = try tinyBackbone()
        for stage in 0..<model.stages.count {
            let result = try GradCAM.compute(model, clip: clip, stage: stage)
            #expect(result.maps.shape == [2, 8, 64, 64])
            for n in 0..<2 {
                let values = result.maps.selected(dim: 0, index: n).array(of: Double.self)
                #expect(values.min() == 0 && abs(values.max()! - 1) < 1e-12, "stage \(stage) clip \(n)")
            }
            let frames = try result.heatMaps(clip: 1)
            #expect(frames.count == 8 && frames.allSatisfy { $0.width == 64 && $0.height == 64 })
        }
    }

    /// A class with no positive evidence anywhere gives a zero map, not NaN.
    @Test func noPositiveEvidenceGivesAZeroMap() throws {
        let a = Tensor.ones([1, 2, 1, 2, 2], dtype: .float64)
        let result = try GradCAM.compute(activation: a, outputSize: [2, 4, 4]) { x in
            (-x).sum(dims: [1, 2, 3, 4]).reshaped([1, 1])
        }
        #expect(result.maps.array(of: Double.self) == [Double](repeating: 0, count: 32))
    }

    /// The pass leaves the model as it was: no parameter gradients, `requiresGrad` flags restored,
    /// BatchNorm statistics untouched (evaluation mode).
    @Test func leavesTheModelUntouched() throws {
        let model = try tinyBackbone(.r2plus1d10Tiny)
        model.stages[0].freeze()
        let before = model.stateDict().mapValues { $0.copied() }
        let flags = model.namedParameters().map(\.tensor.requiresGrad)
        _ = try GradCAM.compute(model, clip: clip, stage: 2)
        #expect(model.namedParameters().allSatisfy { $0.tensor.grad == nil })
        #expect(model.namedParameters().map(\.tensor.requiresGrad) == flags)
        #expect(flags.contains(false) && flags.contains(true))
        for (name, tensor) in model.stateDict() { expectClose(tensor, before[name]!, rtol: 0, atol: 0, "\(name)") }
    }

    @Test func badRequestsThrowClearErrors() throws {
        let model = try tinyBackbone()
        let errors: [VisualizeError] = [
            try #require(throws: VisualizeError.self) { try GradCAM.compute(model, clip: clip, stage: 5) },
            try #require(throws: VisualizeError.self) { try GradCAM.compute(model, clip: clip, stage: -1) },
            try #require(throws: VisualizeError.self) { try GradCAM.compute(model, clip: clip, targetClass: 3) },
            try #require(throws: VisualizeError.self) {
                try GradCAM.compute(model, clip: clip.selected(dim: 0, index: 0))
            },
            try #require(throws: VisualizeError.self) { try GradCAM.compute(OpaqueBackbone(model), clip: clip, stage: 2) },
        ]
        let messages = errors.map(\.description)
        #expect(messages[0].contains("stages 0...4"))
        #expect(messages[2].contains("classes 0..<3"))
        #expect(messages[3].contains("[N, 3, T, H, W]"))
        #expect(messages[4].contains("StagewiseBackbone"))
    }

    /// Running the stages in two pieces, split anywhere, is the feature map (every registered family).
    @Test(arguments: ModelName.allCases.filter { $0.rawValue.hasSuffix("_tiny") })
    func stagesInPiecesMakeTheFeatureMap(_ name: ModelName) throws {
        let model = try #require(try tinyBackbone(name, dtype: .float32) as? any StagewiseBackbone)
        let clip = Tensor.randn([1, 3, 4, 32, 32], generator: try Generator(seed: 3))
        withNoGrad {
            let whole = model.featureMap(clip, mode: .eval)
            for k in 0...model.stages.count {
                let a = model.runStages(0..<k, clip, mode: .eval)
                expectClose(model.runStages(k..<model.stages.count, a, mode: .eval), whole, rtol: 0, atol: 0, "split at \(k)")
            }
        }
    }
}
