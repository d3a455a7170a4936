/// Everything random about one MoSI clip: with a source image, ``MoSIRenderer`` turns it into the
/// clip deterministically.
///
/// Coordinates: the source is resized to `resizedWidth × resizedHeight` (short side Ls), an
/// Ls × Ls square is cut at (`squareX`, `squareY`), and inside that square the L × L window
/// travels from (`startX`, `startY`) by (`distanceX`, `distanceY`) pixels over the clip.
public struct MoSISample: Sendable, Equatable {
    /// The class the network must predict.
    public let label: Int
    /// The motion the window makes (before any flip).
    public let speed: MoSISpeed
    /// N and L.
    public let frameCount: Int
    public let cropSize: Int
    /// Ls: the side of the square the window travels in.
    public let standardSize: Int
    /// The source's size after the short side is scaled to Ls (all samples of one source share it).
    public let resizedWidth: Int
    public let resizedHeight: Int
    /// Top-left corner of the Ls × Ls square in the resized source.
    public let squareX: Int
    public let squareY: Int
    /// Top-left corner of the window in the first frame, inside the square.
    public let startX: Int
    public let startY: Int
    /// Eq. 2 distances (after distance jitter); the path ends at start + distance.
    public let distanceX: Double
    public let distanceY: Double
    /// Colour operations in the order they apply, each with one factor per frame.
    public let color: [MoSIColorStep]
    /// Whether the clip is mirrored left–right after the colour jitter.
    public let flipped: Bool
    /// The static mask (Eq. 3), nil for global motion.
    public let mask: MoSIMask?

    public init(
        label: Int, speed: MoSISpeed, frameCount: Int, cropSize: Int, standardSize: Int, resizedWidth: Int,
        resizedHeight: Int, squareX: Int, squareY: Int, startX: Int, startY: Int, distanceX: Double, distanceY: Double,
        color: [MoSIColorStep] = [], flipped: Bool = false, mask: MoSIMask? = nil
    ) {
        self.label = label
        self.speed = speed
        self.frameCount = frameCount
        self.cropSize = cropSize
        self.standardSize = standardSize
        self.resizedWidth = resizedWidth
        self.resizedHeight = resizedHeight
        self.squareX = squareX
        self.squareY = squareY
        self.startX = startX
        self.startY = startY
        self.distanceX = distanceX
        self.distanceY = distanceY
        self.color = color
        self.flipped = flipped
        self.mask = mask
    }

    /// Throws unless every window, the square and the mask lie inside their images and every
    /// colour step has one factor per frame (a sample made by hand can be anything).
    public func validate() throws(MoSIError) {
        func fail(_ why: String) -> MoSIError { MoSIError("invalid sample (label \(label)): \(why)") }
        guard frameCount >= 1, cropSize >= 1, standardSize >= cropSize else {
            throw fail("N \(frameCount), L \(cropSize), Ls \(standardSize) need N ≥ 1 and 1 ≤ L ≤ Ls")
        }
        guard squareX >= 0, squareY >= 0, squareX + standardSize <= resizedWidth, squareY + standardSize <= resizedHeight else {
            throw fail("the \(standardSize)² square at (\(squareX), \(squareY)) is outside the \(resizedWidth)x\(resizedHeight) image")
        }
        guard distanceX.isFinite, distanceY.isFinite else { throw fail("distances must be finite") }
        if let m = mask {
            guard m.x >= 0, m.y >= 0, m.width >= 0, m.height >= 0, m.x + m.width <= cropSize, m.y + m.height <= cropSize,
                (0..<frameCount).contains(m.backgroundFrame)
            else { throw fail("mask \(m) is outside the \(cropSize)² frames or its background frame is not one of \(frameCount)") }
        }
        for step in color {
            switch step {
            case .brightness(let f), .contrast(let f), .saturation(let f), .hue(let f):
                guard f.count == frameCount else { throw fail("a colour step has \(f.count) factors for \(frameCount) frames") }
            case .grayscale: break
            }
        }
    }

    /// The axis the window travels on (both axes are the square's side).
    public var axis: MoSIAxis { MoSIAxis(side: standardSize, crop: cropSize) }

    /// The window's top-left corner in every frame, in square coordinates.
    public var windowOffsets: [(x: Int, y: Int)] {
        let xs = axis.offsets(start: startX, distance: distanceX, frames: frameCount)
        let ys = axis.offsets(start: startY, distance: distanceY, frames: frameCount)
        return Array(zip(xs, ys)).map { (x: $0.0, y: $0.1) }
    }
}

/// A static mask (MoSI Eq. 3): outside the `width × height` box at (`x`, `y`) every frame shows
/// frame `backgroundFrame`; inside it the motion stays.
public struct MoSIMask: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let width: Int
    public let height: Int
    public let backgroundFrame: Int

    public init(x: Int, y: Int, width: Int, height: Int, backgroundFrame: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.backgroundFrame = backgroundFrame
    }
}

/// The C_T samples of one source image, one per label in label order (the same-batch layout: all
/// motions of one image train together).
public struct MoSIGroup: Sendable, Equatable {
    public let samples: [MoSISample]

    public init(samples: [MoSISample]) {
        precondition(!samples.isEmpty, "a group holds one sample per label")
        self.samples = samples
    }

    public var labels: [Int] { samples.map(\.label) }
}
