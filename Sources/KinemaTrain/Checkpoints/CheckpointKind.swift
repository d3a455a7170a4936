import Foundation
import KinemaOptim

/// What a path given as a checkpoint holds, told from the path alone (and a safetensors file's
/// header, without reading its tensors): the one place that decides which loader reads it.
enum CheckpointKind: Equatable {
    /// A Kinema run folder or a checkpoint a Kinema run wrote (``PretrainedBackbone``).
    case kinema
    /// A folder with transformers' config.json.
    case huggingFaceFolder
    /// A safetensors file that is not a Kinema checkpoint: converted VideoMAE/MME weights.
    case weightsFile

    /// Throws naming the path when nothing is there or a file is not safetensors.
    init(of url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw TrainingRunError("no checkpoint, run folder or transformers folder at \(url.path)")
        }
        if isFolder.boolValue {
            // A Kinema run writes config.yaml; transformers' save_pretrained config.json.
            let hasConfig = FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path)
            self = hasConfig ? .huggingFaceFolder : .kinema
            return
        }
        try Self.refusePickle(url)
        self = try Self.metadata(of: url)["format"] == Checkpoint.formatName ? .kinema : .weightsFile
    }

    /// Throws, with the command that converts it, when `url` names a pickled PyTorch file (`.pth`,
    /// `.pt`, `.bin`): Kinema never unpickles, since unpickling can run code the file carries.
    static func refusePickle(_ url: URL) throws {
        guard ["pth", "pt", "bin"].contains(url.pathExtension) else { return }
        throw TrainingRunError(
            "\(url.path) is a pickled PyTorch file, which Kinema does not unpickle: convert it first with "
                + "`python3 Tools/convert/pth_to_safetensors.py \(url.path)` (torch only, torch.load(weights_only=True): "
                + "no code in the file runs), then give the .safetensors file it writes")
    }

    /// The `__metadata__` of a safetensors file, from its header alone (a checkpoint of a large
    /// model is read once, by the loader that fits it).
    static func metadata(of url: URL) throws -> [String: String] {
        let notSafetensors = TrainingRunError(
            "\(url.path) is not a safetensors file (nor a run folder or transformers folder); a .pth converts with "
                + "Tools/convert/pth_to_safetensors.py")
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw TrainingRunError("\(url.path) cannot be read") }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else { throw notSafetensors }
        let length = prefix.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= 100_000_000, let header = try? handle.read(upToCount: Int(length)), header.count == Int(length),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { throw notSafetensors }
        return object["__metadata__"] as? [String: String] ?? [:]
    }
}
