/// A position in a ``ParameterStore``: the module prefix that layers built here register under.
///
/// Build paths with `/`, as in tch-rs (`vs.root() / "layer1"`); integers name the children of a
/// ``Sequential`` (`"0"`, `"1"`, …), and a string with dots adds several components:
///
/// ```swift
/// let p = store.root / "layer1" / 0 / "conv1"     // "layer1.0.conv1"
/// let conv = try Conv2d(p, inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, bias: false)
/// // registers "layer1.0.conv1.weight"
/// ```
///
/// A path also answers for everything registered under it: its parameters, buffers and state
/// dict, with names relative to the path (as `module.state_dict()` is relative to the module).
public struct ParameterPath: CustomStringConvertible {
    public let store: ParameterStore
    /// The components, e.g. `["layer1", "0", "conv1"]`; empty for the root.
    public let components: [String]

    init(store: ParameterStore, components: [String]) {
        self.store = store
        self.components = components
    }

    /// The dotted prefix, e.g. "layer1.0.conv1" ("" for the root).
    public var name: String { components.joined(separator: ".") }

    public var description: String { components.isEmpty ? "<root>" : name }

    /// The child path `component` (dots split it into several components).
    public static func / (path: ParameterPath, component: String) -> ParameterPath {
        let parts = component.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        precondition(
            !parts.contains(where: \.isEmpty),
            "parameter path component '\(component)' under '\(path)' has an empty part")
        return ParameterPath(store: path.store, components: path.components + parts)
    }

    /// The child path named by an index, like the children of `nn.Sequential`.
    public static func / (path: ParameterPath, index: Int) -> ParameterPath {
        precondition(index >= 0, "a Sequential index must not be negative, got \(index)")
        return path / String(index)
    }

    /// The full name of the tensor `leaf` under this path.
    public func key(_ leaf: String) -> String {
        components.isEmpty ? leaf : name + "." + leaf
    }

    /// Whether the full name `key` lies under this path.
    func contains(_ key: String) -> Bool {
        components.isEmpty || key.hasPrefix(name + ".")
    }

    /// `key` relative to this path.
    private func relative(_ key: String) -> String {
        components.isEmpty ? key : String(key.dropFirst(name.count + 1))
    }

    // MARK: - Registering tensors

    /// Registers `value` as the learnable parameter `name` under this path and returns it: a leaf
    /// tensor (cut from any graph) that requires gradients. Parameters are floating point.
    @discardableResult
    public func parameter(_ name: String, _ value: Tensor) throws(ModuleError) -> Tensor {
        guard value.dtype.isFloatingPoint else {
            throw ModuleError(
                .invalidConfiguration, path: key(name),
                "parameter '\(key(name))' must be floating point, got \(value.summary)")
        }
        let tensor = value.detached().requiringGrad()
        try store.register(key(name), tensor, kind: .parameter)
        return tensor
    }

    /// Registers a zero-filled parameter of `shape` in the store's dtype and on its device, for the
    /// caller to initialise (see ``Init``).
    @discardableResult
    public func parameter(_ name: String, shape: [Int]) throws(ModuleError) -> Tensor {
        try parameter(name, Tensor.zeros(shape, dtype: store.dtype, device: store.device))
    }

    /// Registers `value` as the buffer `name` under this path (state that is saved and loaded but
    /// not learned, like BatchNorm's running statistics) and returns it.
    @discardableResult
    public func buffer(_ name: String, _ value: Tensor) throws(ModuleError) -> Tensor {
        let tensor = value.detached()
        try store.register(key(name), tensor, kind: .buffer)
        return tensor
    }

    // MARK: - What lies under this path

    /// Registered tensors under this path, in registration order, with relative names.
    public func entries(_ kind: ParameterStore.Kind? = nil) -> [(name: String, tensor: Tensor)] {
        store.entries.filter { contains($0.name) && (kind == nil || $0.kind == kind) }
            .map { (name: relative($0.name), tensor: $0.tensor) }
    }

    /// Parameters (frozen ones included) with relative names (`named_parameters()`).
    public func namedParameters() -> [(name: String, tensor: Tensor)] { entries(.parameter) }

    /// Parameters that currently require gradients: what an optimizer should update.
    public func trainableParameters() -> [(name: String, tensor: Tensor)] {
        namedParameters().filter { $0.tensor.requiresGrad }
    }

    /// Buffers with relative names (`named_buffers()`).
    public func namedBuffers() -> [(name: String, tensor: Tensor)] { entries(.buffer) }

    /// Number of parameter elements (frozen ones included).
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.tensor.count } }

    /// Parameters and buffers by relative name, detached views sharing memory with the model
    /// (`state_dict()`): save them with `Safetensors.save`.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: entries().map { ($0.name, $0.tensor.detached()) })
    }

    /// Stops gradients for every parameter under this path (`requires_grad_(False)`).
    public func freeze() { setTrainable(false) }

    /// Lets every parameter under this path receive gradients again.
    public func unfreeze() { setTrainable(true) }

    private func setTrainable(_ flag: Bool) {
        for (_, tensor) in namedParameters() { tensor.requiresGrad = flag }
    }
}
