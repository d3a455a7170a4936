internal import CKinemaTorch

/// An ATen operator, found once by name in libtorch's dispatcher (e.g. `aten::conv3d`).
///
/// Every tensor operation in Kinema is a call of one of these through libtorch's boxed calling
/// convention, so the maths (and autograd) is libtorch's own. The table of operators lives in
/// `Ops.swift`; modules above `KinemaTensor` may add their own with `package` access.
package struct TorchOp: @unchecked Sendable {
    package let name: String
    let handle: OpaquePointer

    package init(_ name: String, _ overload: String = "") {
        var found: OpaquePointer?
        let status = kt_op_find(name, overload, &found)
        guard status == 0, let found else {
            // Operator names are constants in our source: a miss is a programmer error.
            trap(lastTorchError(status: status, op: name))
        }
        self.name = overload.isEmpty ? name : "\(name).\(overload)"
        self.handle = found
    }

    /// The operator's schema, as libtorch prints it.
    package var schema: String {
        var text: UnsafeMutablePointer<CChar>?
        guard kt_op_schema(handle, &text) == 0, let text else { return name }
        defer { kt_string_free(text) }
        return String(cString: text)
    }
}

/// One argument of an operator call, in schema order (public only so ``TensorScalar`` can name it).
public enum TorchArgument {
    case tensor(Tensor)
    case optionalTensor(Tensor?)
    case none
    /// Use the schema's default for this position.
    case useDefault
    case int(Int)
    case double(Double)
    case bool(Bool)
    case ints([Int])
    case doubles([Double])
    case bools([Bool])
    case tensors([Tensor])
    case optionalTensors([Tensor?])
    case string(String)
    case device(Device)
    case dtype(DType?)
    case generator(Generator?)

    @inline(__always)
    func push() {
        switch self {
        case .tensor(let t): kt_arg_tensor(t.handle)
        case .optionalTensor(let t): kt_arg_tensor(t?.handle)
        case .none: kt_arg_none()
        case .useDefault: kt_arg_default()
        case .int(let v): kt_arg_int(Int64(v))
        case .double(let v): kt_arg_double(v)
        case .bool(let v): kt_arg_bool(v)
        case .ints(let v):
            v.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: Int64.self) { kt_arg_ints($0.baseAddress, Int64($0.count)) }
            }
        case .doubles(let v): v.withUnsafeBufferPointer { kt_arg_doubles($0.baseAddress, Int64($0.count)) }
        case .bools(let v): v.withUnsafeBufferPointer { kt_arg_bools($0.baseAddress, Int64($0.count)) }
        case .tensors(let ts):
            let handles: [OpaquePointer?] = ts.map { $0.handle }
            handles.withUnsafeBufferPointer { kt_arg_tensors($0.baseAddress, Int64($0.count)) }
        case .optionalTensors(let ts):
            let handles: [OpaquePointer?] = ts.map { $0?.handle }
            handles.withUnsafeBufferPointer { kt_arg_optional_tensors($0.baseAddress, Int64($0.count)) }
        case .string(let s): kt_arg_string(s)
        case .device(let d): kt_arg_device(d.kind.rawValue, Int32(d.index))
        case .dtype(let d):
            if let d { kt_arg_dtype(d.rawValue) } else { kt_arg_none() }
        case .generator(let g): kt_arg_generator(g?.handle)
        }
    }

    /// "Tensor[2, 3] float32 cpu" for tensors, for error messages.
    var operandDescription: String? {
        switch self {
        case .tensor(let t): t.summary
        case .optionalTensor(let t): t?.summary
        case .tensors(let ts): "[" + ts.map(\.summary).joined(separator: ", ") + "]"
        default: nil
        }
    }
}

