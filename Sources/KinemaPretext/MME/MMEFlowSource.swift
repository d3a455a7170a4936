import KinemaMotion
import KinemaVideo

/// The flow MME tracks points with: the estimator's, optionally with the camera's motion removed
/// (appendix A, iDT's warped flow), then encoded as ``MMETargetConfiguration/flowEncoding`` says.
/// Holds OpenCV state: one per thread.
final class MMEFlowSource {
    private let estimator: any OpticalFlow
    private let compensator: CameraMotionCompensator?
    private let encoding: MMETargetConfiguration.FlowEncoding
    private let bound: Float

    init(_ configuration: MMETargetConfiguration, estimator: any OpticalFlow) throws(MMETargetError) {
        self.estimator = estimator
        do {
            compensator = configuration.removeCameraMotion ? try CameraMotionCompensator(flow: estimator) : nil
        } catch { throw MMETargetError("camera-motion removal: \(error)") }
        encoding = configuration.flowEncoding
        bound = configuration.flowBound
    }

    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        let flow: FlowField
        if let compensator {
            flow = try compensator.compensatedFlow(from: first, to: second).flow
        } else {
            flow = try estimator.flow(from: first, to: second)
        }
        switch encoding {
        case .exact:
            return flow
        case .quantized:
            let codes = try flow.quantized(bound: bound)
            return try FlowField(quantizedX: codes.x, y: codes.y, bound: bound)
        case .codes:
            let codes = try flow.quantized(bound: bound)
            var vectors = [Float](repeating: 0, count: flow.width * flow.height * 2)
            for i in 0..<(flow.width * flow.height) {
                (vectors[2 * i], vectors[2 * i + 1]) = (Float(codes.x.pixels[i]), Float(codes.y.pixels[i]))
            }
            return FlowField(width: flow.width, height: flow.height, vectors: vectors)
        }
    }
}
