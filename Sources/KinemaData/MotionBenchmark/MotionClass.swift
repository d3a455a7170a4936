// The classes of the motion benchmark (`kinema make-dataset`). A class is a motion pattern and
// nothing else: every class draws its objects, backgrounds, sizes and placements from the same
// pools in the same way (MotionBenchmarkSampler), so appearance cannot tell classes apart; only
// how things move can. Amounts are fractions of the frame side S over the whole clip, so a class
// means the same at every resolution and clip length.

/// One motion pattern of the benchmark; the raw value is the UCF101-style class name.
public enum MotionClass: String, CaseIterable, Sendable, Codable {
    // Version 1 (in its label order; version 2 keeps these first).
    case moveLeft = "MoveLeft"
    case moveRight = "MoveRight"
    case moveUp = "MoveUp"
    case moveDown = "MoveDown"
    case moveFast = "MoveFast"
    case rotateClockwise = "RotateClockwise"
    case rotateCounterclockwise = "RotateCounterclockwise"
    case approach = "Approach"
    case recede = "Recede"
    case swingSideways = "SwingSideways"
    case bounceOffWalls = "BounceOffWalls"
    case cameraPan = "CameraPan"
    // New in version 2.
    case orbit = "Orbit"
    case stopAndGo = "StopAndGo"
    case oppositeDirections = "OppositeDirections"
    case cameraZoom = "CameraZoom"
    case moveDuringPan = "MoveDuringPan"
    case flap = "Flap"

    /// The classes of benchmark `version` (1 or 2), in label order, before the kind leaves any out.
    public static func classes(version: Int) -> [MotionClass] {
        version == 1 ? Array(allCases.prefix(12)) : allCases
    }

    /// The class whose clips, played backwards, are distributed exactly like this class's clips
    /// (version 2; nil when the reversed clip is a clip of the same class or of none).
    public var timeReversed: MotionClass? {
        switch self {
        case .moveLeft: .moveRight
        case .moveRight: .moveLeft
        case .moveUp: .moveDown
        case .moveDown: .moveUp
        case .rotateClockwise: .rotateCounterclockwise
        case .rotateCounterclockwise: .rotateClockwise
        case .approach: .recede
        case .recede: .approach
        default: nil
        }
    }

    /// The pairs of classes that differ only in the direction of time (each pair once): a
    /// classifier that ignores frame order is at chance on them.
    public static let timeReversalPairs: [(MotionClass, MotionClass)] =
        allCases.compactMap { motion in motion.timeReversed.flatMap { motion.rawValue < $0.rawValue ? (motion, $0) : nil } }

    /// What the class shows in the current version (2), for --help, README.txt and manifest.json.
    public var explanation: String { explanation(version: MotionBenchmarkConfig.latestVersion) }

    /// What the class shows in benchmark `version`.
    public func explanation(version: Int) -> String {
        let slide = version == 1 ? "0.20–0.35 S" : "0.12–0.22 S"
        switch self {
        case .moveLeft, .moveRight, .moveUp, .moveDown:
            return "the object slides \(rawValue.dropFirst(4).lowercased()) (±15°) by \(slide); the background stays"
        case .moveFast:
            return "the object slides in any direction by \(version == 1 ? "0.50–0.70" : "0.44–0.60") S (speed, not direction, is the class)"
        case .rotateClockwise: return "the object turns clockwise by 120–240° in place (drift ≤ 0.06 S)"
        case .rotateCounterclockwise: return "the object turns counter-clockwise by 120–240° in place (drift ≤ 0.06 S)"
        case .approach: return "the object grows 1.6–2.0× as if coming closer (drift ≤ 0.06 S); the background stays"
        case .recede: return "the object shrinks 1.6–2.0× as if going away (drift ≤ 0.06 S); the background stays"
        case .swingSideways: return "the object swings left and right, 1–2 periods of amplitude 0.12–0.20 S"
        case .bounceOffWalls:
            return version == 1
                ? "the object travels diagonally 0.60–0.90 S and bounces off the frame border at least once"
                : "the object travels diagonally 0.60–0.90 S and bounces at least once, where its centre comes within 0.2 S of the frame border"
        case .cameraPan: return "the camera pans 0.25–0.40 S in any direction: background and objects move together"
        case .orbit: return "the object circles (radius 0.08–0.14 S) 1–1.5 turns either way, keeping its orientation"
        case .stopAndGo:
            return "the object slides 0.20–0.30 S in any direction, stopping for the middle 30–50 % of the clip"
        case .oppositeDirections:
            return "two objects slide 0.12–0.22 S each in opposite directions (any axis)"
        case .cameraZoom:
            return "the camera zooms in or out 1.6–2.0× about the frame centre: background and objects grow or shrink together"
        case .moveDuringPan:
            return "the camera pans 0.25–0.40 S while the object slides 0.12–0.22 S in the scene, in independent directions"
        case .flap:
            return "the object's upper half swings about a hinge at its centre line (±25–45°, 1–2 periods); the lower half stays"
        }
    }

    /// Global motion (the whole scene moves with the camera) rather than an object moving in a still
    /// scene: the actor stays still in the scene.
    public var isGlobal: Bool { self == .cameraPan || self == .cameraZoom }

    /// The camera moves as part of the class: over black (Fashion-MNIST) it would not show.
    public var movesCamera: Bool { isGlobal || self == .moveDuringPan }

    /// Two objects move (the actor and its partner).
    public var movesTwoObjects: Bool { self == .oppositeDirections }
}

/// Which images the benchmark is made of.
public enum MotionBenchmarkKind: String, CaseIterable, Sendable, Codable {
    /// Photo cut-outs with alpha mattes (animals, fruit, flowers) over photo backgrounds.
    case photos
    /// Fashion-MNIST garments over black, Moving-MNIST style.
    case fashionMNIST = "fashion-mnist"

    /// The classes of benchmark `version`, in label order. Camera motion over a black background
    /// shows only the objects moving, so the Fashion-MNIST benchmark leaves out the classes that
    /// move the camera.
    public func classes(version: Int) -> [MotionClass] {
        switch self {
        case .photos: MotionClass.classes(version: version)
        case .fashionMNIST: MotionClass.classes(version: version).filter { !$0.movesCamera }
        }
    }

    /// Frame side used when none is given: 112 (the MoSI fine-tuning input) for photos, 64 (Moving
    /// MNIST) for garments.
    public var defaultSize: Int { self == .photos ? 112 : 64 }

    /// The object's longest side as a fraction of the frame side, in every frame of every class
    /// (28 px garments on 64 px frames in Moving MNIST give 0.44). The range spans a factor of 2,
    /// so a growing or shrinking object stays inside it too and its size alone never tells
    /// Approach or Recede from the other classes.
    var objectSize: ClosedRange<Double> { self == .photos ? 0.22...0.44 : 0.30...0.60 }
}
