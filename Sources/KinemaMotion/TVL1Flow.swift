internal import CKinemaCV

/// Dual TV-L1 flow (Zach, Pock, Bischof, DAGM 2007; Sánchez, Meinhardt-Llopis, Facciolo, IPOL
/// 2013): total-variation regularised L1 data term solved by a primal-dual scheme, coarse to fine.
/// OpenCV contrib's CPU `cv::optflow::DualTVL1OpticalFlow` (the GPU TV-L1 of dense_flow/I3D is not in
/// Debian's build); the defaults are its `create()` defaults. About 30–40× slower than DIS-medium.
public final class TVL1Flow: OpticalFlow {
    public struct Parameters: Sendable, Equatable, Codable {
        /// Time step of the numerical scheme.
        public var tau = 0.25
        /// Weight of the data term: smaller gives smoother flow.
        public var lambda = 0.15
        /// Tightness between the two coupled variables.
        public var theta = 0.3
        /// Pyramid levels.
        public var scales = 5
        /// Warpings per level.
        public var warps = 5
        /// Stopping threshold.
        public var epsilon = 0.01
        public var innerIterations = 30
        public var outerIterations = 10
        /// Scale between pyramid levels.
        public var scaleStep = 0.8
        /// Weight of the illumination-variation term (0 = off).
        public var gamma = 0.0
        /// Median filter size applied to the flow between warps (0 = off).
        public var medianFiltering = 5

        public init() {}
    }

    public let parameters: Parameters
    private let engine: FlowEngine

    public init(_ parameters: Parameters = Parameters()) throws(MotionError) {
        let p = parameters
        var c = kcv_tvl1_params(
            tau: p.tau, lambda: p.lambda, theta: p.theta, epsilon: p.epsilon, scale_step: p.scaleStep, gamma: p.gamma,
            scales: Int32(p.scales), warps: Int32(p.warps), inner_iterations: Int32(p.innerIterations),
            outer_iterations: Int32(p.outerIterations), median_filtering: Int32(p.medianFiltering))
        self.parameters = parameters
        engine = try FlowEngine("TV-L1 flow") { kcv_flow_create_tvl1(&c, $0) }
    }

    public func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        try engine.flow(from: first, to: second)
    }
}