/// The results of one call; read them before the next call on this thread.
package struct TorchResults {
    package let count: Int
    let op: String

    /// Result `i`; nil when the op returned an undefined tensor or None (optional outputs).
    package func tensor(_ i: Int) throws(TorchError) -> Tensor? {
        var out: OpaquePointer?
        try check(kt_result_tensor(Int32(i), &out), op)
        return out.map(Tensor.init(owning:))
    }

    /// Result `i`, which the op's contract says is defined; throws when it is not.
    package func definedTensor(_ i: Int) throws(TorchError) -> Tensor {
        guard let tensor = try tensor(i) else {
            throw TorchError(code: .value, op: op, message: "returned an undefined tensor as result \(i)")
        }
        return tensor
    }

    /// Result `i`, a list of defined tensors (`split`, `unbind`, …); throws when an entry is undefined.
    package func tensors(_ i: Int) throws(TorchError) -> [Tensor] {
        var count: Int64 = 0
        try check(kt_result_tensors(Int32(i), nil, 0, &count), op)
        var handles = [OpaquePointer?](repeating: nil, count: Int(count))
        try check(kt_result_tensors(Int32(i), &handles, count, &count), op)
        // Own every handle first, so none leaks when one is undefined.
        let tensors = handles.map { $0.map(Tensor.init(owning:)) }
        guard let position = tensors.firstIndex(where: { $0 == nil }) else { return tensors.map { $0! } }
        throw TorchError(code: .value, op: op, message: "returned an undefined tensor at position \(position) of result \(i)")
    }

    package func int(_ i: Int) throws(TorchError) -> Int {
        var out: Int64 = 0
        try check(kt_result_int(Int32(i), &out), op)
        return Int(out)
    }

    package func double(_ i: Int) throws(TorchError) -> Double {
        var out = 0.0
        try check(kt_result_double(Int32(i), &out), op)
        return out
    }

    package func bool(_ i: Int) throws(TorchError) -> Bool {
        var out = false
        try check(kt_result_bool(Int32(i), &out), op)
        return out
    }
}

extension TorchOp {
    @inline(__always)
    private func pushAll(_ arguments: [TorchArgument]) {
        kt_args_begin()
        for a in arguments { a.push() }
    }

    private func failure(_ status: Int32, _ arguments: [TorchArgument]) -> TorchError {
        lastTorchError(status: status, op: name, operands: arguments.compactMap(\.operandDescription))
    }

    /// Calls the operator; its first result is a tensor (the common case).
    @inline(__always)
    package func call(_ arguments: TorchArgument...) throws(TorchError) -> Tensor {
        try call(arguments: arguments)
    }

    /// Calls the operator with an argument array; its first result is a tensor.
    package func call(arguments: [TorchArgument]) throws(TorchError) -> Tensor {
        pushAll(arguments)
        var out: OpaquePointer?
        let status = kt_call_tensor(handle, &out)
        guard status == 0 else { throw failure(status, arguments) }
        guard let out else { throw TorchError(code: .value, op: name, message: "returned no tensor") }
        return Tensor(owning: out)
    }

    /// Calls the operator and hands its results to `read` (multiple outputs, lists, numbers).
    package func call<R>(
        _ arguments: TorchArgument..., read: (TorchResults) throws(TorchError) -> R
    ) throws(TorchError) -> R {
        try call(arguments: arguments, read: read)
    }

    /// Calls the operator with an argument array and hands its results to `read`.
    package func call<R>(
        arguments: [TorchArgument], read: (TorchResults) throws(TorchError) -> R
    ) throws(TorchError) -> R {
        pushAll(arguments)
        var count: Int32 = 0
        let status = kt_call(handle, &count)
        guard status == 0 else { throw failure(status, arguments) }
        // The result stack would otherwise keep the results (and their graph) alive until the next call.
        defer { kt_results_clear() }
        return try read(TorchResults(count: Int(count), op: name))
    }
}

/// Runs a throwing tensor expression and traps on failure: the non-throwing surface's policy. The
/// trapping methods pass their caller's `#fileID` and `#line`, so the message points at the model
/// code that made the mistake rather than at Kinema.
/// (Closures do not infer typed throws, so the body's error is untyped; only TorchError occurs.)
@inline(__always)
package func orTrap<R>(file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> R) -> R {
    do {
        return try body()
    } catch let error as TorchError {
        trap(error, file: file, line: line)
    } catch {
        fatalError("\(error)", file: file, line: line)
    }
}
