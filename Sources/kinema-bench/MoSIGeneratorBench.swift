import Foundation
import KinemaPretext
import KinemaVideo

/// `--only mosi`: Kinema's MoSI generator against the official one (TAdaConv `MoSIGenerator`, run by
/// Tools/bench/mosi_reference.py from a local TAdaConv work tree given with `--tadaconv PATH`), on the
/// same thread count: 320 × 320 RGB sources → 9 clips of 16 × 112² (train split, static mask
/// 0.3–0.5, flip p = 0.5, as `mosi.yaml`).
///
/// Two colour settings, each side in the same one: TAdaConv HEAD as it runs (grayscale p = 0.3
/// only) and the paper's frame-wise jitter (the official ColorJitter with its gate set to 1).
/// The official generator returns normalised float tensors per video, Kinema returns bytes; so a
/// second line compares the way to a batched `[9B, 3, 16, 112, 112]` tensor: Kinema's bytes →
/// tensor step against the official generator plus the stacking its DataLoader collate does.
struct MoSIGeneratorBench {
    let threads: Int
    let python: String
    /// A TAdaConv work tree, or nil to measure Kinema alone.
    let tadaconv: String?
    let images: Int

    func run() throws {
        let sources = noiseImages(count: 16, side: 320)
        for (name, jitter, officialJitter) in [
            ("HEAD colour (grayscale only)", MoSIColorJitter.tadaconvHead, "head"),
            ("paper colour (frame-wise jitter)", MoSIColorJitter.paper, "original"),
        ] {
            let config = MoSIConfig(colorJitter: jitter, flip: .officialNoSwap)
            let generator = try MoSIGenerator(config, seed: 0, threads: threads)
            let ours = 1 / (try kinemaSeconds(generator, sources: sources, tensors: false))
            let oursWithTensors = 1 / (try kinemaSeconds(generator, sources: sources, tensors: true))
            guard let tadaconv else {
                print(String(format: "mosi generator: kinema=%.1f img/s (%.0f clips/s; %.1f img/s to batched tensors) [%@], official not run (pass --tadaconv PATH)",
                    ours, ours * 9, oursWithTensors, name))
                continue
            }
            // The faster of the two ways the official code can use the threads.
            let reference = Reference(python: python, script: "Tools/bench/mosi_reference.py")
            let runs = try ["inprocess", "workers"].map { mode in
                try reference.run(["--tadaconv", tadaconv, "--threads", "\(threads)", "--images", "\(max(8, images / 4))",
                    "--mode", mode, "--color-jitter", officialJitter])
            }
            let theirs = try runs.map { try $0.number("images_per_s", from: "mosi_reference.py") }.max()!
            let theirsCollated = try runs.map { try $0.number("images_per_s_collated", from: "mosi_reference.py") }.max()!
            print(String(format: "mosi generator: kinema=%.1f img/s (%.0f clips/s) pytorch-official=%.1f img/s (%.0f clips/s) ratio=%.1f [%@]",
                ours, ours * 9, theirs, theirs * 9, ours / theirs, name))
            print(String(format: "  … to batched float tensors: kinema=%.1f img/s pytorch-official+collate=%.1f img/s ratio=%.1f",
                oursWithTensors, theirsCollated, oursWithTensors / theirsCollated))
        }
        print("  (ratio = official time / kinema time per source image: above 1 = Kinema faster; load average \(loadAverage()))")
    }

    /// Seconds per source image, in batches of `2 × threads` images: the fastest of three passes
    /// over `images` images after one warm-up batch (the machine may be shared).
    private func kinemaSeconds(_ generator: MoSIGenerator, sources: [Image], tensors: Bool) throws -> Double {
        let batch = 2 * threads
        func one(_ first: Int) throws {
            let items = Array(first..<(first + batch))
            let result = try generator.batch(items.map { sources[$0 % sources.count] }, items: items)
            if tensors { _ = result.tensors(.kinetics, threads: threads) }
        }
        try one(0)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = now()
            var done = 0
            while done < images {
                try one(done)
                done += batch
            }
            best = min(best, (now() - start) / Double(done))
        }
        return best
    }

    /// Uniform random bytes (the speed of neither generator depends on the content).
    private func noiseImages(count: Int, side: Int) -> [Image] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        return (0..<count).map { _ in
            let pixels = (0..<(side * side * 3)).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            return Image(width: side, height: side, format: .rgb, pixels: pixels)
        }
    }
}
