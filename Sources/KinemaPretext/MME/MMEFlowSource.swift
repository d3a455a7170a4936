import Foundation
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
    private let times: MMEStageTimes?

    init(_ configuration: MMETargetConfiguration, estimator: any OpticalFlow, times: MMEStageTimes? = nil) throws(MMETargetError) {
        // With a sink, the estimator's own calls are timed so that camera removal is what remains.
        let estimator = times.map { TimedFlow(estimator, times: $0) as any OpticalFlow } ?? estimator
        self.estimator = estimator
        do {
            compensator = configuration.removeCameraMotion ? try CameraMotionCompensator(flow: estimator) : nil
        } catch { throw MMETargetError("camera-motion removal: \(error)") }
        (encoding, bound, self.times) = (configuration.flowEncoding, configuration.flowBound, times)
    }

    /// The flow from `first` to `second`, the camera's motion removed when configured, encoded.
    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        try encoded(try unencoded(from: first, to: second))
    }

    /// The flow before encoding: what ``MMEFlowCache`` stores for whole frames.
    func unencoded(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        guard let compensator else { return try estimator.flow(from: first, to: second) }
        guard let times, let timed = estimator as? TimedFlow else { return try compensator.compensatedFlow(from: first, to: second).flow }
        timed.calls = []
        let total = try times.add(\.camera) { () throws(MotionError) in try compensator.compensatedFlow(from: first, to: second).flow }
        // The first estimator call is the plain flow; the rest (homography, warp, the second flow)
        // is what removing the camera's motion costs.
        let plain = timed.calls.first ?? 0
        times.flow -= timed.calls.reduce(0, +) - plain
        times.camera -= plain
        return total
    }

    /// `flow` as the tracker receives it.
    func encoded(_ flow: FlowField) throws(MotionError) -> FlowField {
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

/// An estimator whose calls add their time to ``MMEStageTimes/flow`` and are listed in `calls`.
private final class TimedFlow: OpticalFlow {
    private let estimator: any OpticalFlow
    private let times: MMEStageTimes
    var calls: [Double] = []

    init(_ estimator: any OpticalFlow, times: MMEStageTimes) { (self.estimator, self.times) = (estimator, times) }

    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        let before = times.flow
        defer { calls.append(times.flow - before) }
        return try times.add(\.flow) { () throws(MotionError) in try estimator.flow(from: first, to: second) }
    }
}
