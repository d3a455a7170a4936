import Foundation
import KinemaData
import KinemaMotion
import KinemaPretext
import KinemaTrain

/// `--only mme`: what MME's on-the-fly targets cost (MME issue 11, "throughput, measured honestly").
///
/// 1. Core-milliseconds per 16 × 4 clip of each stage (decode of the full-rate span, flow,
///    camera-motion removal, tracking, HOG) at 112² and 224², per flow method, on one OpenCV
///    thread, beside the method's end-point error on Middlebury Grove3's ground truth.
/// 2. The ViT-S/16 MME pretraining step at 16 × 112² with targets on the fly against the same run
///    reading `kinema mme extract`'s cache, interleaved, the trainer's threads fixed.
/// 3. The CPU cores a GPU pretraining ViT-B would need, from the per-stage costs.
struct MMEBench {
    let threads: Int
    let rounds: Int
    let data: URL
    /// Clips the GPU consumes per second in the projection (see ``projection``).
    let gpuClipsPerSecond: Double

    static let (frames, stride) = (16, 4)
    /// The flow the cache rows and the step ratio use: the tiny config's.
    static let cachedMethod = "dis-fast"

    func run() throws {
        let video = data.appendingPathComponent("videos/vtest.avi")
        guard FileManager.default.fileExists(atPath: video.path) else { throw BenchError("no \(video.path): `make testdata` fetches it") }
        OpenCV.setThreadCount(1)
        let accuracy = try groveErrors()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bench-mme-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var costs: [Int: [String: Stages]] = [:]
        for size in [112, 224] {
            print("MME targets of one \(Self.frames)x\(Self.stride) clip at \(size)² (vtest.avi decoded at short side \(size * 8 / 7), "
                + "centre crop resized to \(size)², paper settings: L = 6, camera removal, median filter, trajectory HOG), "
                + "core-ms (the process's CPU time, OpenCV on one thread), median of \(rounds) clips (tvl1: 1):")
            print("  method          decode    flow  camera  cache read  tracking     hog    total  Grove3 EPE (px)")
            func line(_ name: String, _ stages: Stages, _ error: String) {
                print("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0)
                    + String(format: "%8.0f%8.0f%8.0f%12.0f%10.0f%8.0f%9.0f", stages.decode * 1e3, stages.flow * 1e3, stages.camera * 1e3,
                        stages.cacheRead * 1e3, stages.tracking * 1e3, stages.shape * 1e3, stages.total * 1e3) + error)
            }
            for method in FlowMethod.names {
                let stages = try measure(video: video, size: size, method: method, repeats: method == "tvl1" ? 1 : rounds)
                costs[size, default: [:]][method] = stages
                line(method, stages, String(format: "%12.2f", accuracy[method]!))
            }
            var cached = MMETargetConfiguration()
            cached.flow = Self.cachedMethod
            let stages = try measure(video: video, size: size, method: Self.cachedMethod, repeats: rounds,
                cache: MMEFlowCache(folder: scratch.appendingPathComponent("\(size)"), configuration: cached))
            costs[size, default: [:]]["cache"] = stages
            line("cache", stages, "  (\(Self.cachedMethod) flow read from `kinema mme extract`'s cache)")
        }
        OpenCV.setThreadCount(threads)
        let step = try stepRatio(scratch: scratch)
        let perClip = costs[112]![Self.cachedMethod]!
        print(String(format: "targets/s vs steps/s (ViT-S/16, 16x112², batch %d, %d trainer thread(s)): one core makes %.2f clips of targets/s "
            + "(%@, %.0f core-ms a clip), the trainer takes %.2f steps/s = %.2f clips/s on the fly, %.2f steps/s = %.2f clips/s cached",
            step.batch, threads, 1 / perClip.total, Self.cachedMethod, perClip.total * 1e3, 1 / step.onTheFly, Double(step.batch) / step.onTheFly,
            1 / step.cached, Double(step.batch) / step.cached))
        projection(costs[224]!)
    }

