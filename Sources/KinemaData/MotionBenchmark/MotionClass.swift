// The classes of the motion benchmark (`kinema make-dataset`). A class is a motion pattern and
// nothing else: every class draws its objects, backgrounds, sizes and placements from the same
// pools in the same way (MotionBenchmarkSampler), so appearance cannot tell classes apart; only
// how things move can. Amounts are fractions of the frame side S over the whole clip, so a class
// means the same at every resolution and clip length.

/// One motion pattern of the benchmark; the raw value is the UCF101-style class name.
public enum MotionClass: String, CaseIterable, Sendable, Codable {
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

    /// What the class shows, for --help, README.txt and manifest.json.
    public var explanation: String {
        switch self {
        case .moveLeft, .moveRight, .moveUp, .moveDown:
            "the object slides \(rawValue.dropFirst(4).lowercased()) (±15°) by 0.20–0.35 S; the background stays"
        case .moveFast: "the object slides in any direction by 0.50–0.70 S (speed, not direction, is the class)"
        case .rotateClockwise: "the object turns clockwise by 120–240° in place (drift ≤ 0.06 S)"
        case .rotateCounterclockwise: "the object turns counter-clockwise by 120–240° in place (drift ≤ 0.06 S)"
        case .approach: "the object grows 1.6–2.0× as if coming closer (drift ≤ 0.06 S)"
        case .recede: "the object shrinks 1.6–2.0× as if going away (drift ≤ 0.06 S)"
        case .swingSideways: "the object swings left and right, 1–2 periods of amplitude 0.12–0.20 S"
        case .bounceOffWalls: "the object travels diagonally 0.60–0.90 S and bounces off the frame border at least once"
        case .cameraPan: "the camera pans 0.25–0.40 S in any direction: background and objects move together"
        }
    }

    /// Global motion (the whole scene moves with the camera) rather than an object moving in a still
    /// scene.
    public var isGlobal: Bool { self == .cameraPan }
}

/// Which images the benchmark is made of.
public enum MotionBenchmarkKind: String, CaseIterable, Sendable, Codable {
    /// Photo cut-outs with alpha mattes (animals, fruit, flowers) over photo backgrounds.
    case photos
    /// Fashion-MNIST garments over black, Moving-MNIST style.
    case fashionMNIST = "fashion-mnist"

    /// The classes, in label order. A camera pan over a black background shows only the object
    /// moving, the same as a translation, so the Fashion-MNIST benchmark leaves it out.
    public var classes: [MotionClass] {
        switch self {
        case .photos: MotionClass.allCases
        case .fashionMNIST: MotionClass.allCases.filter { !$0.isGlobal }
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
