import Foundation

/// How an object moves relative to where it starts, frame by frame: the class-defining part of a
/// clip (MotionClass.explanation lists the ranges). `progress[t] = t / (T − 1)` runs from 0 to 1 over
/// the clip, so the amounts do not depend on the clip length; distances are fractions of the frame
/// side S.
struct MotionPath {
    /// Offsets from the start position (px), rotation (degrees, clockwise) and scale per frame.
    var dx: [Double]
    var dy: [Double]
    var angle: [Double]
    var scale: [Double]

    /// The path of `motion` for an object starting at orientation `tilt`.
    static func draw<G: RandomNumberGenerator>(
        _ motion: MotionClass, frames: Int, size: Double, tilt: Double, using g: inout G
    ) -> MotionPath {
        let progress = (0..<frames).map { Double($0) / Double(frames - 1) }
        var path = MotionPath(
            dx: Array(repeating: 0, count: frames), dy: Array(repeating: 0, count: frames),
            angle: Array(repeating: tilt, count: frames), scale: Array(repeating: 1, count: frames))
        /// A straight line of `distance` at `degrees` (0 = right, 90 = down).
        func line(degrees: Double, distance: Double) {
            let (ux, uy) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
            path.dx = progress.map { distance * ux * $0 }
            path.dy = progress.map { distance * uy * $0 }
        }
        /// A slow drift of at most 0.06 S, so in-place motions do not stand perfectly still.
        func drift() { line(degrees: .random(in: 0..<360, using: &g), distance: .random(in: 0...0.06, using: &g) * size) }

        switch motion {
        case .moveRight, .moveDown, .moveLeft, .moveUp:
            let heading: [MotionClass: Double] = [.moveRight: 0, .moveDown: 90, .moveLeft: 180, .moveUp: 270]
            line(degrees: heading[motion]! + .random(in: -15...15, using: &g), distance: .random(in: 0.20...0.35, using: &g) * size)
        case .moveFast:
            line(degrees: .random(in: 0..<360, using: &g), distance: .random(in: 0.50...0.70, using: &g) * size)
        case .rotateClockwise, .rotateCounterclockwise:
            let turn = Double.random(in: 120...240, using: &g) * (motion == .rotateClockwise ? 1 : -1)
            path.angle = progress.map { tilt + turn * $0 }
            drift()
        case .approach, .recede:
            // Geometric growth centred on the base size, so the mean size matches the other classes'.
            let growth = log(Double.random(in: 1.6...2.0, using: &g)) * (motion == .approach ? 1 : -1)
            path.scale = progress.map { exp(growth * ($0 - 0.5)) }
            drift()
        case .swingSideways:
            let amplitude = Double.random(in: 0.12...0.20, using: &g) * size
            let periods = Double.random(in: 1...2, using: &g)
            let phase = Double.random(in: 0..<(2 * .pi), using: &g)
            drift()  // only its vertical part stays: the swing replaces dx
            path.dx = progress.map { amplitude * (sin(2 * .pi * periods * $0 + phase) - sin(phase)) }
        case .bounceOffWalls:
            // Drawn in screen space by the sampler (the walls are the frame's borders).
            break
        case .cameraPan:
            // The object stays where it is in the scene; the camera moves.
            break
        case .orbit, .stopAndGo, .oppositeDirections, .cameraZoom, .moveDuringPan, .flap:
            preconditionFailure("\(motion) is a version-2 class (ObjectPath draws it)")
        }
        return path
    }
}
