import KinemaTensor
import Testing

/// The C boundary seen from Swift: tensors of a dtype Kinema does not model are described rather
/// than trapped on, unknown codes are rejected with an error, op results are not kept alive by the
/// shim after a call, and traps point at the caller's line.
@Suite struct BoundaryTests {
    /// A complex64 tensor, made through the boxed dispatcher (Kinema has no complex dtype).
    private func complexTensor() throws -> Tensor {
        try TorchOp("aten::complex").call(.tensor(Tensor([1, 2] as [Float])), .tensor(Tensor([3, 4] as [Float])))
    }

    @Test func aDtypeKinemaDoesNotModelIsDescribedNotTrappedOn() throws {
        let z = try complexTensor()
        #expect(z.dtype == .unsupported)
        #expect(z.device == .cpu)
        #expect(z.summary == "Tensor[2] ComplexFloat (unsupported) cpu")
        #expect(!DType.allCases.contains(.unsupported))

        // An error on such an operand still names its shape and libtorch's dtype.
        let error = #expect(throws: TorchError.self) { _ = try TorchOp("aten::mm").call(.tensor(z), .tensor(z)) }
        #expect(error?.operands == Array(repeating: "Tensor[2] ComplexFloat (unsupported) cpu", count: 2))
        // Conversion to a modelled dtype works as in libtorch (the real part).
        #expect(z.to(.float32).array(of: Float.self) == [1, 2])
    }

    @Test func unsupportedDtypesAndDevicesCannotBePassedToOps() {
        let x = Tensor.zeros([2])
        let dtype = #expect(throws: TorchError.self) { _ = try x.checked.to(.unsupported) }
        #expect(dtype?.code == .argument && dtype?.message.contains("unknown dtype code -1") == true)
        let device = #expect(throws: TorchError.self) { _ = try x.to(Device(.unsupported)) }
        #expect(device?.code == .argument && device?.message.contains("unknown device type -1") == true)
        #expect(Device(.unsupported).description == "unsupported device")
    }

    @Test func resultsAreNotKeptAliveAfterTheCall() {
        let x = Tensor([3, 1, 2] as [Float])
        // kt_call_tensor: the single result is held by its handle only.
        #expect(x.negated().referenceCount == 1)
        // kt_call with several results, read through TorchResults.
        let (values, indices) = x.max(dim: 0)
        #expect(values.referenceCount == 1 && indices.referenceCount == 1)
        let parts = x.split(size: 1)
        #expect(parts.allSatisfy { $0.referenceCount == 1 })
    }

    @Test func theVersionCheckNamesTheFix() throws {
        try Engine.checkVersions(compiled: "2.11.0", runtime: "2.11.0")
        try Engine.checkVersions(compiled: "2.11.0", runtime: "2.11.0+cu130")
        try Engine.checkVersions(compiled: "2.11.0", runtime: "unknown")
        let mismatch = #expect(throws: TorchError.self) {
            try Engine.checkVersions(compiled: "2.11.0", runtime: "2.10.0")
        }
        let text = mismatch.map { "\($0)" } ?? ""
        #expect(text.contains("2.11.0") && text.contains("2.10.0") && text.contains("make setup"), "\(text)")
    }

    @Test func aTrapNamesTheCallersFileAndLine() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            multiplyMismatchedMatrices()
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("KinemaTensorTests/BoundaryTests.swift:\(mismatchLine)"), "\(message)")
        #expect(message.contains("cannot be multiplied"), "\(message)")
    }
}

/// A shape bug in "model code", on the line the trap must name (a function of its own: inside an
/// exit test's body, `#line` would be the macro's).
private let mismatchLine = #line + 3
private func multiplyMismatchedMatrices() {
    let a = Tensor.zeros([2, 3])
    _ = a.matmul(a)
}
