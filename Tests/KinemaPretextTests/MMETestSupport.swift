import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo

/// A flow "estimator" that returns a known motion: `motion` maps a flow-frame (crop) position to
/// where it goes in the next frame. The images only give the size.
final class KnownFlow: OpticalFlow {
    let motion: (Double, Double) -> (x: Double, y: Double)
    init(_ motion: @escaping (Double, Double) -> (x: Double, y: Double)) { self.motion = motion }

    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        FlowField(width: first.width, height: first.height, motion: motion)
    }
}

enum MMEFixtures {
    /// Frame t of a real photo moved by `t` applications of the homography `step` (then `origin`
    /// shifts the photo's region into view), `width × height`.
    static func frames(_ count: Int, photo: Image, step: [Double], origin: [Double], width: Int, height: Int) throws -> [Image] {
        var h = origin
        var out: [Image] = []
        for _ in 0..<count {
            out.append(try photo.warpedPerspective(by: h, width: width, height: height))
            h = KnownMotion.multiply(step, h)
        }
        return out
    }

    /// The paper's configuration with camera-motion removal off (the known motions move the camera).
    static func configuration(length: Int = 3, _ adjust: (inout MMETargetConfiguration) -> Void = { _ in }) -> MMETargetConfiguration {
        var c = MMETargetConfiguration()
        c.length = length
        c.removeCameraMotion = false
        adjust(&c)
        return c
    }

    /// The clip's crop + resize with no mirror.
    static func transform(x: Int, y: Int, side: Int, output: Int, flip: Bool = false) -> ClipTransform {
        ClipTransform(crop: CropBox(x: x, y: y, width: side, height: side), outputSize: output, flip: flip)
    }
}
