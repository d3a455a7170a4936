/// The parameters and buffers of a model, by name: the one place a model's state lives.
///
/// Names are PyTorch `state_dict` keys (`layer1.0.conv1.weight`, `bn1.running_mean`), so
/// checkpoints move between Kinema and PyTorch without renaming. Layers register their tensors
/// through a ``ParameterPath`` made from ``root``; every layer keeps references to the tensors it
/// registered, and loading a state dict copies values *into* those tensors, so optimizers and
/// layers keep seeing the same objects (as with `load_state_dict` in PyTorch).
///
/// ```swift
/// let store = ParameterStore()
/// let fc = try Linear(store.root / "head" / "fc", inFeatures: 512, outFeatures: 101)
/// fc.weight                          // registered as "head.fc.weight"
/// store.root.stateDict().keys        // ["head.fc.weight", "head.fc.bias"]
/// ```
///
/// Registering a name twice, or a name that is also a module prefix of another (`fc` and
/// `fc.weight`), is a ``ModuleError`` — never a silent rename.
///
/// New tensors are made with the store's `dtype` on its `device`, and drawn from its `generator`;
/// without one, from libtorch's default generator, so `Engine.seed(s)` followed by building a
/// model reproduces PyTorch's default initialisation after `torch.manual_seed(s)` (same layer
/// order, same shapes).
public final class ParameterStore {
    /// Whether a tensor is learned (a parameter) or state that is not (a buffer, e.g. BatchNorm's
    /// running statistics).
    public enum Kind: Sendable, Hashable {
        case parameter, buffer
    }

    /// One registered tensor under its full name.
    public struct Entry {
        public let name: String
        public let tensor: Tensor
        public let kind: Kind
    }

    public let device: Device
    public let dtype: DType
    /// Draws every initial value; nil uses libtorch's default generator.
    public let generator: Generator?
    /// When set, every ``BatchNorm`` of the model normalises training batches with the statistics
    /// of the whole global batch, summed over this group's ranks (PyTorch's SyncBatchNorm); see
    /// ``BatchNorm``.
    public var batchNormGroup: ProcessGroup?

    /// Registration order (PyTorch lists state dicts in module-definition order too).
    private var ordered: [Entry] = []
    private var positions: [String: Int] = [:]
    /// Every proper dotted prefix of a registered name ("layer1", "layer1.0", …).
    private var modulePrefixes: Set<String> = []

    public init(device: Device = .cpu, dtype: DType = .float32, generator: Generator? = nil) {
        self.device = device
        self.dtype = dtype
        self.generator = generator
    }

    /// The path of the whole model (no prefix).
    public var root: ParameterPath { ParameterPath(store: self, components: []) }

    /// All entries in registration order.
    public var entries: [Entry] { ordered }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? {
        positions[name].map { ordered[$0] }
    }

    /// Adds a tensor under `name`; throws on a collision.
    func register(_ name: String, _ tensor: Tensor, kind: Kind) throws(ModuleError) {
        if positions[name] != nil {
            throw ModuleError(.duplicateName, path: name, "'\(name)' is already registered")
        }
        if modulePrefixes.contains(name) {
            let other = ordered.first { $0.name.hasPrefix(name + ".") }?.name ?? name + ".*"
            throw ModuleError(.nameConflict, path: name, "'\(name)' is already a module holding '\(other)'")
        }
        let prefixes = Self.prefixes(of: name)
        if let clash = prefixes.first(where: { positions[$0] != nil }) {
            throw ModuleError(.nameConflict, path: name, "'\(clash)' is a tensor, so '\(name)' cannot live under it")
        }
        positions[name] = ordered.count
        ordered.append(Entry(name: name, tensor: tensor, kind: kind))
        modulePrefixes.formUnion(prefixes)
    }

    /// Removes every entry under `path` (to replace a classifier head, say); the layers built
    /// there keep their tensors but are no longer part of the model's state.
    public func removeAll(under path: ParameterPath) {
        precondition(path.store === self, "removeAll(under:) got a path of another store")
        ordered.removeAll { path.contains($0.name) }
        positions = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.name, $0) })
        modulePrefixes = Set(ordered.flatMap { Self.prefixes(of: $0.name) })
    }

    /// "a.b.c" → ["a", "a.b"].
    private static func prefixes(of name: String) -> [String] {
        let parts = name.split(separator: ".")
        return (1..<max(parts.count, 1)).map { parts[0..<$0].joined(separator: ".") }
    }
}

@available(*, unavailable, message: "ParameterStore holds tensors, which are not thread-safe")
extension ParameterStore: @unchecked Sendable {}

/// A model cannot be built as asked: a name collision in the ``ParameterStore`` or a layer
/// configuration PyTorch would also reject (say, channels not divisible by groups).
public struct ModuleError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The same full name was registered twice.
        case duplicateName
        /// A tensor name is also a module prefix of another name.
        case nameConflict
        /// A layer's arguments are inconsistent.
        case invalidConfiguration
    }

    public let kind: Kind
    /// The full name or module path concerned.
    public let path: String
    public let message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
