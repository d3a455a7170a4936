import CKinemaTorch
import Foundation
import Synchronization
import Testing

/// The C boundary's contract (kinema_torch.h), exercised without the Swift layer: failures return
/// a status and leave out-parameters alone, errors are classified and recorded per thread, and
/// NULLs and bad calls are reported rather than crashing.
@Suite struct ShimContractTests {
    /// A sentinel out-parameter value a failing call must leave as it is.
    private let untouched = OpaquePointer(bitPattern: 0xDEAD)

    private func tensor(_ values: [Float], _ shape: [Int64]) throws -> kt_tensor {
        var out: kt_tensor?
        let status = values.withUnsafeBytes { bytes in
            kt_tensor_from_data(bytes.baseAddress, bytes.count, shape, Int64(shape.count), 6, &out)  // 6: float32
        }
        try #require(status == 0 && out != nil)
        return out!
    }

    private func op(_ name: String, _ overload: String = "") throws -> kt_op {
        var out: kt_op?
        try #require(kt_op_find(name, overload, &out) == 0 && out != nil, "\(name).\(overload) exists")
        return out!
    }

    private var lastMessage: String { String(cString: kt_last_error_message()) }

    @Test func freeingNullIsSafe() {
        kt_tensor_free(nil)
        kt_generator_free(nil)
        kt_string_free(nil)
    }

    @Test func anIndexErrorIsClassifiedAndLeavesTheOutParameterAlone() throws {
        let x = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        defer { kt_tensor_free(x) }
        kt_args_begin()
        kt_arg_tensor(x)
        kt_arg_int(0)
        kt_arg_int(5)
        var out: kt_tensor? = untouched
        let status = kt_call_tensor(try op("aten::select", "int"), &out)
        #expect(status == Int32(KT_ERR_INDEX.rawValue))
        #expect(kt_last_error_kind() == Int32(KT_ERR_INDEX.rawValue))
        #expect(out == untouched)
        #expect(lastMessage.contains("index 5 out of range"), "\(lastMessage)")
        #expect(!lastMessage.contains("Exception raised from"), "the message has no C++ backtrace")
        kt_clear_last_error()
    }

    @Test func aTypeErrorIsClassified() throws {
        // libtorch raises TypeError (TORCH_CHECK_TYPE) for a generator state that is not bytes.
        var generator: kt_generator?
        try #require(kt_generator_new(1, 0, -1, &generator) == 0)
        defer { kt_generator_free(generator) }
        let state = try tensor([0, 0, 0], [3])
        defer { kt_tensor_free(state) }
        #expect(kt_generator_set_state(generator, state) == Int32(KT_ERR_TYPE.rawValue))
        #expect(lastMessage.contains("ByteTensor"), "\(lastMessage)")
        kt_clear_last_error()
    }

    @Test func aShapeMismatchIsATorchError() throws {
        let a = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        defer { kt_tensor_free(a) }
        kt_args_begin()
        kt_arg_tensor(a)
        kt_arg_tensor(a)
        var out: kt_tensor? = untouched
        #expect(kt_call_tensor(try op("aten::mm"), &out) == Int32(KT_ERR_TORCH.rawValue))
        #expect(out == untouched)
        #expect(lastMessage.contains("cannot be multiplied (2x3 and 2x3)"), "\(lastMessage)")
        kt_clear_last_error()
    }

    @Test func anEmptyCatIsAValueError() throws {
        kt_args_begin()
        kt_arg_tensors(nil, 0)
        var out: kt_tensor? = untouched
        #expect(kt_call_tensor(try op("aten::cat"), &out) == Int32(KT_ERR_VALUE.rawValue))
        #expect(out == untouched)
        #expect(lastMessage.contains("non-empty list"), "\(lastMessage)")
        kt_clear_last_error()
    }

    @Test func nullHandlesAreArgumentErrors() throws {
        var rank: Int64 = -7
        #expect(kt_tensor_ndim(nil, &rank) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(rank == -7)
        #expect(lastMessage.contains("NULL"))
        var out: kt_tensor? = untouched
        #expect(kt_call_tensor(nil, &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(out == untouched)
        // A NULL inside a tensor list is caught at the push and reported by the call.
        kt_args_begin()
        let handles: [kt_tensor?] = [nil]
        handles.withUnsafeBufferPointer { kt_arg_tensors($0.baseAddress, 1) }
        #expect(kt_call_tensor(try op("aten::cat"), &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(lastMessage.contains("NULL tensor"), "\(lastMessage)")
        #expect(out == untouched)
        kt_clear_last_error()
    }

    @Test func clearingTheErrorEmptiesTheRecord() {
        var rank: Int64 = 0
        _ = kt_tensor_ndim(nil, &rank)
        #expect(kt_last_error_kind() != 0 && !lastMessage.isEmpty)
        kt_clear_last_error()
        #expect(kt_last_error_kind() == 0)
        #expect(lastMessage.isEmpty && String(cString: kt_last_error_detail()).isEmpty)
    }

