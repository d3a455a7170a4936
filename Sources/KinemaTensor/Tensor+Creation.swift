internal import CKinemaTorch

extension TorchOp {
    static let zeros = TorchOp("aten::zeros")
    static let ones = TorchOp("aten::ones")
    static let full = TorchOp("aten::full")
    static let empty = TorchOp("aten::empty", "memory_format")
    static let arangeStartStep = TorchOp("aten::arange", "start_step")
    static let linspace = TorchOp("aten::linspace")
    static let eyeM = TorchOp("aten::eye", "m")
    static let randGenerator = TorchOp("aten::rand", "generator")
    static let randnGenerator = TorchOp("aten::randn", "generator")
    static let randintLowGenerator = TorchOp("aten::randint", "low_generator")
    static let randpermGenerator = TorchOp("aten::randperm", "generator")
    static let zerosLike = TorchOp("aten::zeros_like")
    static let onesLike = TorchOp("aten::ones_like")
    static let fullLike = TorchOp("aten::full_like")
    static let randLike = TorchOp("aten::rand_like")
    static let randnLike = TorchOp("aten::randn_like")
}

// MARK: - Factories (torch.zeros, torch.arange, …)

extension Tensor {
    private static func factory(
        _ op: TorchOp, _ leading: [TorchArgument], dtype: DType?, device: Device
    ) -> Tensor {
        orTrap { try checkedFactory(op, leading, dtype: dtype, device: device) }
    }

    static func checkedFactory(
        _ op: TorchOp, _ leading: [TorchArgument], dtype: DType?, device: Device
    ) throws(TorchError) -> Tensor {
        // Trailing keyword arguments of every factory: dtype, layout, device, pin_memory.
        try op.call(arguments: leading + [.dtype(dtype), .none, .device(device), .none])
    }

    /// `torch.zeros(shape)`.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        factory(.zeros, [.ints(shape)], dtype: dtype, device: device)
    }

    /// `torch.ones(shape)`.
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        factory(.ones, [.ints(shape)], dtype: dtype, device: device)
    }

    /// `torch.full(shape, value)`.
    public static func full(
        _ shape: [Int], _ value: some TensorScalar, dtype: DType = .float32, device: Device = .cpu
    ) -> Tensor {
        factory(.full, [.ints(shape), value.torchArgument], dtype: dtype, device: device)
    }

    /// `torch.empty(shape)`: uninitialised memory.
    public static func empty(
        _ shape: [Int], dtype: DType = .float32, device: Device = .cpu,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try TorchOp.empty.call(.ints(shape), .dtype(dtype), .none, .device(device), .none, .none)
        }
    }

    /// `torch.arange(start, end, step)`: `[start, end)` in steps; int64 unless `dtype` says otherwise.
    public static func arange(
        _ start: Int = 0, _ end: Int, step: Int = 1, dtype: DType = .int64, device: Device = .cpu
    ) -> Tensor {
        factory(.arangeStartStep, [.int(start), .int(end), .int(step)], dtype: dtype, device: device)
    }

    /// `torch.arange` over floating-point bounds.
    public static func arange(
        _ start: Double, _ end: Double, step: Double, dtype: DType = .float32, device: Device = .cpu
    ) -> Tensor {
        factory(.arangeStartStep, [.double(start), .double(end), .double(step)], dtype: dtype, device: device)
    }

    /// `torch.linspace(start, end, steps)`: `steps` evenly spaced values, both ends included.
    public static func linspace(
        _ start: Double, _ end: Double, steps: Int, dtype: DType = .float32, device: Device = .cpu
    ) -> Tensor {
        factory(.linspace, [.double(start), .double(end), .int(steps)], dtype: dtype, device: device)
    }

    /// `torch.eye(n, m)`: ones on the diagonal.
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        factory(.eyeM, [.int(n), .int(m ?? n)], dtype: dtype, device: device)
    }

    /// `torch.rand(shape, generator=g)`: uniform on [0, 1).
    public static func rand(
        _ shape: [Int], generator: Generator? = nil, dtype: DType = .float32, device: Device = .cpu
    ) -> Tensor {
        factory(.randGenerator, [.ints(shape), .generator(generator)], dtype: dtype, device: device)
    }

    /// `torch.randn(shape, generator=g)`: standard normal.
    public static func randn(
        _ shape: [Int], generator: Generator? = nil, dtype: DType = .float32, device: Device = .cpu
    ) -> Tensor {
        factory(.randnGenerator, [.ints(shape), .generator(generator)], dtype: dtype, device: device)
    }

    /// `torch.randint(low, high, shape, generator=g)`: integers in `[low, high)`.
    public static func randint(
        _ low: Int, _ high: Int, _ shape: [Int], generator: Generator? = nil, dtype: DType = .int64,
        device: Device = .cpu
    ) -> Tensor {
        factory(
            .randintLowGenerator, [.int(low), .int(high), .ints(shape), .generator(generator)], dtype: dtype,
            device: device)
    }

    /// `torch.randperm(n, generator=g)`: a random permutation of `0..<n`.
    public static func randperm(_ n: Int, generator: Generator? = nil, device: Device = .cpu) -> Tensor {
        factory(.randpermGenerator, [.int(n), .generator(generator)], dtype: .int64, device: device)
    }

    /// `torch.zeros_like(x)`.
    public func zerosLike(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.zerosLike.call(.tensor(self)) }
    }
    /// `torch.ones_like(x)`.
    public func onesLike(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.onesLike.call(.tensor(self)) }
    }
    /// `torch.full_like(x, value)`.
    public func fullLike(_ value: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.fullLike.call(.tensor(self), value.torchArgument) }
    }
    /// `torch.rand_like(x)` (default generator).
    public func randLike(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.randLike.call(.tensor(self)) }
    }
    /// `torch.randn_like(x)` (default generator).
    public func randnLike(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.randnLike.call(.tensor(self)) }
    }
}

