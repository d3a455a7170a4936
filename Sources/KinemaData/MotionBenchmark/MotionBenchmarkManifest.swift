import Foundation

/// manifest.json: the settings, the classes, which assets each split used, and every clip's exact
/// parameters (per-frame poses and camera offsets: ground-truth motion).
public struct MotionBenchmarkManifest: Sendable, Codable {
    public struct ClassEntry: Sendable, Codable {
        /// The classInd.txt id (from 1).
        public let id: Int
        public let name: String
        public let explanation: String
        public let global: Bool
    }

    public struct PoolEntry: Sendable, Codable {
        /// Sprite names, or nil when there are too many to list (Fashion-MNIST's 60 000).
        public let sprites: [String]?
        public let spriteCount: Int
        public let backgrounds: [String]
    }

    public struct ClipEntry: Sendable, Codable {
        /// Relative to the video folder, as in the split files.
        public let path: String
        public let sprite: String
        public let companionSprite: String?
        /// Version 2's partner (nil in version 1).
        public let partnerSprite: String?
        public let background: String?
        public let parameters: MotionBenchmarkClip
    }

    public let generator: String
    /// The benchmark version (also in `config`), at the top level so that a reader sees it first.
    public let version: Int
    public let config: MotionBenchmarkConfig
    /// Version 2: the pairs of classes that are each other's time reversal (MotionClass.timeReversalPairs).
    public let timeReversalPairs: [[String]]
    public let classes: [ClassEntry]
    public let trainGroups: ClosedRange<Int>
    public let testGroups: ClosedRange<Int>
    /// Whether train and test share no sprite and no background.
    public let disjointAssets: Bool
    public let train: PoolEntry
    public let test: PoolEntry
    public let clips: [ClipEntry]

    init(config: MotionBenchmarkConfig, pools: MotionBenchmarkPools, assets: MotionBenchmarkAssets, clips: [MotionBenchmarkClip]) {
        generator = "kinema make-dataset"
        (version, self.config) = (config.version, config)
        classes = config.classes.enumerated().map {
            ClassEntry(
                id: $0.offset + 1, name: $0.element.rawValue, explanation: $0.element.explanation(version: config.version),
                global: $0.element.isGlobal)
        }
        timeReversalPairs = config.version == 1 ? [] : MotionClass.timeReversalPairs
            .filter { config.classes.contains($0.0) && config.classes.contains($0.1) }.map { [$0.0.rawValue, $0.1.rawValue] }
        testGroups = MotionBenchmarkConfig.testGroups
        trainGroups = (testGroups.upperBound + 1)...MotionBenchmarkConfig.groups
        disjointAssets = pools.disjoint
        func entry(_ side: MotionBenchmarkPools.Side) -> PoolEntry {
            PoolEntry(
                sprites: side.sprites.count <= 1000 ? side.sprites.map(assets.spriteName) : nil, spriteCount: side.sprites.count,
                backgrounds: side.backgrounds.map { assets.backgroundNames[$0] })
        }
        (train, test) = (entry(pools.train), entry(pools.test))
        self.clips = clips.map { clip in
            ClipEntry(
                path: UCF101Layout.videoPath(clip), sprite: assets.spriteName(clip.actor.sprite),
                companionSprite: clip.companion.map { assets.spriteName($0.sprite) },
                partnerSprite: clip.partner.map { assets.spriteName($0.sprite) },
                background: clip.background.map { assets.backgroundNames[$0.image] }, parameters: clip)
        }
    }

    /// README.txt: what a person needs to know to use the benchmark.
    func readme(command: String?) -> String {
        let c = config
        let assetSplit = switch (c.kind, disjointAssets) {
        case (.fashionMNIST, _): "Train clips show Fashion-MNIST train garments (\(train.spriteCount)), test clips t10k garments (\(test.spriteCount))."
        case (.photos, true): "Train and test clips use disjoint objects and backgrounds\n"
            + "(train: \(train.spriteCount) objects, \(train.backgrounds.count) backgrounds; test: \(test.spriteCount) objects, \(test.backgrounds.count) backgrounds)."
        case (.photos, false): "Train and test clips share objects or backgrounds (too few images to keep them apart)."
        }
        let trainClips = clips.filter { $0.parameters.split == .train }.count
        var lines = [
            "Kinema motion benchmark, version \(c.version) (\(c.kind.rawValue)), made by \(generator), seed \(c.seed).",
            c.version == 1
                ? "Version 1 is the benchmark of Kinema 0.3.0, kept for reproducing results made on it; version 2 fixes its leaks."
                : "Version 2: one resampling chain (area-averaged resize, then rotate and place) for every object of every class,\n"
                    + "placement with the same per-frame mean and spread in every class, speed classes a factor 2 apart,\n"
                    + "and time-reversal pairs: " + timeReversalPairs.map { $0.joined(separator: "/") }.joined(separator: ", ") + ".",
            "",
            "\(classes.count) classes x \(c.clipsPerClass) clips = \(clips.count) clips (\(trainClips) train, \(clips.count - trainClips) test),",
            "\(c.frames) frames of \(c.size)x\(c.size) at \(c.fps) fps, in the UCF101 layout:",
            "  \(UCF101Layout.videoFolder)/<Class>/v_<Class>_gXX_cYY.\(UCF101Layout.videoExtension)   XX = group 01-25, YY = clip within the group",
            "  \(UCF101Layout.splitFolder)/\(UCF101Layout.classIndexFile), \(UCF101Layout.trainListFile) (groups \(trainGroups.lowerBound)-\(trainGroups.upperBound)), \(UCF101Layout.testListFile) (groups \(testGroups.lowerBound)-\(testGroups.upperBound))",
            "Only split 1 exists. " + assetSplit,
            "",
            "Classes: a class is a motion and nothing else. Every class draws its objects, sizes,",
            "orientations, placements and backgrounds from the same pools (S = frame side, amounts over the whole clip):",
        ]
        lines += classes.map { "  \($0.id) \($0.name): \($0.explanation)" }
        lines += [
            "",
            "Distractors, for every class alike:",
            c.version == 1
                ? "  - with probability \(c.companionProbability) a second object that stays still in the scene;"
                : "  - every clip shows an actor and a partner (still in the scene except in OppositeDirections), and with\n"
                    + "    probability \(c.companionProbability) a companion that stays still in the scene;\n"
                    + "  - every object is bent at a hinge across its centre by a fixed angle (only Flap moves it);",
            c.kind == .photos
                ? "  - with probability \(c.cameraShakeProbability) camera shake: a slow pan of at most 0.06 S plus up to +-0.01 S per frame."
                : "  - no camera motion (over black it would only move the objects).",
        ]
        if c.kind == .photos { lines.append("Each group (01-25) is one background scene, as a UCF101 group is one recording session.") }
        lines += [
            "",
            "manifest.json holds every clip's exact parameters: per-frame object poses (centre, angle, scale)",
            "and camera offsets (version 2: also hinge angles and camera zoom), i.e. ground-truth motion.",
        ]
        if let command { lines += ["", "Made with: \(command)"] }
        return lines.joined(separator: "\n") + "\n"
    }
}
