import Foundation

/// How one object of a version-2 clip moves in the scene, frame by frame, relative to an anchor the
/// sampler places later: offsets (px), rotation (degrees, clockwise), scale, and the angle of its
/// upper half about its hinge (degrees, clockwise). Everything that is not the class's motion —
/// orientation, the fixed bend at the hinge, a slow drift of in-place motions — is drawn the same
/// way for every class; amounts are fractions of the frame side S over the clip
/// (MotionClass.explanation lists them).
struct ObjectPath {
    var dx: [Double]
    var dy: [Double]
    var angle: [Double]
    var scale: [Double]
    var hinge: [Double]

    /// An object that stays where it is: a uniform orientation and a fixed bend A·sin θ (A 25–45°,
    /// θ uniform), distributed as Flap's moving bend at a random time.
    static func still<G: RandomNumberGenerator>(progress: [Double], size: Double, using g: inout G) -> ObjectPath {
        let tilt = Double.random(in: 0..<360, using: &g)
        let bend = flapAmplitude(using: &g) * sin(.random(in: 0..<(2 * .pi), using: &g))
        let n = progress.count
        return ObjectPath(
            dx: Array(repeating: 0, count: n), dy: Array(repeating: 0, count: n), angle: Array(repeating: tilt, count: n),
            scale: Array(repeating: 1, count: n), hinge: Array(repeating: bend, count: n))
    }

    private static func flapAmplitude<G: RandomNumberGenerator>(using g: inout G) -> Double { .random(in: 25...45, using: &g) }

    /// The path of the actor of `motion` (the partner of OppositeDirections is ``opposite()``).
    static func draw<G: RandomNumberGenerator>(_ motion: MotionClass, progress: [Double], size: Double, using g: inout G) -> ObjectPath {
        var path = still(progress: progress, size: size, using: &g)
        /// Offsets along `degrees` (0 = right, 90 = down) of `distance` × `fraction(p)`.
        func line(degrees: Double, distance: ClosedRange<Double>, fraction: (Double) -> Double = { $0 }) {
            let (ux, uy) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
            let d = Double.random(in: distance, using: &g) * size
            path.dx = progress.map { d * ux * fraction($0) }
            path.dy = progress.map { d * uy * fraction($0) }
        }
        func anyHeading() -> Double { .random(in: 0..<360, using: &g) }
        /// A slow drift of at most 0.06 S, so in-place motions do not stand perfectly still.
        func drift() { line(degrees: anyHeading(), distance: 0...0.06) }

        switch motion {
        case .moveRight, .moveDown, .moveLeft, .moveUp:
            let heading: [MotionClass: Double] = [.moveRight: 0, .moveDown: 90, .moveLeft: 180, .moveUp: 270]
            line(degrees: heading[motion]! + .random(in: -15...15, using: &g), distance: 0.12...0.22)
        case .moveFast:
            line(degrees: anyHeading(), distance: 0.44...0.60)
        case .oppositeDirections, .moveDuringPan:
            line(degrees: anyHeading(), distance: 0.12...0.22)
        case .rotateClockwise, .rotateCounterclockwise:
            let turn = Double.random(in: 120...240, using: &g) * (motion == .rotateClockwise ? 1 : -1)
            path.angle = progress.map { path.angle[0] + turn * $0 }
            drift()
        case .approach, .recede:
            // Geometric growth centred on the base size, so the reversed clip of one is the other.
            let growth = log(Double.random(in: 1.6...2.0, using: &g)) * (motion == .approach ? 1 : -1)
            path.scale = progress.map { exp(growth * ($0 - 0.5)) }
            drift()
        case .swingSideways:
            let amplitude = Double.random(in: 0.12...0.20, using: &g) * size
            let periods = Double.random(in: 1...2, using: &g)
            let phase = Double.random(in: 0..<(2 * .pi), using: &g)
            drift()  // only its vertical part stays: the swing replaces dx
            path.dx = progress.map { amplitude * sin(2 * .pi * periods * $0 + phase) }
        case .orbit:
            let radius = Double.random(in: 0.08...0.14, using: &g) * size
            let turns = Double.random(in: 1...1.5, using: &g) * (Bool.random(using: &g) ? 1 : -1)
            let phase = Double.random(in: 0..<(2 * .pi), using: &g)
            path.dx = progress.map { radius * cos(phase + 2 * .pi * turns * $0) }
            path.dy = progress.map { radius * sin(phase + 2 * .pi * turns * $0) }
        case .stopAndGo:
            // Constant speed while moving; the stop [a, b] is symmetric in distribution under p ↦ 1 − p.
            let (a, b) = (Double.random(in: 0.25...0.35, using: &g), Double.random(in: 0.65...0.75, using: &g))
            line(degrees: anyHeading(), distance: 0.20...0.30) { (min($0, a) + max(0, $0 - b)) / (a + 1 - b) }
        case .flap:
            let amplitude = flapAmplitude(using: &g)
            let periods = Double.random(in: 1...2, using: &g)
            let phase = Double.random(in: 0..<(2 * .pi), using: &g)
            path.hinge = progress.map { amplitude * sin(2 * .pi * periods * $0 + phase) }
            drift()
        case .bounceOffWalls, .cameraPan, .cameraZoom:
            // Bounces are drawn in screen space by the sampler; the camera classes move the camera.
            break
        }
        return path
    }

    /// This path's motion, mirrored through its start (the partner of OppositeDirections), with
    /// the orientation and bend of a new still object.
    func opposite<G: RandomNumberGenerator>(progress: [Double], size: Double, using g: inout G) -> ObjectPath {
        var other = ObjectPath.still(progress: progress, size: size, using: &g)
        (other.dx, other.dy) = (dx.map { -$0 }, dy.map { -$0 })
        return other
    }
}
