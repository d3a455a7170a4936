internal import CKinemaCV

/// Farnebäck flow (G. Farnebäck, "Two-Frame Motion Estimation Based on Polynomial Expansion",
/// SCIA 2003): each neighbourhood is approximated by a quadratic polynomial and the displacement
/// solved from the change of coefficients, coarse to fine. OpenCV's `cv::FarnebackOpticalFlow`;
/// the defaults are its `create()` defaults, which dense_flow's (MME's) GPU Farnebäck also uses.
public final class FarnebackFlow: OpticalFlow {
    public struct Parameters: Sendable, Equatable, Codable {
        /// Pyramid levels (1 = no pyramid).
        public var levels = 5
        /// Scale between pyramid levels (0.5 = halve each level).
        public var pyramidScale = 0.5
        /// Faster, slightly less accurate pyramid building.
        public var fastPyramids = false
        /// Averaging window: larger is more robust to noise, blurrier at motion edges.
        public var windowSize = 13
        /// Iterations per pyramid level.
        public var iterations = 10
        /// Neighbourhood for the polynomial expansion: 5 (with σ ≈ 1.1) or 7 (σ ≈ 1.5).
        public var polyN = 5
        /// Gaussian σ weighting the polynomial fit.
        public var polySigma = 1.1
        /// A Gaussian instead of a box averaging window (slower, more accurate).
        public var gaussianWindow = false

        public init() {}
    }

    public let parameters: Parameters
    private let engine: FlowEngine

    public init(_ parameters: Parameters = Parameters()) throws(MotionError) {
        let p = parameters
        var c = kcv_farneback_params(
            levels: Int32(p.levels), pyramid_scale: p.pyramidScale, fast_pyramids: p.fastPyramids,
            window_size: Int32(p.windowSize), iterations: Int32(p.iterations), poly_n: Int32(p.polyN),
            poly_sigma: p.polySigma, gaussian_window: p.gaussianWindow)
        self.parameters = parameters
        engine = try FlowEngine("Farnebäck flow") { kcv_flow_create_farneback(&c, $0) }
    }

    public func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        try engine.flow(from: first, to: second)
    }
}