    struct Stages {
        var decode = 0.0, flow = 0.0, camera = 0.0, cacheRead = 0.0, tracking = 0.0, shape = 0.0
        var total: Double { decode + flow + camera + cacheRead + tracking + shape }
    }

    /// Median seconds of each stage over `repeats` clips (after a warm-up clip); with `cache`, the
    /// flow is read from it (reading, checking and cutting the crop is the `cacheRead` stage), and
    /// the targets are compared with the on-the-fly ones.
    private func measure(video: URL, size: Int, method: String, repeats: Int, cache: MMEFlowCache? = nil) throws -> Stages {
        var configuration = MMETargetConfiguration()
        configuration.flow = method
        let span = configuration.rawFramesNeeded(clipFrames: Self.frames, stride: Self.stride)
        let loader = try VideoClipLoader(
            sampling: ClipSampling(frames: Self.frames, stride: Self.stride, targetFPS: nil),
            trainingSize: .shortSide(size * 8 / 7), augmentation: ClipAugmentation(cropSize: size),
            testViews: TestViews(clips: 1, crops: 1, shortSide: size * 8 / 7, cropSize: size))
        if let cache {
            print(String(format: "  (extracting %@ at short side %d: %.1f s)", video.lastPathComponent, size * 8 / 7, try seconds {
                try cache.extract(video: video, frames: loader.allTrainingFrames(VideoItem(url: video, label: 0)))
            }))
        }
        var runs: [Stages] = []
        var differences: [TargetDifference] = []
        for r in 0...repeats {
            var generator = SeededGenerator(seed: 7, index: r)
            var stages = Stages()
            let start = processCPUSeconds()
            let (raw, indices) = try loader.locatedTrainingSpan(VideoItem(url: video, label: 0), count: span, using: &generator)
            stages.decode = processCPUSeconds() - start
            let side = min(raw[0].width, raw[0].height)
            let transform = ClipTransform(
                crop: CropBox(x: (raw[0].width - side) / 2, y: (raw[0].height - side) / 2, width: side, height: side), outputSize: size)
            let times = MMEStageTimes(clock: processCPUSeconds)
            let readStart = processCPUSeconds()
            let flows = try cache?.flows(video: video, indices: indices, width: raw[0].width, height: raw[0].height)
            let read = processCPUSeconds() - readStart
            let targets = try MMETargetComputer(configuration, times: times).targets(
                rawFrames: raw, clipFrames: Self.frames, stride: Self.stride, transform: transform, wholeFrameFlows: flows)
            (stages.flow, stages.camera, stages.tracking, stages.shape) = (times.flow, times.camera, times.tracking, times.shape)
            stages.cacheRead = flows == nil ? 0 : read + times.cachedFlow
            if r > 0 { runs.append(stages) }
            if cache != nil, r > 0 {
                differences.append(TargetDifference(targets, try MMETargetComputer(configuration).targets(
                    rawFrames: raw, clipFrames: Self.frames, stride: Self.stride, transform: transform)))
            }
        }
        if !differences.isEmpty { print("  cached vs on the fly at \(size)²: " + TargetDifference.summary(differences)) }
        func median(_ key: KeyPath<Stages, Double>) -> Double { runs.map { $0[keyPath: key] }.sorted()[runs.count / 2] }
        return Stages(decode: median(\.decode), flow: median(\.flow), camera: median(\.camera), cacheRead: median(\.cacheRead),
            tracking: median(\.tracking), shape: median(\.shape))
    }

    /// Each method's mean end-point error on the full Grove3 frames 10 → 11 (Middlebury ground truth, no unknowns).
    private func groveErrors() throws -> [String: Double] {
        let folder = data.appendingPathComponent("middlebury")
        let first = try Image(contentsOf: folder.appendingPathComponent("Grove3/frame10.png"), format: .gray)
        let second = try Image(contentsOf: folder.appendingPathComponent("Grove3/frame11.png"), format: .gray)
        let truth = try FlowField(contentsOfMiddlebury: folder.appendingPathComponent("grove3.flo"))
        return try FlowMethod.names.reduce(into: [:]) { errors, name in
            errors[name] = try FlowMethod(name: name)!.makeEstimator().flow(from: first, to: second).endPointError(to: truth)
        }
    }

