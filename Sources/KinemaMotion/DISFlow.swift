internal import CKinemaCV

/// DIS optical flow (Kroeger, Timofte, Dai, Van Gool, "Fast Optical Flow using Dense Inverse
/// Search", ECCV 2016): coarse-to-fine inverse-compositional patch search, densified by weighted
/// patch averaging, then variational refinement. OpenCV's `cv::DISOpticalFlow`.
///
/// The three presets (OpenCV 4.6 values):
///
/// | preset    | finest scale | patch | stride | gradient-descent iters | variational iters |
/// |-----------|--------------|-------|--------|------------------------|-------------------|
/// | ultrafast | 2            | 8     | 4      | 12                     | 0                 |
/// | fast      | 2            | 8     | 4      | 16                     | 5                 |
/// | medium    | 1            | 12    | 3      | 25                     | 5                 |
///
/// All presets: variational refinement α = 20, γ = 10, δ = 5, mean normalisation and spatial
/// propagation on. A finest scale of s means the flow is estimated at 1/2^s resolution and upsampled.
public final class DISFlow: OpticalFlow {
    public enum Preset: String, Sendable, Codable, CaseIterable {
        case ultrafast, fast, medium
    }

    /// A preset plus optional overrides (nil keeps the preset's value).
    public struct Parameters: Sendable, Equatable, Codable {
        public var preset: Preset
        public var finestScale: Int?
        public var patchSize: Int?
        public var patchStride: Int?
        public var gradientDescentIterations: Int?
        public var variationalIterations: Int?
        /// Variational refinement weights: smoothness α, colour constancy δ, gradient constancy γ.
        public var alpha: Float?
        public var delta: Float?
        public var gamma: Float?

        public init(
            preset: Preset = .medium, finestScale: Int? = nil, patchSize: Int? = nil, patchStride: Int? = nil,
            gradientDescentIterations: Int? = nil, variationalIterations: Int? = nil,
            alpha: Float? = nil, delta: Float? = nil, gamma: Float? = nil
        ) {
            (self.preset, self.finestScale, self.patchSize, self.patchStride) = (preset, finestScale, patchSize, patchStride)
            (self.gradientDescentIterations, self.variationalIterations) = (gradientDescentIterations, variationalIterations)
            (self.alpha, self.delta, self.gamma) = (alpha, delta, gamma)
        }
    }

    public let parameters: Parameters
    private let engine: FlowEngine

    public convenience init(preset: Preset = .medium) throws(MotionError) {
        try self.init(Parameters(preset: preset))
    }

    public init(_ parameters: Parameters) throws(MotionError) {
        let p = parameters
        let values = [p.finestScale, p.patchSize, p.patchStride, p.gradientDescentIterations, p.variationalIterations]
        guard values.allSatisfy({ ($0 ?? 0) >= 0 }), [p.alpha, p.delta, p.gamma].allSatisfy({ ($0 ?? 0) >= 0 }),
            (p.patchSize ?? 1) >= 1
        else { throw MotionError("DIS flow", .invalidParameter("DIS parameters must not be negative (patch size >= 1)")) }
        var c = kcv_dis_params()
        c.preset = Int32(Preset.allCases.firstIndex(of: p.preset)!)
        c.finest_scale = Int32(p.finestScale ?? -1)
        c.patch_size = Int32(p.patchSize ?? -1)
        c.patch_stride = Int32(p.patchStride ?? -1)
        c.gradient_descent_iterations = Int32(p.gradientDescentIterations ?? -1)
        c.variational_iterations = Int32(p.variationalIterations ?? -1)
        c.alpha = p.alpha ?? -1
        c.delta = p.delta ?? -1
        c.gamma = p.gamma ?? -1
        c.use_mean_normalization = -1
        c.use_spatial_propagation = -1
        self.parameters = parameters
        engine = try FlowEngine("DIS flow (\(p.preset))") { kcv_flow_create_dis(&c, $0) }
    }

    public func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        try engine.flow(from: first, to: second)
    }
}
