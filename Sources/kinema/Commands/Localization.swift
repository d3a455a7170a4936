import ArgumentParser
import Foundation
import KinemaData
import KinemaTrain
import KinemaVisualize

extension BenchmarkSplit: ExpressibleByArgument {}
extension LocalizationEvaluation.Target: ExpressibleByArgument {}

/// `kinema localization`: how much of a backbone's Grad-CAM lies on the moving object (MoSI Fig. 4, measured).
struct Localization: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "localization",
        abstract: "Measure how much of a backbone's Grad-CAM lies on the moving objects of a motion benchmark.",
        discussion: """
            MoSI Fig. 4 shows that a MoSI-pretrained backbone, without fine-tuning, attends to where \
            things move; the static mask is what teaches it to find local motion instead of reading \
            global motion. This command measures it on a benchmark made by `kinema make-dataset`, \
            whose manifest.json gives every object's exact matte in every frame.

            For each clip of the split, at every stage of the backbone (0 is the stem), Grad-CAM of \
            the predicted class (with --target motion, a MoSI pretext model's most probable motion: \
            every class but the still one, whose evidence is wherever nothing moves; with --target \
            label, the clip's label: fine-tuned models) is upsampled to the input clip, and its mass \
            is shared among three regions: the moving objects, the still objects and the \
            background. A pixel \
            on an object's anti-aliased edge counts for each region in proportion to its coverage.

              mass   share of the map's sum that lies on the region (the three sum to 1)
              area   share of the clip's pixels that the region covers (the three sum to 1)
              point  share of frames whose map peaks on the moving object (pointing game)

            A map with no preference (the same everywhere) scores mass = area; mass above area is \
            attention drawn to the region. A clip whose map is zero everywhere at a stage (no \
            position speaks for the class) is left out of that stage and counted as empty. Each \
            number is a mean over clips with a 95 % bootstrap interval over clips (seeded).

            Model input: the video's T frames 0, s, ..., (T-1)s (T: the run's clip length; s: \
            --stride, by default the largest that fits), each whole frame resized to the run's \
            crop size, normalised as the run trained; the regions go through the same frames and \
            resize. The assets (--assets) must be those the benchmark was made with.

            Examples:
              kinema localization runs/mosi-tiny data/motion-photos
              kinema localization runs/motion-mosi data/motion-photos --target label --output loc.json
            """)

    @Argument(help: ArgumentHelp("A MoSI pretraining run or fine-tuning run (folder or checkpoint file).", valueName: "run"))
    var model: String

    @Argument(help: "A benchmark folder made by `kinema make-dataset`.")
    var benchmark: String

    @Option(help: "The clips to score: test or train.")
    var split = BenchmarkSplit.test

    @Option(help: "Score at most this many clips, taken class by class in turn (default: all of the split).")
    var clips: Int?

    @Option(help: "The class Grad-CAM explains: predicted or label (the benchmark label; fine-tuned models).")
    var target = LocalizationEvaluation.Target.predicted

    @Option(help: "Step between the sampled frames (default: the largest that fits the video).")
    var stride: Int?

    @Option(help: ArgumentHelp("The folder Tools/data/fetch-benchmark.sh fills.", valueName: "dir"))
    var assets = ".deps/data/benchmark"

    @Option(help: "Seed of the bootstrap intervals.")
    var seed: UInt64 = 0

    @Option(help: "Write the report (per-stage summaries and per-clip scores) to this JSON file.")
    var output: String?

    @Option(help: "Also write a PNG contact sheet: the first 6 clips, 4 frames each, with the last stage's Grad-CAM and the objects outlined (moving white, still black).")
    var sheet: String?

    func validate() throws {
        for (name, value) in [("--clips", clips), ("--stride", stride)] {
            if let value, value < 1 { throw ValidationError("\(name) must be positive, got \(value)") }
        }
    }

    func run() throws {
        var settings = LocalizationEvaluation.Settings()
        (settings.split, settings.clips, settings.target, settings.stride, settings.seed) = (split, clips, target, stride, seed)
        settings.assets = URL(fileURLWithPath: assets)
        settings.sheet = sheet.map { URL(fileURLWithPath: $0) }
        var bar: ProgressBar?
        let report = try LocalizationEvaluation.run(URL(fileURLWithPath: model), benchmark: URL(fileURLWithPath: benchmark), settings: settings) {
            done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "clips") }
            bar?.update(done)
        }
        let input = report.input
        print("\(report.model) at step \(report.step), \(report.clips.count) \(report.split.rawValue) clips, Grad-CAM of the \(report.target.rawValue) class; "
            + "input \(input.frames) frames \(input.frameIndices) at \(input.size)², \(input.normalization) normalisation")
        print(Self.table(report))
        if let output {
            try RunProvenance.writeJSON(report, to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
        if let sheet { print("wrote \(sheet)") }
        print("took \(String(format: "%.1f", report.seconds)) s")
    }

    /// One row per stage: the means (and the moving mass's interval) in percent.
    static func table(_ report: LocalizationEvaluation.Report) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%5.1f", 100 * $0) } ?? "    –" }
        var lines = ["stage  name       moving mass [95 % CI]     area   still mass  area   backgr. mass  area   point  empty"]
        for stage in report.stages {
            let s = stage.summary
            let interval = s.movingMass.map { "[\(percent($0.low)), \(percent($0.high))]" } ?? "              "
            lines.append(
                "\(String(s.stage).padding(toLength: 5, withPad: " ", startingAt: 0))  \(stage.name.padding(toLength: 9, withPad: " ", startingAt: 0))  "
                    + "\(percent(s.movingMass?.mean)) \(interval)  \(percent(s.movingArea?.mean))  "
                    + "\(percent(s.stillMass?.mean))       \(percent(s.stillArea?.mean))  \(percent(s.backgroundMass?.mean))         "
                    + "\(percent(s.backgroundArea?.mean))  \(percent(s.pointing?.mean))  \(s.emptyMaps)")
        }
        return lines.joined(separator: "\n") + "\n(percent; mass = area means no preference; intervals are 95 % bootstrap over clips)"
    }
}