    /// Step seconds with targets on the fly and from the cache, medians over `rounds` interleaved
    /// runs, and their ratio with its interval.
    private func stepRatio(scratch: URL) throws -> (onTheFly: Double, cached: Double, batch: Int) {
        let cache = scratch.appendingPathComponent("cache")
        let batch = 2, steps = 8
        func config(cached: Bool, run: Int) throws -> VideoMAEPretrainConfig {
            try VideoMAEPretrainConfig.resolve(
                file: URL(fileURLWithPath: "configs/mme/tiny_cpu.yaml"),
                overrides: [
                    "run.output=\(scratch.appendingPathComponent("run\(run)").path)", "run.threads=\(threads)", "run.tensorBoard=false",
                    "data.source=\(data.appendingPathComponent("videos").path)", "model.name=vit_s_16", "model.decoderWidth=192",
                    "model.decoderHeads=3", "data.frames=\(Self.frames)", "data.stride=\(Self.stride)", "data.batchSize=\(batch)",
                    "data.loaderThreads=1", "data.validationClips=1", "steps=\(steps)", "validateEvery=1000", "optim.warmupSteps=1",
                    "target.motion.flow=\(Self.cachedMethod)", "target.cache=\(cached ? cache.path : "")",
                ])
        }
        let extraction = try MMEFlowExtraction.run(try config(cached: true, run: 0), threads: 1)
        print(String(format: "kinema mme extract (dis-fast, camera removal, short side 128, 1 thread): %d videos, %d frame pairs in %.1f s "
            + "(%.1f pairs/s), %.1f MB (%.2f MB a video, %.0f kB a frame pair)", extraction.extracted, extraction.pairs, extraction.seconds,
            Double(extraction.pairs) / extraction.seconds, Double(extraction.bytes) / 1e6, Double(extraction.bytes) / 1e6 / Double(extraction.extracted),
            Double(extraction.bytes) / 1e3 / Double(extraction.pairs)))
        var times: [[Double]] = [[], []]
        for round in 0..<rounds {
            for k in 0..<2 {
                let cached = (round + k) % 2 == 1
                var stepSeconds: [Double] = []
                _ = try VideoMAEPretraining.run(try config(cached: cached, run: 2 * round + k), interrupt: TrainingInterrupt()) { event in
                    if case .step(let step, _, _, let clipsPerSecond) = event, step > 2 { stepSeconds.append(Double(batch) / clipsPerSecond) }
                }
                times[cached ? 1 : 0].append(stepSeconds.sorted()[stepSeconds.count / 2])
            }
        }
        let ratio = RatioInterval(kinema: times[0], reference: times[1])
        let medians = times.map { $0.sorted()[$0.count / 2] }
        print(String(format: "MME pretraining step, ViT-S/16 16x112² batch %d, %d trainer thread(s), 1 loader thread, dis-fast: on the fly %.2f s, "
            + "cached %.2f s (medians of steps 3–%d over %d interleaved runs each); on-the-fly / cached = %@ (goal ≤ 1.10: %@)",
            batch, threads, medians[0], medians[1], steps, rounds, ratio.text, ratio.high <= 1.10 ? "met" : "not met"))
        return (medians[0], medians[1], batch)
    }

    /// Cores = clips the GPU consumes per second × core-seconds of targets per clip (224²).
    private func projection(_ costs: [String: Stages]) {
        print(String(format: "projection: a ViT-B MME pretraining (16x224², L = 6) consuming %.0f clips/s on one H100/H200 "
            + "(--gpu-clips-per-second; docs/benchmarks.md says why) needs this many CPU cores for its targets:", gpuClipsPerSecond))
        for method in FlowMethod.names + ["cache"] {
            print("  " + method.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: "%6.0f cores (%.0f core-ms a clip)", gpuClipsPerSecond * costs[method]!.total, costs[method]!.total * 1e3)
                + (method == "cache" ? " — \(Self.cachedMethod) flow from the cache; decode, tracking and HOG remain" : " on the fly"))
        }
    }

    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }
}
