import Foundation
import KinemaMediaTestSupport

/// r3d_18_tiny fine-tuned on 4 × 32 × 32 centre crops of the tiny motion videos (written into
/// `folder`), 6 steps of 6 clips.
func tinyFineTuneConfig(in folder: TemporaryFolder) throws -> URL {
    let data = folder.file("data")
    try TinyMotionVideos.write(to: data)
    let yaml = """
        run: {threads: 2, tensorBoard: false}
        data:
          videos: \(data.appendingPathComponent("videos").path)
          splits: \(data.appendingPathComponent("splits").path)
          frames: 4
          stride: 2
          targetFPS: 0
          cropSize: 32
          decodeShortSide: 36
          testShortSide: 36
          crop: center
          flip: false
          colorJitter: false
          testClips: 2
          batchSize: 6
        model: {name: r3d_18_tiny, dropout: 0, channelsLast: false}
        optim: {learningRate: 0.003, weightDecay: 0, warmupSteps: 0}
        steps: 6
        validateEvery: 3
        """
    let url = folder.file("tiny.yaml")
    try Data(yaml.utf8).write(to: url)
    return url
}
