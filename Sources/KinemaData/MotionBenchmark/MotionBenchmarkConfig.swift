/// The knobs of a motion benchmark. The same configuration and assets give the same clips, pixel
/// for pixel, whatever the number of threads.
public struct MotionBenchmarkConfig: Sendable, Equatable, Codable {
    /// UCF101 has 25 groups per class; split 1 tests on groups 1–7 and trains on 8–25.
    public static let groups = 25
    public static let testGroups = 1...7
    /// The benchmark versions `kinema make-dataset` can make. Version 1 is the benchmark of Kinema
    /// 0.3.0, kept reproducible clip for clip; version 2 (the default) fixes its leaks
    /// (MotionBenchmarkSampler+Version2.swift, MotionBenchmarkRenderer+Version2.swift) and adds six classes.
    public static let versions = 1...2
    public static let latestVersion = versions.upperBound

    /// Which benchmark version the clips follow (see ``versions``).
    public var version: Int

    public var kind: MotionBenchmarkKind
    /// Clips of every class, spread evenly over the 25 groups (so about 7/25 of them are test clips).
    public var clipsPerClass: Int
    /// Frames per clip (T).
    public var frames: Int
    /// Frame side S in pixels (frames are S × S).
    public var size: Int
    public var seed: UInt64
    /// Frame rate written in the video files.
    public var fps: Double
    /// Chance that a clip of an object-motion class gets a camera distractor: a slow pan of at most
    /// 0.06 S plus per-frame shake of at most ±0.01 S (photos only: over black it would be invisible).
    public var cameraShakeProbability: Double
    /// Chance that a clip shows an object that stays still in the scene (it moves only with the
    /// camera), so "something moves" never identifies the class. Version 2 adds it to the actor and
    /// the partner every clip has.
    public var companionProbability: Double

    public init(
        kind: MotionBenchmarkKind = .photos, clipsPerClass: Int = 30, frames: Int = 16, size: Int? = nil, seed: UInt64 = 0,
        fps: Double = 25, cameraShakeProbability: Double = 0.5, companionProbability: Double = 0.5,
        version: Int = MotionBenchmarkConfig.latestVersion
    ) {
        self.version = version
        self.kind = kind
        self.clipsPerClass = clipsPerClass
        self.frames = frames
        self.size = size ?? kind.defaultSize
        self.seed = seed
        self.fps = fps
        self.cameraShakeProbability = cameraShakeProbability
        self.companionProbability = companionProbability
    }

    /// The classes, in label order.
    public var classes: [MotionClass] { kind.classes(version: version) }

    /// Throws when a knob cannot work, saying which and why.
    public func validate() throws(MotionBenchmarkError) {
        guard Self.versions.contains(version) else {
            throw MotionBenchmarkError("the benchmark version must be within \(Self.versions.lowerBound)…\(Self.versions.upperBound), got \(version)")
        }
        guard clipsPerClass >= 1 else { throw MotionBenchmarkError("clips per class must be at least 1, got \(clipsPerClass)") }
        guard frames >= 2 else { throw MotionBenchmarkError("a clip needs at least 2 frames to show motion, got \(frames)") }
        guard size >= 16, size <= 1024, size % 2 == 0 else {
            throw MotionBenchmarkError("the frame size must be even and within 16…1024 (video encoders need even sizes), got \(size)")
        }
        guard fps > 0, fps.isFinite else { throw MotionBenchmarkError("fps must be positive, got \(fps)") }
        for (name, p) in [("camera shake", cameraShakeProbability), ("companion", companionProbability)] {
            guard (0...1).contains(p) else { throw MotionBenchmarkError("the \(name) probability must be within 0…1, got \(p)") }
        }
    }
}
