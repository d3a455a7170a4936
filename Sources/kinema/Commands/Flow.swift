import ArgumentParser
import Foundation
import KinemaMotion

/// `kinema flow`: dense optical flow of every consecutive frame pair of a video.
struct Flow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute dense optical flow for a video and write it with a colour-wheel preview.",
        discussion: """
            Formats: f16 writes flow.safetensors (F16 [pairs, height, width, 2], u then v; lossless \
            at half precision); flo writes one Middlebury flow_NNNNN.flo per pair (float32); jpg/png \
            write flow_x_NNNNN and flow_y_NNNNN images in the 8-bit encoding of dense_flow, mmaction \
            and I3D: code = round(255 · (clamp(f, −bound, bound) + bound) / (2 · bound)). The preview \
            shows each frame beside its flow in the Middlebury colour wheel (white = still, hue = \
            direction, saturation = speed up to --preview-max px). With --remove-camera-motion the \
            per-pair homographies go to camera.jsonl.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case f16, flo, jpg, png }

    @OptionGroup var motion: MotionOptions

    @Option(help: "Output format: f16, flo, jpg or png.")
    var format = Format.f16

    @Option(help: "Clipping bound (px) of the 8-bit jpg/png encoding.")
    var bound: Float = FlowField.defaultBound

    @Option(help: "Flow magnitude (px) shown at full saturation in the preview.")
    var previewMax: Float = 10

    func validate() throws {
        guard bound > 0, previewMax > 0 else { throw ValidationError("--bound and --preview-max must be positive") }
    }

    func run() throws {
        var halfFloat: [FlowField] = []
        try FileManager.default.createDirectory(at: motion.outputURL, withIntermediateDirectories: true)
        let cameraLog = motion.removeCameraMotion ? try CameraLog(motion.outputURL.appendingPathComponent("camera.jsonl")) : nil
        let (metadata, pairs) = try motion.forEachPair(previewSize: { ($0 * 2, $1) }) { pair, preview in
            let name = String(format: "%05d", pair.index + 1)
            switch format {
            case .f16: halfFloat.append(pair.flow)
            case .flo: try pair.flow.writeMiddlebury(to: motion.outputURL.appendingPathComponent("flow_\(name).flo"))
            case .jpg, .png:
                let (x, y) = try pair.flow.quantized(bound: bound)
                try x.write(to: motion.outputURL.appendingPathComponent("flow_x_\(name).\(format.rawValue)"))
                try y.write(to: motion.outputURL.appendingPathComponent("flow_y_\(name).\(format.rawValue)"))
            }
            if let camera = pair.camera { try cameraLog?.append(pair: pair.index, camera) }
            try preview?.write(sideBySide(pair.first, pair.flow.colorized(maxMagnitude: previewMax)))
        }
        if format == .f16, !halfFloat.isEmpty {
            try FlowField.writeFloat16(halfFloat, to: motion.outputURL.appendingPathComponent("flow.safetensors"), metadata: [
                "video": motion.video, "method": motion.method, "camera_motion_removed": "\(motion.removeCameraMotion)",
            ])
        }
        print("\(pairs) flow fields (\(motion.method), \(metadata.width)x\(metadata.height) source) → \(motion.output)")
    }
}
