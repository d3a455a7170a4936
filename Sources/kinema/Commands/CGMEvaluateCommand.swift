import ArgumentParser
import Foundation
import KinemaFiles
import KinemaMotion
import KinemaTrain

/// `kinema cgm evaluate`: CGM-Net's Table 1 protocol (motion estimation ℓ1, 1-step prediction
/// PSNR/SSIM) for the optical-flow and copy baselines and a trained CGM-Net on real videos.
struct CGMEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score motion representations on real videos as CGM-Net's Table 1 does: warp ℓ1 error, next-frame PSNR and SSIM.",
        discussion: """
            Cuts every video into non-overlapping clips of --frames + 1 consecutive frames (videos \
            too short for one are skipped and listed), each frame resized so its short side is \
            --short-side and the centre --size square cut out (CGM-Net's 128 → 112 training \
            geometry). A method sees the first T = --frames frames of a clip and is scored on:

              ℓ1 error   motion estimation (Table 1 left): each frame t+1 synthesised from frame t, \
            against the true one, as mean |a − b| on images scaled to [−1, 1], averaged over the T−1 pairs
              PSNR, SSIM 1-step prediction (Table 1 right): the predicted frame T against the true one; \
            PSNR on 0–255, capped at 100 dB (an exact prediction has +∞); SSIM as scikit-image's \
            structural_similarity with its defaults (7×7 uniform window, sample covariance, data range 255)

            Methods: copy (every frame predicted as its predecessor: no motion), one row per \
            --flow method, and with --run a trained CGM-Net (its motion maps applied by Eq. 1; the \
            last map predicts frame T). Score a run on what it never saw: held-out videos, or with \
            --held-out-fraction the last part of each video that data.heldOut: end kept from training. \
            A flow method synthesises frame t+1 by backward warping: frame t sampled \
            at x + F(x), F the flow from t+1 to t (bilinear, border replicated). It predicts frame T \
            at constant velocity: frame T−1 warped by the flow from T−1 to T−2 (the last seen pair's \
            flow read at the same pixel, exact for translations).

            Each number is a mean over clips with a 95 % bootstrap interval over clips (seeded by \
            --seed). The table is printed; --output writes it as Markdown and --json writes every \
            clip's scores.

            Examples:
              kinema cgm evaluate .deps/data/videos/carphone.mp4 .deps/data/videos/vtest.avi
              kinema cgm evaluate /data/ucf101/videos --flow dis-fast,tvl1 --clips-per-video 2 --json ucf.json --output ucf.md
              kinema cgm evaluate clip.mp4 --frames 8 --size 224     # short side 256 by default
              kinema cgm evaluate .deps/data/videos --frames 8 --size 64 --run runs/cgm-tiny --held-out-fraction 0.2
            """)

    @Argument(help: ArgumentHelp(
        "Video files, folders of videos (searched recursively) or folders of numbered frames.", valueName: "video-or-folder"))
    var inputs: [String]

    @Option(help: "Frames a method sees (T); clips hold T + 1.")
    var frames = 16

    @Option(help: "Side of the centre square cut out of each frame.")
    var size = 112

    @Option(help: "Short side frames are resized to before cropping (default: size × 8/7, 128 for 112).")
    var shortSide: Int?

    @Option(help: "Take every this many frames (a run trained with data.stride scores at its stride; 1: consecutive).")
    var stride = 1

    @Option(help: "Comma-separated optical-flow baselines: \(FlowMethod.names.joined(separator: ", ")).")
    var flow = "dis-fast,dis-medium,farneback,tvl1"

    @Option(help: "At most this many clips from each video, the first ones (default: all).")
    var clipsPerVideo: Int?

    @Option(help: "Seed of the bootstrap intervals.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp(
        "Score only the last fraction of each video's frames: what a run trained with data.heldOut: end and this data.heldOutFraction never saw.",
        valueName: "fraction"))
    var heldOutFraction: Double?

    @Option(help: ArgumentHelp("Write the report (rows and every clip's scores) to this JSON file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write the table to this Markdown file.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("A `kinema cgm pretrain` run (or checkpoint) to score beside the baselines.", valueName: "run"))
    var cgmRun: String?

    var flowNames: [String] { flow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }

    var geometry: CGMClipReader.Geometry {
        CGMClipReader.Geometry(
            frames: frames, shortSide: shortSide ?? Int((Double(size) * 8 / 7).rounded()), crop: size, stride: stride)
    }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one video or folder") }
        if let problem = geometry.problem { throw ValidationError("--frames/--size/--short-side/--stride: \(problem)") }
        for name in flowNames where FlowMethod(name: name) == nil {
            throw ValidationError("unknown --flow method '\(name)'; use one of \(FlowMethod.names.joined(separator: ", "))")
        }
        guard Set(flowNames).count == flowNames.count else { throw ValidationError("--flow names a method twice: \(flow)") }
        if let clipsPerVideo, clipsPerVideo < 1 { throw ValidationError("--clips-per-video must be positive, got \(clipsPerVideo)") }
        if let heldOutFraction, !(heldOutFraction > 0 && heldOutFraction <= 1) {
            throw ValidationError("--held-out-fraction must be in (0, 1], got \(heldOutFraction)")
        }
        for input in inputs where !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("no video or folder at \(input)")
        }
    }

    func run() throws {
        let model = try cgmRun.map { try Self.cgmNetReconstructor(run: URL(fileURLWithPath: $0)) }
        let videos = try inputs.flatMap { try CGMClipReader.videos(at: URL(fileURLWithPath: $0)) }
        var methods: [any MotionReconstructor] = [CopyReconstructor()] + (try flowNames.map { try FlowReconstructor(named: $0) })
        if let model { methods.append(model) }
        var settings = CGMMotionEvaluation.Settings()
        (settings.geometry, settings.clipsPerVideo, settings.seed) = (geometry, clipsPerVideo, seed)
        settings.heldOutFraction = heldOutFraction
        let g = settings.geometry
        print("\(videos.count) videos; clips of \(g.frames + 1) frames at \(g.crop)×\(g.crop) (short side \(g.shortSide)); "
            + "methods: \(methods.map(\.name).joined(separator: ", "))")
        var bar: ProgressBar?
        let report = try CGMMotionEvaluation.run(videos: videos, methods: methods, settings: settings) { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "clips") }
            bar?.update(done)
        }
        print(report.markdown)
        for video in report.videos where video.clips == 0 {
            let part = heldOutFraction.map { " in its last \(Int(($0 * 100).rounded())) %" } ?? ""
            print("skipped \(video.path): \(video.framesRead) frames decoded, too few for one clip of \(g.frames + 1) \(g.framesDescription)\(part)")
        }
        if let output {
            try AtomicFile.write(Data(report.markdown.utf8), to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
        if let json {
            try RunProvenance.writeJSON(report, to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
        print("took \(String(format: "%.1f", report.seconds)) s")
    }

    /// A trained CGM-Net run as one more row: its motion maps applied by Eq. 1 for the seen
    /// frames, its last map for the next frame.
    static func cgmNetReconstructor(run: URL) throws -> any MotionReconstructor {
        do { return try CGMNetReconstructor(run: run) } catch { throw ValidationError("--run \(run.path): \(error)") }
    }
}
