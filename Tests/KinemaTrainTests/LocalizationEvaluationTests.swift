import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaPretext
import KinemaTrain
import KinemaVideo
import Testing

/// `LocalizationEvaluation` end to end: the tiny MoSI run (4-frame 32² clips, 9 pretext classes) on
/// a tiny benchmark (12 classes × 2 clips, 8 frames of 48²) made from assets written here.
@Suite(.serialized) struct LocalizationEvaluationTests {
    /// An asset folder in the layout Tools/data/fetch-benchmark.sh writes, and a benchmark made from it.
    private func benchmark(in folder: TemporaryFolder) throws -> (benchmark: URL, assets: URL) {
        let root = try folder.benchmarkAssets(backgroundWidth: 120, backgroundHeight: 100)
        let config = MotionBenchmarkConfig(clipsPerClass: 2, frames: 8, size: 48, seed: 3, companionProbability: 1)
        let assets = try MotionBenchmarkAssets.load(from: root, kind: .photos, frameSize: 48)
        let output = folder.file("bench")
        _ = try MotionBenchmarkWriter.write(config, assets: assets, to: output)
        return (output, root)
    }

    @Test func scoresEveryStageOfEveryClipWithSharesThatAddUp() throws {
        let folder = TemporaryFolder()
        let (bench, assets) = try benchmark(in: folder)
        var settings = LocalizationEvaluation.Settings()
        (settings.assets, settings.clips) = (assets, 3)
        let report = try LocalizationEvaluation.run(try TinyMoSIRun.folder(), benchmark: bench, settings: settings)
        // 4 frames of the 8 at the largest stride that fits, resized to the run's 32².
        #expect(report.input.frameIndices == [0, 2, 4, 6] && report.input.size == 32 && report.input.normalization == "kinetics")
        // Three clips, class by class: the first clip of classes 0, 1, 2.
        #expect(report.clips.map(\.label) == [0, 1, 2])
        #expect(report.stages.map(\.summary.stage) == [0, 1, 2, 3, 4])
        for stage in report.stages { #expect(stage.summary.clips + stage.summary.emptyMaps == 3) }
        for row in report.clips {
            #expect(row.scores.explainedClass == row.scores.predictedClass)
            for score in row.scores.stages.compactMap({ $0 }) {
                // Sums over 4 · 32² pixels in float: a relative 1e-4 is ample.
                #expect(abs(score.movingMass + score.stillMass + score.backgroundMass - 1) < 1e-4)
                #expect(abs(score.movingArea + score.stillArea + score.backgroundArea - 1) < 1e-4)
                // Every clip has a companion (probability 1) and an actor: both regions are there.
                #expect(score.movingArea > 0 && score.stillArea > 0)
            }
        }
    }

    /// `--target motion` explains the most probable class other than MoSI's still one, (0, 0), which
    /// the run's label pool places last of the default 9.
    @Test func motionTargetNeverExplainsTheStillClass() throws {
        let folder = TemporaryFolder()
        let (bench, assets) = try benchmark(in: folder)
        let pretrained = try PretrainedBackbone.load(try TinyMoSIRun.folder())
        let still = try #require(pretrained.mosiStillClass)
        #expect(still == (try MoSILabelPool()).speeds.firstIndex(of: .still))
        var settings = LocalizationEvaluation.Settings()
        (settings.assets, settings.clips, settings.target) = (assets, 6, .motion)
        let report = try LocalizationEvaluation.run(try TinyMoSIRun.folder(), benchmark: bench, settings: settings)
        for row in report.clips {
            #expect(row.scores.explainedClass != still)
            if row.scores.predictedClass != still { #expect(row.scores.explainedClass == row.scores.predictedClass) }
        }
    }

    /// A manifest edited by hand (or damaged) may name any sprite index: a negative one is refused
    /// like one past the assets, not trapped on.
    @Test func aManifestNamingANegativeSpriteIsRefused() throws {
        let folder = TemporaryFolder()
        let (bench, root) = try benchmark(in: folder)
        let file = bench.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        let edited = try #require(text.firstRange(of: #/"sprite"\s*:\s*\d+/#).map { text.replacingCharacters(in: $0, with: #""sprite":-1"#) })
        try Data(edited.utf8).write(to: file)
        let manifest = try MotionBenchmarkManifest.read(from: bench)
        let assets = try MotionBenchmarkAssets.load(from: root, kind: .photos, frameSize: 48)
        let error = #expect(throws: MotionBenchmarkError.self) {
            for entry in manifest.clips { try manifest.check(assets, for: entry) }
        }
        #expect("\(error.map(String.init(describing:)) ?? "")".contains("uses sprite -1"))
    }

    @Test func refusesLabelsOfAPretextHeadAndAssetsThatAreNotTheBenchmarks() throws {
        let folder = TemporaryFolder()
        let (bench, assets) = try benchmark(in: folder)
        var settings = LocalizationEvaluation.Settings()
        (settings.assets, settings.clips, settings.target) = (assets, 1, .label)
        #expect(throws: TrainingRunError.self) { try LocalizationEvaluation.run(try TinyMoSIRun.folder(), benchmark: bench, settings: settings) }
        // Renamed cut-outs: the manifest's names no longer match.
        let cutouts = assets.appendingPathComponent("cutouts")
        for name in try FileManager.default.contentsOfDirectory(atPath: cutouts.path) {
            try FileManager.default.moveItem(at: cutouts.appendingPathComponent(name), to: cutouts.appendingPathComponent("x-" + name))
        }
        settings.target = .predicted
        #expect(throws: MotionBenchmarkError.self) { try LocalizationEvaluation.run(try TinyMoSIRun.folder(), benchmark: bench, settings: settings) }
    }
}
