import Foundation
import KinemaTensor

/// A training checkpoint: model weights, optimizer state, position in training and a
/// description, in ONE safetensors file written atomically (``Safetensors/save(_:to:)`` writes a
/// temporary file in the same folder, fsyncs it and renames it over the target).
///
/// File layout (all of it readable by `safetensors.torch.load_file`):
///
///     model.<state_dict key>      the model's tensors, PyTorch state-dict keys after the prefix
///     optimizer.<key>             ``Optimizer/stateDict()`` (state.<i>.exp_avg, param_groups.<g>.lr, …)
///     extra.<key>                 anything else the trainer needs to resume (RNG states, EMA weights)
///     __metadata__                format, format_version, step, epoch, model (description) and
///                                 the trainer's own string entries
///
/// In PyTorch the model part loads strictly after stripping the prefix:
///
/// ```python
/// tensors = safetensors.torch.load_file("checkpoint.safetensors")
/// model.load_state_dict({k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}, strict=True)
/// ```
///
/// One file keeps weights and optimizer state from ever disagreeing after a crash, which a set
/// of files renamed one by one could not promise. `Tools/fixtures/check_checkpoint_python.py`
/// checks a Kinema checkpoint in PyTorch.
///
/// Resuming:
///
/// ```swift
/// try Checkpoint(step: step, epoch: epoch, model: model.stateDict(), optimizer: optimizer,
///                modelDescription: config.description).save(to: url)
/// // … later, in a new process:
/// let checkpoint = try Checkpoint.load(url)
/// try model.loadStateDict(checkpoint.model)          // copies into the tensors the optimizer holds
/// try optimizer.loadStateDict(checkpoint.optimizer)
/// // continue at checkpoint.step (schedules are functions of the step)
/// ```
public struct Checkpoint {
    /// The layout version this build writes and reads.
    public static let formatVersion = 1
    /// The `format` metadata value that marks a Kinema checkpoint.
    public static let formatName = "kinema.checkpoint"

    /// Optimizer steps taken so far (the step to resume at).
    public var step: Int
    /// Completed epochs.
    public var epoch: Int
    /// The model's state dict (PyTorch keys).
    public var model: [String: Tensor]
    /// The optimizer's ``Optimizer/stateDict()``.
    public var optimizer: [String: Tensor]
    /// Further tensors the trainer saves (random-generator states, EMA weights, …).
    public var extra: [String: Tensor]
    /// What the model is (its configuration as text), so a checkpoint describes itself.
    public var modelDescription: String
    /// The trainer's own entries (run name, git revision, metrics); keys must not be reserved.
    public var metadata: [String: String]

    /// Metadata keys the checkpoint itself uses.
    public static let reservedMetadataKeys: Set<String> = ["format", "format_version", "step", "epoch", "model"]

    public init(
        step: Int, epoch: Int = 0, model: [String: Tensor], optimizer: [String: Tensor] = [:],
        extra: [String: Tensor] = [:], modelDescription: String = "", metadata: [String: String] = [:]
    ) {
        self.step = step
        self.epoch = epoch
        self.model = model
        self.optimizer = optimizer
        self.extra = extra
        self.modelDescription = modelDescription
        self.metadata = metadata
    }

    /// A checkpoint holding `optimizer`'s current state.
    public init(
        step: Int, epoch: Int = 0, model: [String: Tensor], optimizer: some Optimizer,
        extra: [String: Tensor] = [:], modelDescription: String = "", metadata: [String: String] = [:]
    ) {
        self.init(
            step: step, epoch: epoch, model: model, optimizer: optimizer.stateDict(), extra: extra,
            modelDescription: modelDescription, metadata: metadata)
    }

