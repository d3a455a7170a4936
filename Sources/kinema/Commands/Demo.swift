import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema demo`: the small end-to-end job `make demo` runs.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn playback speed from a real video without labels (a few minutes on a laptop CPU).",
        discussion: """
            Clips are cut from VIDEO at frame strides 1, 2 and 4; a small R3D-18 (width 16) learns to \
            tell the speeds apart from motion alone, training on the first 80 % of the frames and \
            validating on the last 20 %. Writes config.json, provenance.json, metrics.jsonl, \
            checkpoint.safetensors, speeds.gif and summary.json to --output.

            `make demo` fetches opencv-doc's vtest.avi (pedestrians on a campus path) and runs this.
            """)

    @Argument(help: "A video file or a folder of frames.")
    var video: String

    @Option(help: "Where the run's files go.")
    var output: String = "runs/demo"

    @Option(help: "Training steps.")
    var steps: Int = PlaybackSpeedDemoConfig(video: "").steps

    @Option(help: "Intra-op threads.")
    var threads: Int = 2

    @Option(help: "Random seed (data sampling and initialisation).")
    var seed: UInt64 = 0

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        guard FileManager.default.fileExists(atPath: video) else {
            throw ValidationError("no video at \(video) (run `make demo`, which fetches vtest.avi)")
        }
    }

    func run() throws {
        var config = PlaybackSpeedDemoConfig(video: video)
        config.output = output
        config.steps = steps
        config.threads = threads
        config.seed = seed
        let bar = ProgressBar(total: steps, label: "train")
        var lastValidation = "–"
        let summary = try PlaybackSpeedDemo.run(config) { event in
            switch event {
            case .decoded(let frames, let seconds):
                print(String(format: "decoded %d frames of %@ in %.1fs", frames, video, seconds))
            case .step(let index, _, let loss, let accuracy, _):
                bar.update(index, [
                    "loss": String(format: "%.3f", loss), "acc": String(format: "%.2f", accuracy),
                    "val": lastValidation,
                ])
            case .evaluated(_, let accuracy, _):
                lastValidation = String(format: "%.2f", accuracy)
            }
        }
        print(String(format: "validation accuracy %.1f%% (chance %.1f%%), per speed [%@], %.0fs",
            summary.validationAccuracy * 100, summary.chance * 100,
            summary.validationAccuracyPerSpeed.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: ", "),
            summary.seconds))
        print("""
            wrote \(output)/
              checkpoint.safetensors  model + optimizer (loads in PyTorch: safetensors.torch.load_file)
              metrics.jsonl           loss and accuracy per step, validation accuracy
              speeds.gif              one validation clip per speed (stride 1, 2, 4)
              summary.json, config.json, provenance.json
            """)
    }
}
