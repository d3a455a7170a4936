import KinemaTensor

/// Reads values out of an optimizer state dict, collecting every problem instead of stopping at
/// the first, and remembering which keys were used so leftovers can be reported as unexpected.
public struct StateDictReader {
    private let tensors: [String: Tensor]
    private var used: Set<String> = []
    /// What did not fit, one sentence each.
    public private(set) var problems: [String] = []

    public init(_ tensors: [String: Tensor]) {
        self.tensors = tensors
    }

    /// Keys present in the dictionary that nothing has read, sorted.
    public var unusedKeys: [String] { tensors.keys.filter { !used.contains($0) }.sorted() }

    /// Whether any key starts with `prefix`.
    public func contains(prefix: String) -> Bool { tensors.keys.contains { $0.hasPrefix(prefix) } }

    /// Records a problem found by the caller.
    public mutating func record(_ problem: String) { problems.append(problem) }

    /// The tensor under `key` or nil, marking it used; records nothing when it is absent.
    public mutating func optionalTensor(_ key: String) -> Tensor? {
        guard let tensor = tensors[key] else { return nil }
        used.insert(key)
        return tensor
    }

    private mutating func required(_ key: String) -> Tensor? {
        guard let tensor = optionalTensor(key) else {
            record("missing \(key)")
            return nil
        }
        return tensor
    }

    /// A state tensor shaped like `parameter`, copied to its dtype and device (PyTorch casts
    /// floating state to the parameter's dtype on load). `name` names the parameter in problems.
    public mutating func stateTensor(_ key: String, like parameter: Tensor, name: String) -> Tensor? {
        guard let saved = optionalStateTensor(key, like: parameter, name: name) else {
            if tensors[key] == nil { record("missing \(key)") }
            return nil
        }
        return saved
    }

    /// ``stateTensor(_:like:name:)`` for state that may be absent (nil without a problem).
    public mutating func optionalStateTensor(_ key: String, like parameter: Tensor, name: String) -> Tensor? {
        guard let saved = optionalTensor(key) else { return nil }
        guard saved.dtype.isFloatingPoint else {
            record("\(key) has dtype \(saved.dtype), expected a floating-point tensor")
            return nil
        }
        guard saved.shape == parameter.shape else {
            record("\(key) has shape \(saved.shape) but \(name) has shape \(parameter.shape)")
            return nil
        }
        do {
            return try saved.checked.to(parameter.dtype, device: parameter.device, copy: true)
        } catch {
            record("\(key) cannot be moved to \(parameter.device): \(error.message)")
            return nil
        }
    }

    /// A number stored as a one-element tensor of any dtype.
    public mutating func number(_ key: String) -> Double? {
        guard let tensor = required(key) else { return nil }
        guard tensor.count == 1 else {
            record("\(key) should hold one number but has shape \(tensor.shape)")
            return nil
        }
        return tensor.item(Double.self)
    }

    /// A count (a step number) stored as a one-element tensor holding a whole, non-negative number.
    public mutating func count(_ key: String) -> Int? {
        guard let value = number(key) else { return nil }
        guard value >= 0, value.rounded() == value, value < 1e15 else {
            record("\(key) should be a whole non-negative number but is \(value)")
            return nil
        }
        return Int(value)
    }

    /// `count` numbers stored as a one-dimensional tensor (PyTorch's `betas`).
    public mutating func numbers(_ key: String, count: Int) -> [Double]? {
        guard let tensor = required(key) else { return nil }
        guard tensor.shape == [count] else {
            record("\(key) should hold \(count) numbers but has shape \(tensor.shape)")
            return nil
        }
        return tensor.array(of: Double.self)
    }

    /// Whole numbers stored as a one-dimensional integer tensor (a group's `params` indices).
    public mutating func integers(_ key: String) -> [Int]? {
        guard let tensor = required(key) else { return nil }
        guard tensor.rank == 1, !tensor.dtype.isFloatingPoint, tensor.dtype != .bool else {
            record("\(key) should be a one-dimensional integer tensor but is \(tensor.summary)")
            return nil
        }
        return tensor.array(of: Int.self)
    }

    /// A flag stored as a one-element bool tensor (0/1 numbers are accepted too).
    public mutating func flag(_ key: String) -> Bool? {
        guard let value = number(key) else { return nil }
        guard value == 0 || value == 1 else {
            record("\(key) should be true or false but is \(value)")
            return nil
        }
        return value == 1
    }
}

/// Builders for the scalar tensors of a state dict.
extension Tensor {
    /// A float64 scalar (hyper-parameters keep every bit of a Swift `Double`).
    static func hyperparameter(_ value: Double) -> Tensor { Tensor(scalar: value) }
    /// A bool scalar.
    static func hyperparameter(_ value: Bool) -> Tensor { Tensor(scalar: value) }
}
