import ArgumentParser
import Foundation
import KinemaData

extension MotionBenchmarkKind: ExpressibleByArgument {}

/// `kinema make-dataset`: a labelled motion benchmark built from real images.
struct MakeDataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-dataset",
        abstract: "Make a labelled motion benchmark from real images, written in the UCF101 layout.",
        discussion: """
            Real photo cut-outs (animals, fruit, flowers from Debian's tuxpaint-stamps, with alpha \
            mattes) move over real photos (KDE wallpapers, scikit-image), or Fashion-MNIST garments \
            move over black (--kind fashion-mnist). A class is a motion and nothing else: every class \
            draws its objects, sizes, orientations, placements and backgrounds from the same pools, \
            so appearance cannot solve it. Distractors for every class alike: objects that stay still \
            in the scene, and (photos) camera shake. Train and test use disjoint objects and \
            backgrounds. The same seed gives the same videos.

            Versions (--benchmark-version): 2, the default, is the fair benchmark: every object of \
            every class goes through the same resampling (area-averaged resize to its size in that \
            frame, then rotate and place), each object's on-screen position over a clip has the same \
            mean and spread in every class (so one frame at a random time does not tell the class), \
            every clip shows an actor, a partner and maybe a companion, slow and fast slides are a \
            factor 2 apart in speed, and MoveLeft/MoveRight, MoveUp/MoveDown, Approach/Recede and \
            RotateClockwise/RotateCounterclockwise are exact time reversals of each other. Six classes \
            go beyond rigid translation. 1 is the benchmark of Kinema 0.3.0, clip for clip (its \
            first 12 classes, with the ranges of that release), for reproducing results made on it.

            Classes of version 2 (S = frame side; amounts over the whole clip):
            \(MotionClass.classes(version: 2).enumerated().map { "  \($0.offset + 1) \($0.element.rawValue): \($0.element.explanation)" }.joined(separator: "\n"))
            (fashion-mnist leaves out CameraPan, CameraZoom and MoveDuringPan: over black camera \
            motion only moves the objects.)

            Output, as UCF101 ships: OUTPUT/videos/<Class>/v_<Class>_gXX_cYY.avi (25 groups; each \
            group is one background scene), OUTPUT/splits/classInd.txt, trainlist01.txt (groups \
            8-25), testlist01.txt (groups 1-7), plus README.txt and manifest.json (every clip's \
            per-frame object poses and camera offsets: ground-truth motion).

            The images come from `Tools/data/fetch-benchmark.sh` (or `make benchmark-data`), which \
            downloads them once into .deps/data/benchmark.

            Examples:
              kinema make-dataset data/motion-photos
              kinema make-dataset data/motion-fmnist --kind fashion-mnist --clips-per-class 50
              kinema make-dataset data/tiny --clips-per-class 8 --frames 8 --size 64 --seed 1
              kinema make-dataset data/motion-photos-v1 --benchmark-version 1
            """)

    @Argument(help: ArgumentHelp("The folder to write the benchmark to.", valueName: "output"))
    var output: String

    @Option(help: "photos (cut-outs over photos) or fashion-mnist (garments over black).")
    var kind = MotionBenchmarkKind.photos

    @Option(help: "Clips of every class, spread over the 25 groups (about 7/25 of them are test clips).")
    var clipsPerClass = 30

    @Option(help: "Frames per clip.")
    var frames = 16

    @Option(help: "Frame side in pixels, even (default: 112 for photos, 64 for fashion-mnist).")
    var size: Int?

    @Option(help: ArgumentHelp(
        "Benchmark version: 2 (the fair benchmark, 18 classes) or 1 (Kinema 0.3.0's 12 classes, clip for clip).", valueName: "n"))
    var benchmarkVersion = MotionBenchmarkConfig.latestVersion

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Frame rate written in the videos.")
    var fps: Double = 25

    @Option(help: "Chance of camera shake in a clip (photos).")
    var cameraShake: Double = 0.5

    @Option(help: "Chance of a companion, an object that stays still in the scene (version 2 always adds a partner too).")
    var companion: Double = 0.5

    @Option(help: ArgumentHelp("The folder Tools/data/fetch-benchmark.sh fills.", valueName: "dir"))
    var assets = ".deps/data/benchmark"

    @Option(help: "Threads that render and encode clips.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Replace a benchmark already in the output folder.")
    var overwrite = false

    var config: MotionBenchmarkConfig {
        MotionBenchmarkConfig(
            kind: kind, clipsPerClass: clipsPerClass, frames: frames, size: size, seed: seed, fps: fps,
            cameraShakeProbability: cameraShake, companionProbability: companion, version: benchmarkVersion)
    }

    func validate() throws {
        do { try config.validate() } catch { throw ValidationError(error.message) }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let config = config
        let assets = try MotionBenchmarkAssets.load(
            from: URL(fileURLWithPath: self.assets), kind: kind, frameSize: config.size, threads: threads)
        let command = "kinema make-dataset \(output) --benchmark-version \(benchmarkVersion) --kind \(kind.rawValue) --clips-per-class \(clipsPerClass) --frames \(frames) "
            + "--size \(config.size) --seed \(seed) --fps \(fps) --camera-shake \(cameraShake) --companion \(companion)"
        let bar = ProgressBar(total: config.classes.count * clipsPerClass, label: "clips")
        let summary = try MotionBenchmarkWriter.write(
            config, assets: assets, to: URL(fileURLWithPath: output), threads: threads, overwrite: overwrite, command: command
        ) { done, _ in bar.update(done) }
        print("\(summary.classes) classes, \(summary.trainClips) train + \(summary.testClips) test clips "
            + "(\(config.frames) × \(config.size)x\(config.size), seed \(seed), version \(benchmarkVersion)) → \(output)/")
        if !summary.disjointAssets { print("note: too few images to keep train and test objects/backgrounds apart") }
    }
}
