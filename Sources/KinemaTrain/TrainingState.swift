import Foundation
import KinemaNN
import KinemaOptim
import KinemaTensor

/// Everything a training loop changes that a checkpoint must hold for a resumed run to continue
/// exactly: the model's state dict, the optimizer's state and the libtorch generators the run
/// draws from (dropout masks, random initialisation). Step-indexed randomness
/// (`SeededGenerator(seed:index:)` for data sampling) needs no state: the step is enough.
public struct TrainingState {
    /// The model (one module holding every trained tensor: backbone, heads, EMA copies).
    public var model: any Module
    public var optimizer: any Optimizer
    /// libtorch generators by name, saved as `extra.rng.<name>` in the checkpoint.
    public var generators: [String: Generator]
    /// What the model is, for the checkpoint's self-description.
    public var modelDescription: String

    public init(model: any Module, optimizer: any Optimizer, generators: [String: Generator] = [:], modelDescription: String = "") {
        self.model = model
        self.optimizer = optimizer
        self.generators = generators
        self.modelDescription = modelDescription
    }

    static let generatorPrefix = "rng."
    static let scalerPrefix = "amp."

    /// A checkpoint of the state after `step` steps, with the fp16 loss scaler's state when there is one.
    func checkpoint(step: Int, metadata: [String: String], scaler: GradScaler?) throws -> Checkpoint {
        var extra: [String: Tensor] = [:]
        for (name, generator) in generators { extra[Self.generatorPrefix + name] = try generator.state }
        for (name, tensor) in scaler?.stateTensors() ?? [:] { extra[Self.scalerPrefix + name] = tensor }
        return Checkpoint(
            step: step, model: model.stateDict(), optimizer: optimizer, extra: extra, modelDescription: modelDescription,
            metadata: metadata)
    }

    /// Loads a checkpoint into the model (strictly), the optimizer, the generators and the loss
    /// scaler; every mismatch is reported together. A checkpoint of a run without loss scaling
    /// (fp32, bf16) resumed in fp16 starts the scale afresh, as a new run would.
    func restore(from checkpoint: Checkpoint, source: URL, scaler: GradScaler?) throws(TrainingRunError) {
        var problems: [String] = []
        do {
            try model.loadStateDict(checkpoint.model)
        } catch {
            problems.append("model: \(error)")
        }
        do {
            try optimizer.loadStateDict(checkpoint.optimizer)
        } catch {
            problems.append("optimizer: \(error)")
        }
        let saved = Set(checkpoint.extra.keys.filter { $0.hasPrefix(Self.generatorPrefix) }.map { String($0.dropFirst(Self.generatorPrefix.count)) })
        for name in Set(generators.keys).subtracting(saved).sorted() {
            problems.append("it holds no state for the random generator '\(name)'")
        }
        for name in saved.subtracting(generators.keys).sorted() {
            problems.append("it holds the state of a random generator '\(name)' that this trainer does not have")
        }
        for (name, generator) in generators.sorted(by: { $0.key < $1.key }) {
            guard let state = checkpoint.extra[Self.generatorPrefix + name] else { continue }
            do {
                try generator.setState(state)
            } catch {
                problems.append("random generator '\(name)': \(error)")
            }
        }
        let scalerState = checkpoint.extra.filter { $0.key.hasPrefix(Self.scalerPrefix) }
        if let scaler, !scalerState.isEmpty {
            do {
                try scaler.load(Dictionary(uniqueKeysWithValues: scalerState.map { (String($0.key.dropFirst(Self.scalerPrefix.count)), $0.value) }))
            } catch {
                problems.append("loss scaler: \(error)")
            }
        }
        guard problems.isEmpty else {
            throw TrainingRunError("cannot resume from \(source.path):\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
    }

    /// The name of the first floating-point tensor of the model that holds inf or NaN (nil: all
    /// finite). Reads one number per tensor back from the device.
    func nonFiniteParameter() -> String? {
        model.stateDict().sorted { $0.key < $1.key }.first { _, tensor in
            tensor.dtype.isFloatingPoint && !tensor.isFinite().all().item(Bool.self)
        }?.key
    }
}
