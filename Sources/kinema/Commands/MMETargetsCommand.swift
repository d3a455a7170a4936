import ArgumentParser
import Foundation
import KinemaData
import KinemaPretext
import KinemaTrain
import KinemaVideo
import KinemaVisualize

/// `kinema mme targets`: MME's targets of one clip, drawn.
struct MMETargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "Draw MME's motion targets of one clip of a video: trajectories per patch, masked tubes, HOG glyphs.",
        discussion: """
            Computes the targets `kinema mme pretrain` trains on for one clip (--frames frames every \
            --stride from --start, decoded at data.decodeShortSide, centre square resized to --size) \
            with the same target.motion settings (the paper's by default; --config and --set change \
            them as for pretraining), and writes:

              targets.gif   every raw frame the trajectories span, tubelet by tubelet: the K points \
            of every 16×16 patch start on the tubelet's first frame and are drawn as the trajectory so \
            far (older parts dimmer), coloured by direction (hue, Middlebury wheel) and speed \
            (saturation, full at 1 px a frame); grey: the point leaves the clip (out of MME Eq. 7's \
            loss). Tracks moving less than --min-displacement px overall are left out, so the static \
            background stays clean. Right: the trajectory-aligned HOG (Eq. 5) of --hog-tubelet as \
            glyphs at the tracked points, one stroke per orientation bin along the edge it describes.
              targets.png   the contact sheet: each tubelet's complete trajectories, then the HOG panel.

            With --mask-ratio the tubes a tube mask of that ratio (seeded by --seed) hides are greyed: \
            MME predicts the trajectories of exactly those.

            Examples:
              kinema mme targets .deps/data/videos/vtest.avi --start 100 --output vtest-targets
              kinema mme targets clip.mp4 --frames 8 --size 112 --mask-ratio 0.7 --seed 3
              kinema mme targets clip.mp4 --config configs/mme/k400_vit_b_released.yaml --hog-tubelet 2
              kinema mme targets clip.mp4 --set target.motion.flow=dis-medium --set target.motion.length=4
            """)

    @Argument(help: ArgumentHelp("The video (any format OpenCV's FFmpeg reads, or a folder of frames).", valueName: "video"))
    var video: String

    /// A `kinema mme pretrain` config (its target and data sections are used) and `--set` overrides.
    @OptionGroup var configFile: ConfigFileOptions

    @Option(help: ArgumentHelp("The folder targets.gif and targets.png go to.", valueName: "dir"))
    var output = "mme-targets"

    @Option(help: "The clip's first frame (0-based, at the video's full rate).")
    var start = 0

    @Option(help: "Sampled frames of the clip (data.frames; default 16).")
    var frames: Int?

    @Option(help: "Raw frames between sampled ones (data.stride; default 4).")
    var stride: Int?

    @Option(help: "The clip's side in pixels, a multiple of the patch (data.cropSize; default 224).")
    var size: Int?

    @Option(help: "Grey the tubes a tube mask of this ratio hides (MME: 0.7); default: no mask.")
    var maskRatio: Double?

    @Option(help: "Seed of the mask; default: the config's run.seed.")
    var seed: UInt64?

    @Option(help: "The tubelet whose HOG the side panel shows (0-based).")
    var hogTubelet = 0

    @Option(help: "Leave out tracks whose first-to-last displacement is below this many clip pixels (0: draw all).")
    var minDisplacement: Float = 0.5

    @Option(help: "Frames per second of the GIF.")
    var fps: Double = 6

    func validate() throws {
        guard start >= 0 else { throw ValidationError("--start must be ≥ 0, got \(start)") }
        guard fps > 0, fps <= 100 else { throw ValidationError("--fps must be in (0, 100], got \(fps)") }
        guard minDisplacement >= 0 else { throw ValidationError("--min-displacement must be ≥ 0, got \(minDisplacement)") }
        if let maskRatio, !(maskRatio > 0 && maskRatio < 1) { throw ValidationError("--mask-ratio must be in (0, 1), got \(maskRatio)") }
    }

    func run() throws {
        // The pretraining config insists on a data source; here the source is the one video.
        var flags = ["data.source=\(video)"]
        if let frames { flags.append("data.frames=\(frames)") }
        if let stride { flags.append("data.stride=\(stride)") }
        if let size { flags.append("data.cropSize=\(size)") }
        if let maskRatio { flags.append("model.maskRatio=\(maskRatio)") }
        let config: VideoMAEPretrainConfig
        do {
            config = try VideoMAEPretrainConfig.resolve(
                ConfigSources(file: configFile.file, overrides: flags + configFile.overrides, presets: MMEPretrain.presets))
        } catch { throw ValidationError(error.description) }
        let drawn = try Self.draw(
            video: URL(fileURLWithPath: video), config: config, start: start, masked: maskRatio != nil, seed: seed ?? config.run.seed,
            hogTubelet: hogTubelet, minDisplacement: minDisplacement, fps: fps, folder: URL(fileURLWithPath: output))
        print(drawn.description)
        print("\(drawn.frames) frames → \(drawn.gif.path)\ncontact sheet → \(drawn.sheet.path)")
    }

    /// Computes the targets of the clip of `video` starting at frame `start` with `config`'s data
    /// and target settings, and writes `targets.gif` and `targets.png` into `folder` (also what
    /// `kinema demo` draws). With `masked`, the tubes a tube mask of `config.model.maskRatio`
    /// (seeded by `seed`) hides are greyed. Returns the files and a line about the targets.
    static func draw(
        video: URL, config: VideoMAEPretrainConfig, start: Int, masked: Bool, seed: UInt64, hogTubelet: Int,
        minDisplacement: Float, fps: Double, folder: URL
    ) throws -> (gif: URL, sheet: URL, frames: Int, description: String) {
        let (data, motion) = (config.data, config.target.motion)
        let needed = motion.rawFramesNeeded(clipFrames: data.frames, stride: data.stride)
        let tubelets = data.frames / motion.tubelet
        guard (0..<tubelets).contains(hogTubelet) else {
            throw ValidationError("--hog-tubelet must be in 0..<\(tubelets) (the clip's tubelets), got \(hogTubelet)")
        }

        let started = Date()
        let reader = try VideoReader(video, size: .shortSide(data.decodeShortSide))
        let raw = try reader.frames(at: Array(start..<(start + needed)))
        let (width, height) = (raw[0].width, raw[0].height)
        let side = min(width, height)
        let transform = ClipTransform(
            crop: CropBox(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side), outputSize: data.cropSize)
        let targets = try MMETargetComputer(motion).targets(rawFrames: raw, clipFrames: data.frames, stride: data.stride, transform: transform)
        let computed = Date()
        let mask = try masked ? {
            var generator = SeededGenerator(seed: seed, index: 0)
            return try config.model.tokenMasking().mask(
                frames: targets.tokenFrames, height: targets.tokenRows, width: targets.tokenColumns, using: &generator)
        }() : nil
        let picture = try MotionTargetPicture(
            clipFrames: try transform.apply(to: raw), targets: targets, configuration: motion, mask: mask, hogTubelet: hogTubelet,
            minDisplacement: minDisplacement)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (gif, sheet) = (folder.appendingPathComponent("targets.gif"), folder.appendingPathComponent("targets.png"))
        try picture.write(gif: gif, sheet: sheet, fps: fps)
        let moving = targets.tracks.map { MotionTargetPicture.moving($0, minDisplacement: minDisplacement).count }.reduce(0, +)
        let description = String(
            format: "%d tubelets × %d points (L = %d, %@ flow): %d move ≥ %.2g px, %d leave the clip; targets %.1f s, pictures %.1f s",
            targets.tracks.count, targets.tracks[0].count, motion.length, motion.flow, moving, minDisplacement,
            targets.tracks.map { $0.flags.filter { $0.contains(.outOfFrame) }.count }.reduce(0, +),
            computed.timeIntervalSince(started), Date().timeIntervalSince(computed))
        return (gif, sheet, picture.frames.count, description + " (\(picture.frames[0].width)x\(picture.frames[0].height) frames)")
    }
}
