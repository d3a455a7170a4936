import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaVideo

/// A trained CGM-Net as a row of its own Table 1 (Tian et al., ECCV 2020, §4.1): the clip's `T`
/// frames in, motion map t applied to frame t by Eq. 1 for each seen frame t + 1, and the last
/// map, which predicts the frame after the clip, for `next`.
public final class CGMNetReconstructor: MotionReconstructor {
    public let name: String
    public let model: CGMNet
    private let input: ClipInput

    /// The network of a `kinema cgm pretrain` run folder or checkpoint, loaded strictly.
    public init(run url: URL, name: String = "cgm-net", device: Device = .cpu) throws {
        guard let file = RunFolder(url).latestCheckpoint() ?? (FileManager.default.fileExists(atPath: url.path) ? url : nil) else {
            throw TrainingRunError("no CGM-Net run or checkpoint at \(url.path)")
        }
        let checkpoint = try Checkpoint.load(file)
        guard let json = checkpoint.metadata["config"] else {
            throw TrainingRunError("\(file.path) holds no run config (was it written by `kinema cgm pretrain`?)")
        }
        let config: CGMPretrainConfig
        do { config = try CGMPretrainConfig.resolve(layers: [(text: json, source: file.path)]) } catch {
            throw TrainingRunError("\(file.path) is not a checkpoint of `kinema cgm pretrain`: \(error)")
        }
        let store = ParameterStore(device: device)
        model = try CGMNet(store.root, config.model)
        try model.loadStateDict(try checkpoint.model.mapValues { tensor throws(TorchError) in try tensor.to(device) })
        self.name = name
        input = ClipInput(normalization: .symmetric, device: device)
    }

    public func reconstruct(clip: [Image]) throws -> MotionReconstruction {
        let shape = ClipShape(frames: clip.count, height: clip[0].height, width: clip[0].width)
        if let problem = model.configuration.problem(with: shape) { throw TrainingRunError("\(name): \(problem)") }
        let frames = try withNoGrad { () throws -> [Image] in
            let x = try input.tensor([clip])
            let made = model(x, mode: .eval).reconstructions(of: x)  // frames 1…T
            let bytes = ((made + 1) * 127.5).clamped(min: 0, max: 255).rounded().to(.uint8).permuted([0, 2, 3, 4, 1]).contiguous()
                .array(of: UInt8.self)
            let size = shape.height * shape.width * 3
            return (0..<clip.count).map { t in
                Image(width: shape.width, height: shape.height, format: .rgb, pixels: Array(bytes[(t * size)..<((t + 1) * size)]))
            }
        }
        return MotionReconstruction(seen: Array(frames.dropLast()), next: frames[frames.count - 1])
    }
}
