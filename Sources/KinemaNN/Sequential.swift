/// `nn.Sequential`: layers applied in order, the `i`-th registered under `path / i` so that the
/// state-dict keys are PyTorch's (`features.0.weight`, `features.1.running_mean`).
///
/// ```swift
/// let p = store.root / "stem"
/// let stem = try Sequential(p, [
///     try Conv2d(p / 0, inChannels: 3, outChannels: 16, kernelSize: 3, padding: 1, bias: false),
///     try BatchNorm2d(p / 1, features: 16),
///     Activation.relu,                           // index 2, no parameters
/// ])
/// let y = stem(x, mode: .train)
/// ```
///
/// Construction checks that every child with parameters lives at its index, so a misnumbered
/// child is an error instead of a checkpoint that silently fails to load.
public final class Sequential: Layer, Module {
    public let path: ParameterPath
    public let layers: [any Layer]

    public init(_ path: ParameterPath, _ layers: [any Layer]) throws(ModuleError) {
        for (index, layer) in layers.enumerated() {
            guard let module = layer as? any Module else { continue }
            let expected = path / index
            guard module.path.store === path.store, module.path.components == expected.components else {
                throw ModuleError(
                    .nameConflict, path: module.path.name,
                    "Sequential at '\(path)': child \(index) must be built at '\(expected)', not '\(module.path)'")
            }
        }
        self.path = path
        self.layers = layers
    }

    public var count: Int { layers.count }

    public subscript(index: Int) -> any Layer { layers[index] }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        layers.reduce(input) { x, layer in layer(x, mode: mode) }
    }
}
