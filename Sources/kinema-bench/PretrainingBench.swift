import Foundation
import KinemaTrain

/// `--only pretrain`: real MoSI pretraining at the paper's size (R(2+1)D-10, 16 × 112 × 112 clips
/// from Ls = 320 photos, one image = 9 clips per step, the generator on one background thread)
/// for a few steps, reporting the seconds per step and the fraction of the training loop spent
/// waiting for the generator (target < 2 %: the generator must hide behind the model).
struct PretrainingBench {
    let threads: Int
    let photos: String
    var steps = 6

    func run() throws {
        guard FileManager.default.fileExists(atPath: photos) else {
            print("mosi pretraining: skipped, no photos at \(photos) (Tools/data/fetch-demo.sh fetches them)")
            return
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bench-pretrain-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        let config = try MoSIPretrainConfig.resolve(
            file: URL(fileURLWithPath: "configs/mosi/r2plus1d_10.yaml"),
            overrides: [
                "run.output=\(output.path)", "run.threads=\(threads)", "run.tensorBoard=false", "data.source=\(photos)",
                "data.imagesPerStep=1", "data.validationImages=0", "data.generatorThreads=1", "steps=\(steps)",
                "validateEvery=\(steps)",
            ])
        let summary = try MoSIPretraining.run(config, interrupt: TrainingInterrupt())
        print(String(format: "mosi pretraining %@ 9x3x16x112x112 (%d steps): %.2fs per step (wall, start-up included), trainer waited for data %.2f%% of the loop",
            config.model.name, steps, summary.seconds / Double(steps), summary.dataWaitFraction * 100))
    }
}