    @Test func theErrorRecordIsPerThread() throws {
        var rank: Int64 = 0
        _ = kt_tensor_ndim(nil, &rank)
        let mine = lastMessage
        #expect(!mine.isEmpty)

        // Another thread sees a clean record, and its own failure does not reach this one.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let before = (kt_last_error_kind(), String(cString: kt_last_error_message()))
            var out: kt_op?
            let status = kt_op_find("aten::no_such_op", "", &out)
            seenOnTheOtherThread.withLock { $0 = (before.0, before.1, status) }
            done.signal()
        }
        thread.start()
        done.wait()
        let other = try #require(seenOnTheOtherThread.withLock { $0 })
        #expect(other.kind == 0 && other.message.isEmpty)
        #expect(other.ownKind != 0)
        #expect(lastMessage == mine, "this thread's record is unchanged")
        kt_clear_last_error()
    }

    @Test func lookingUpAMissingOpFails() throws {
        var out: kt_op? = OpaquePointer(bitPattern: 0xBEEF)
        let status = kt_op_find("aten::definitely_not_an_op", "", &out)
        #expect(status != 0)
        #expect(out == OpaquePointer(bitPattern: 0xBEEF))
        #expect(lastMessage.contains("definitely_not_an_op"), "\(lastMessage)")
        #expect(kt_op_find("aten::add", "NoSuchOverload", &out) != 0)
        #expect(kt_op_find(nil, "", &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        kt_clear_last_error()
    }

    @Test func wrongArgumentCountsAreReported() throws {
        let x = try tensor([1, 2], [2])
        defer { kt_tensor_free(x) }
        let neg = try op("aten::neg")
        var out: kt_tensor? = untouched
        kt_args_begin()
        for _ in 0..<3 { kt_arg_tensor(x) }
        #expect(kt_call_tensor(neg, &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(lastMessage.contains("takes 1 arguments but 3 were given"), "\(lastMessage)")
        kt_args_begin()
        kt_arg_tensor(x)
        #expect(kt_call_tensor(try op("aten::add", "Tensor"), &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(lastMessage.contains("'other' has no default"), "\(lastMessage)")
        #expect(out == untouched)
        kt_clear_last_error()

        // The failed calls left nothing behind: the next call starts from a clean stack.
        kt_args_begin()
        kt_arg_tensor(x)
        var result: kt_tensor?
        try #require(kt_call_tensor(neg, &result) == 0)
        defer { kt_tensor_free(result) }
        var values: [Float] = [0, 0]
        _ = values.withUnsafeMutableBytes { kt_tensor_copy_to(result, $0.baseAddress, $0.count) }
        #expect(values == [-1, -2])
    }

    @Test func resultAccessorsCheckTheirIndexAndType() throws {
        let x = try tensor([3, 1, 2], [3])
        defer { kt_tensor_free(x) }
        kt_args_begin()
        kt_arg_tensor(x)
        var count: Int32 = 0
        try #require(kt_call(try op("aten::sort"), &count) == 0)
        #expect(count == 2)
        var out: kt_tensor? = untouched
        #expect(kt_result_tensor(2, &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(out == untouched)
        var flag = false
        #expect(kt_result_bool(0, &flag) == Int32(KT_ERR_ARGUMENT.rawValue))
        kt_clear_last_error()
    }

    @Test func aBufferOfTheWrongSizeIsRejected() {
        let values: [Float] = [1, 2, 3]
        var out: kt_tensor? = untouched
        let status = values.withUnsafeBytes { bytes in
            kt_tensor_from_data(bytes.baseAddress, bytes.count, [2, 2], 2, 6, &out)
        }
        #expect(status == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(out == untouched)
        #expect(lastMessage.contains("12 bytes but the shape needs 16"), "\(lastMessage)")
        kt_clear_last_error()
    }

    @Test func arrayArgumentsCheckForNull() throws {
        // NULL with a non-zero length (or a negative length) is reported by the call, not read.
        let x = try tensor([1, 2, 3, 4], [2, 2])
        defer { kt_tensor_free(x) }
        let pushes: [(String, () -> Void)] = [
            ("ints", { kt_arg_ints(nil, 2) }), ("doubles", { kt_arg_doubles(nil, 1) }),
            ("bools", { kt_arg_bools(nil, 3) }),
            ("tensors", { kt_arg_tensors(nil, 1) }), ("optional tensors", { kt_arg_optional_tensors(nil, 2) }),
            ("negative length", { kt_arg_ints([1], -1) }),
        ]
        let sum = try op("aten::sum", "dim_IntList")
        for (name, push) in pushes {
            kt_args_begin()
            kt_arg_tensor(x)
            push()
            var out: kt_tensor? = untouched
            #expect(kt_call_tensor(sum, &out) == Int32(KT_ERR_ARGUMENT.rawValue), "\(name)")
            let message = lastMessage
            #expect(message.contains("NULL array") || message.contains("negative array length"), "\(name): \(message)")
            #expect(out == untouched)
        }
        kt_clear_last_error()
    }

    @Test func unknownDtypeAndDeviceCodesAreRejected() throws {
        let x = try tensor([1, 2], [2])
        defer { kt_tensor_free(x) }
        let to = try op("aten::to", "dtype")
        var out: kt_tensor? = untouched
        kt_args_begin()
        kt_arg_tensor(x)
        kt_arg_dtype(-1)
        #expect(kt_call_tensor(to, &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(lastMessage.contains("unknown dtype code -1"), "\(lastMessage)")
        kt_args_begin()
        kt_arg_tensor(x)
        kt_arg_dtype(1000)
        #expect(kt_call_tensor(to, &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        kt_args_begin()
        kt_arg_tensor(x)
        kt_arg_device(-3, 0)
        #expect(kt_call_tensor(try op("aten::to", "device"), &out) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(lastMessage.contains("unknown device type -3"), "\(lastMessage)")
        #expect(out == untouched)
        kt_clear_last_error()
    }

    @Test func dtypesAndDevicesKinemaDoesNotModelAreReported() throws {
        let re = try tensor([1, 2], [2])
        defer { kt_tensor_free(re) }
        kt_args_begin()
        kt_arg_tensor(re)
        kt_arg_tensor(re)
        var z: kt_tensor?
        try #require(kt_call_tensor(try op("aten::complex"), &z) == 0)
        defer { kt_tensor_free(z) }
        var code: Int32 = -1
        #expect(kt_tensor_dtype(z, &code) == 0)
        #expect(String(cString: kt_dtype_name(code)) == "ComplexFloat")
        #expect(String(cString: kt_dtype_name(-1)) == "UNKNOWN_SCALAR")

        // A tensor on the meta device (c10::DeviceType::Meta = 14): no storage.
        kt_args_begin()
        let size: [Int64] = [3]
        size.withUnsafeBufferPointer { kt_arg_ints($0.baseAddress, 1) }
        kt_arg_none()
        kt_arg_none()
        kt_arg_device(14, -1)
        var meta: kt_tensor?
        try #require(kt_call_tensor(try op("aten::empty", "memory_format"), &meta) == 0, "\(lastMessage)")
        defer { kt_tensor_free(meta) }
        var type: Int32 = 0, index: Int32 = 0
        #expect(kt_tensor_device(meta, &type, &index) == 0)
        #expect(type == 14)
    }

    @Test func resultsAreReleasedOnceRead() throws {
        let x = try tensor([3, 1, 2], [3])
        defer { kt_tensor_free(x) }
        // kt_call_tensor leaves nothing behind: the caller's handle is the only reference.
        kt_args_begin()
        kt_arg_tensor(x)
        var negated: kt_tensor?
        try #require(kt_call_tensor(try op("aten::neg"), &negated) == 0)
        defer { kt_tensor_free(negated) }
        var uses: Int64 = 0
        #expect(kt_tensor_use_count(negated, &uses) == 0)
        #expect(uses == 1)

        // After kt_call the stack holds the results until kt_results_clear.
        kt_args_begin()
        kt_arg_tensor(x)
        var count: Int32 = 0
        try #require(kt_call(try op("aten::sort"), &count) == 0)
        var values: kt_tensor?
        try #require(kt_result_tensor(0, &values) == 0)
        defer { kt_tensor_free(values) }
        _ = kt_tensor_use_count(values, &uses)
        #expect(uses == 2)
        kt_results_clear()
        _ = kt_tensor_use_count(values, &uses)
        #expect(uses == 1)
        var gone: kt_tensor? = untouched
        #expect(kt_result_tensor(0, &gone) == Int32(KT_ERR_ARGUMENT.rawValue), "no results after clearing")
        #expect(gone == untouched)
        kt_clear_last_error()
    }

    @Test func aTensorListResultIsReadWhole() throws {
        let x = try tensor([1, 2, 3, 4, 5], [5])
        defer { kt_tensor_free(x) }
        kt_args_begin()
        kt_arg_tensor(x)
        kt_arg_int(2)
        var n: Int32 = 0
        try #require(kt_call(try op("aten::split", "Tensor"), &n) == 0)
        defer { kt_results_clear() }
        var count: Int64 = 0
        #expect(kt_result_tensors(0, nil, 0, &count) == 0)
        #expect(count == 3)
        var handles = [kt_tensor?](repeating: nil, count: 3)
        #expect(kt_result_tensors(0, &handles, 3, &count) == 0)
        #expect(handles.allSatisfy { $0 != nil })
        handles.forEach { kt_tensor_free($0) }
        // NULL output with room for handles, and a result that is not a list, are rejected.
        #expect(kt_result_tensors(0, nil, 2, &count) == Int32(KT_ERR_ARGUMENT.rawValue))
        var tensorCount: Int64 = -1
        kt_args_begin()
        kt_arg_tensor(x)
        try #require(kt_call(try op("aten::neg"), &n) == 0)
        #expect(kt_result_tensors(0, nil, 0, &tensorCount) == Int32(KT_ERR_ARGUMENT.rawValue))
        #expect(tensorCount == -1)
        kt_clear_last_error()
    }
}

/// What the other thread of the per-thread test saw, handed back under a lock.
private let seenOnTheOtherThread = Mutex<(kind: Int32, message: String, ownKind: Int32)?>(nil)
