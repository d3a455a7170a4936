import KinemaNN

/// One prediction head of a masked autoencoder's decoder: VideoMAE's single Linear (`decoder.head`),
/// or MME's `Linear(d→512) → GELU → Linear(512→C) → Dropout(0) → activation`, one per target
/// (Sun et al. 2023 §3.3: a trajectory head and a HOG head on one shared decoder block).
public struct PredictionHead: Sendable, Hashable {
    /// Values predicted per masked token.
    public var outputs: Int
    /// The hidden width of MME's two-layer head (512); nil for VideoMAE's single Linear.
    public var hidden: Int?
    /// Applied last: identity for pixels; the released MME code squashes HOG with a sigmoid and
    /// trajectories with a tanh.
    public var activation: Activation

    public init(outputs: Int, hidden: Int? = nil, activation: Activation = .identity) {
        self.outputs = outputs
        self.hidden = hidden
        self.activation = activation
    }
}

/// A ``PredictionHead`` with its weights: keys `{path}.weight`/`.bias` for a single Linear,
/// `{path}.0.*` and `{path}.2.*` for the two-layer head (the indices of MME's `nn.Sequential`).
final class PredictionHeadLayer: Module {
    let path: ParameterPath
    let head: PredictionHead
    let linears: [Linear]

    init(_ path: ParameterPath, inFeatures: Int, _ head: PredictionHead) throws(ModuleError) {
        guard head.outputs > 0, (head.hidden ?? 1) > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "a prediction head needs positive outputs and hidden width, got \(head.outputs) and \(head.hidden ?? 0)")
        }
        self.path = path
        self.head = head
        if let hidden = head.hidden {
            linears = [
                try Linear(path / 0, inFeatures: inFeatures, outFeatures: hidden),
                try Linear(path / 2, inFeatures: hidden, outFeatures: head.outputs),
            ]
        } else {
            linears = [try Linear(path, inFeatures: inFeatures, outFeatures: head.outputs)]
        }
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let hidden = linears.dropLast().reduce(x) { y, linear in linear(y).gelu() }
        return head.activation(linears.last!(hidden))
    }
}