// MARK: - From Swift values and raw memory

extension Tensor {
    /// A tensor holding a copy of `values` with the given shape (default: one dimension).
    ///
    /// ```swift
    /// let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    /// ```
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int]? = nil) {
        let shape = shape ?? [values.count]
        let handle = orTrap {
            try values.withUnsafeBytes { bytes throws(TorchError) in
                try Tensor.makeHandle(bytes, shape: shape, dtype: T.dtype)
            }
        }
        self.init(owning: handle)
    }

    /// A zero-dimensional tensor holding `value`.
    public convenience init<T: TensorElement>(scalar value: T) {
        self.init([value], shape: [])
    }

    /// A tensor holding a copy of raw little-endian element bytes (e.g. from a file).
    /// Throws when the byte count does not match `shape` and `dtype`.
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws(TorchError) {
        self.init(owning: try Tensor.makeHandle(bytes, shape: shape, dtype: dtype))
    }

    private static func makeHandle(
        _ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType
    ) throws(TorchError) -> OpaquePointer {
        var out: OpaquePointer?
        let sizes = shape.map { Int64($0) }
        try check(
            kt_tensor_from_data(bytes.baseAddress, bytes.count, sizes, Int64(sizes.count), dtype.rawValue, &out),
            "Tensor(bytes:shape:\(shape),dtype:\(dtype))")
        return try owned(out, "Tensor(bytes:shape:\(shape),dtype:\(dtype))")
    }
}

// MARK: - Back to Swift

extension Tensor {
    /// The elements in row-major order, converted to `T` (`x.tolist()` flattened).
    public func array<T: TensorElement>(
        of type: T.Type = T.self, file: StaticString = #fileID, line: UInt = #line
    ) -> [T] {
        let source = dtype == T.dtype ? self : to(T.dtype, file: file, line: line)
        let n = source.count
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            orTrap(file: file, line: line) {
                try check(
                    kt_tensor_copy_to(source.handle, buffer.baseAddress, n * MemoryLayout<T>.stride),
                    "Tensor.array(of: \(T.self))")
            }
            initialized = n
        }
    }

    /// The value of a one-element tensor (`x.item()`).
    public func item<T: TensorElement>(_ type: T.Type = T.self, file: StaticString = #fileID, line: UInt = #line) -> T {
        precondition(count == 1, "item() needs a one-element tensor, got \(summary)", file: file, line: line)
        return array(of: T.self, file: file, line: line)[0]
    }

    /// The raw bytes of the elements (contiguous, on the CPU), e.g. for writing files.
    public func withUnsafeBytes<R>(
        _ body: (UnsafeRawBufferPointer) throws -> R, file: StaticString = #fileID, line: UInt = #line
    ) rethrows -> R {
        precondition(
            dtype != .unsupported, "withUnsafeBytes: \(summary) has a dtype Kinema does not model", file: file, line: line)
        let n = count * dtype.byteCount
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(n, 1), alignment: 16)
        defer { storage.deallocate() }
        orTrap(file: file, line: line) {
            try check(kt_tensor_copy_to(handle, storage.baseAddress, n), "Tensor.withUnsafeBytes")
        }
        return try body(UnsafeRawBufferPointer(rebasing: storage[0..<n]))
    }
}