    /// Writes the checkpoint to `url` atomically (creating its folder), replacing any file there.
    public func save(to url: URL) throws(CheckpointError) {
        guard step >= 0, epoch >= 0 else {
            throw CheckpointError(url, "cannot be written: step (\(step)) and epoch (\(epoch)) must be ≥ 0")
        }
        let clashes = metadata.keys.filter { Self.reservedMetadataKeys.contains($0) }.sorted()
        guard clashes.isEmpty else {
            throw CheckpointError(url, "cannot be written: metadata keys \(clashes) are reserved for the checkpoint itself")
        }
        var contents = Safetensors.Contents()
        for (section, tensors) in [(Section.model, model), (.optimizer, optimizer), (.extra, extra)] {
            for (name, tensor) in tensors { contents.tensors[section.prefix + name] = tensor }
        }
        contents.metadata = metadata.merging([
            "format": Self.formatName, "format_version": String(Self.formatVersion),
            "step": String(step), "epoch": String(epoch), "model": modelDescription,
        ]) { _, own in own }
        do {
            try Safetensors.save(contents, to: url)
        } catch {
            throw CheckpointError(url, error.reason)
        }
    }

    /// Reads a checkpoint. A missing, truncated or corrupt file, a file that is not a Kinema
    /// checkpoint, or one of another format version throws a ``CheckpointError`` naming it.
    public static func load(_ url: URL) throws(CheckpointError) -> Checkpoint {
        let contents: Safetensors.Contents
        do {
            contents = try Safetensors.load(url)
        } catch {
            throw CheckpointError(url, error.reason)
        }
        return try interpret(contents, source: url)
    }

    /// Reads a checkpoint from the bytes of a file; `source` names it in errors.
    public static func decode(_ data: Data, source: URL) throws(CheckpointError) -> Checkpoint {
        let contents: Safetensors.Contents
        do {
            contents = try Safetensors.decode(data, source: source)
        } catch {
            throw CheckpointError(source, error.reason)
        }
        return try interpret(contents, source: source)
    }

    /// The checkpoint in a safetensors file's contents, checked for format, version and sections.
    private static func interpret(_ contents: Safetensors.Contents, source url: URL) throws(CheckpointError) -> Checkpoint {
        let meta = contents.metadata
        guard meta["format"] == formatName else {
            throw CheckpointError(
                url, "is not a Kinema checkpoint (its metadata has no format \"\(formatName)\"); "
                    + "plain weights load with Safetensors.load")
        }
        guard let version = meta["format_version"].flatMap({ Int($0) }) else {
            throw CheckpointError(url, "has no readable format_version (corrupt metadata?)")
        }
        guard version == formatVersion else {
            let advice = version > formatVersion ? "update Kinema to read it" : "it predates this build's format"
            throw CheckpointError(
                url, "is checkpoint format version \(version), but this build of Kinema reads version \(formatVersion); \(advice)")
        }
        guard let step = meta["step"].flatMap({ Int($0) }), step >= 0,
            let epoch = meta["epoch"].flatMap({ Int($0) }), epoch >= 0
        else {
            throw CheckpointError(url, "has no readable step or epoch in its metadata (corrupt metadata?)")
        }
        var sections: [Section: [String: Tensor]] = [:]
        for (name, tensor) in contents.tensors {
            guard let section = Section.allCases.first(where: { name.hasPrefix($0.prefix) }) else {
                throw CheckpointError(url, "holds tensor '\(name)' outside the model./optimizer./extra. sections (corrupt?)")
            }
            sections[section, default: [:]][String(name.dropFirst(section.prefix.count))] = tensor
        }
        return Checkpoint(
            step: step, epoch: epoch, model: sections[.model] ?? [:], optimizer: sections[.optimizer] ?? [:],
            extra: sections[.extra] ?? [:], modelDescription: meta["model"] ?? "",
            metadata: meta.filter { !reservedMetadataKeys.contains($0.key) })
    }

    private enum Section: CaseIterable {
        case model, optimizer, extra

        var prefix: String {
            switch self {
            case .model: "model."
            case .optimizer: "optimizer."
            case .extra: "extra."
            }
        }
    }
}

/// A checkpoint that cannot be read or written: which file and why.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    init(_ url: URL, _ reason: String) {
        self.path = url.path
        self.reason = reason
    }

    public var description: String { "checkpoint \(path) \(reason)" }
}
