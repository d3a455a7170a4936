import CKinemaCV
import Foundation
import Synchronization
import Testing

/// The OpenCV shim's contract (kinema_cv.h), exercised without the Swift layer, as
/// Tests/CKinemaTorchTests does for the torch shim: failures return a classified status and leave
/// out-parameters alone, errors are recorded per thread, frees accept NULL, and NULL arguments are
/// reported rather than crashing.
@Suite struct CVShimContractTests {
    /// A sentinel out-parameter value a failing call must leave as it is.
    private let untouched = OpaquePointer(bitPattern: 0xDEAD)
    private var lastMessage: String { String(cString: kcv_last_error_message()) }
    private func status(_ s: kcv_status) -> Int32 { Int32(s.rawValue) }

    /// Runs `body` with a view of a width × height 8-bit RGB image.
    private func withImage<R>(width: Int32, height: Int32, _ body: (kcv_view) -> R) -> R {
        let pixels = [UInt8](repeating: 100, count: Int(width * height * 3))
        let u8 = Int32(KCV_U8.rawValue)
        return pixels.withUnsafeBytes { body(kcv_view(data: $0.baseAddress, width: width, height: height, channels: 3, depth: u8)) }
    }

    @Test func freeingNullIsSafe() {
        kcv_mat_free(nil)
        kcv_capture_free(nil)
        kcv_writer_free(nil)
        kcv_flow_free(nil)
        kcv_string_free(nil)
    }

    @Test func nullArgumentsAreArgumentErrors() {
        var w: Int32 = -7, h: Int32 = 0, c: Int32 = 0, d: Int32 = 0
        var data: UnsafeRawPointer?
        #expect(kcv_mat_info(nil, &w, &h, &c, &d, &data) == status(KCV_ERR_ARGUMENT))
        #expect(w == -7)
        #expect(lastMessage.contains("NULL"), "\(lastMessage)")

        var out: OpaquePointer? = untouched
        var info = kcv_image_info()
        #expect(kcv_image_decode(nil, 10, 3, &out, &info) == status(KCV_ERR_ARGUMENT))
        #expect(out == untouched)
        // A view without data, and a NULL out-parameter.
        let empty = kcv_view(data: nil, width: 4, height: 4, channels: 3, depth: Int32(KCV_U8.rawValue))
        #expect(kcv_image_resize(empty, 2, 2, &out) == status(KCV_ERR_ARGUMENT))
        #expect(lastMessage.contains("data is NULL"), "\(lastMessage)")
        #expect(out == untouched)
        #expect(withImage(width: 4, height: 4) { kcv_image_resize($0, 2, 2, nil) } == status(KCV_ERR_ARGUMENT))
        #expect(withImage(width: 4, height: 4) { kcv_image_encode($0, nil, -1, &out) } == status(KCV_ERR_ARGUMENT))
        #expect(out == untouched)

        var capture: OpaquePointer? = untouched
        var video = kcv_video_info()
        #expect(kcv_capture_open(nil, &capture, &video) == status(KCV_ERR_ARGUMENT))
        #expect(capture == untouched)
        var skipped: Int64 = 0
        #expect(kcv_capture_skip(nil, 1, &skipped) == status(KCV_ERR_ARGUMENT))
        #expect(kcv_writer_write(nil, empty) == status(KCV_ERR_ARGUMENT))
        #expect(kcv_writer_close(nil) == status(KCV_ERR_ARGUMENT))
        var flowOut = [Float](repeating: 0, count: 32)
        let noFlow = withImage(width: 4, height: 4) { kcv_flow_compute(nil, $0, $0, &flowOut) }
        #expect(noFlow == status(KCV_ERR_ARGUMENT))
        var tw: Int32 = 0, th: Int32 = 0
        #expect(kcv_text_size(nil, 12, 1, 0, &tw, &th) == status(KCV_ERR_ARGUMENT))
        #expect(kcv_put_text(nil, 4, 4, "a", 0, 0, 12, 1, 0, [255, 255, 255], nil) == status(KCV_ERR_ARGUMENT))
        #expect(kcv_draw_tracks(nil, 4, 4, nil, 0, 1, nil, nil, 1, 1) == status(KCV_ERR_ARGUMENT))
        let identity: [Double] = [1, 0, 0, 0, 1, 0]
        let grey: [UInt8] = [128, 128, 128]
        #expect(withImage(width: 4, height: 4) { kcv_image_warp_affine($0, nil, 2, grey, &out) } == status(KCV_ERR_ARGUMENT))
        #expect(withImage(width: 4, height: 4) { kcv_image_warp_affine($0, identity, 2, nil, &out) } == status(KCV_ERR_ARGUMENT))
        #expect(withImage(width: 4, height: 4) { kcv_image_warp_affine($0, identity, 3, grey, &out) } == status(KCV_ERR_ARGUMENT))
        #expect(lastMessage.contains("interpolation"), "\(lastMessage)")
        #expect(withImage(width: 4, height: 4) { kcv_image_filter3x3($0, nil, &out) } == status(KCV_ERR_ARGUMENT))
        #expect(kcv_image_filter3x3(empty, [Float](repeating: 0, count: 9), &out) == status(KCV_ERR_ARGUMENT))
        #expect(out == untouched)
        kcv_clear_last_error()
    }

    @Test func errorsAreClassified() throws {
        var out: OpaquePointer? = untouched
        var info = kcv_image_info()
        let garbage: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(kcv_image_decode(garbage, garbage.count, 3, &out, &info) == status(KCV_ERR_DECODE))
        let format = withImage(width: 4, height: 4) { kcv_image_encode($0, ".xyz", -1, &out) }
        #expect(format == status(KCV_ERR_UNSUPPORTED))
        #expect(out == untouched)

        // OpenCV's own exception: DIS needs frames of at least 12 px on a side.
        var params = kcv_dis_params(
            preset: 0, finest_scale: -1, patch_size: -1, patch_stride: -1, gradient_descent_iterations: -1,
            variational_iterations: -1, alpha: -1, delta: -1, gamma: -1, use_mean_normalization: -1,
            use_spatial_propagation: -1)
        var flow: OpaquePointer?
        try #require(kcv_flow_create_dis(&params, &flow) == 0)
        defer { kcv_flow_free(flow) }
        var vectors = [Float](repeating: 7, count: 4 * 4 * 2)
        let tooSmall = withImage(width: 4, height: 4) { kcv_flow_compute(flow, $0, $0, &vectors) }
        #expect(tooSmall == status(KCV_ERR_OPENCV))
        #expect(lastMessage.contains("12"), "\(lastMessage)")

        // A failed allocation (3 TiB) is an out-of-memory error, not OpenCV's generic one.
        let huge = withImage(width: 4, height: 4) { kcv_image_resize($0, 1 << 20, 1 << 20, &out) }
        #expect(huge == status(KCV_ERR_OUT_OF_MEMORY))
        #expect(lastMessage.contains("Insufficient memory"), "\(lastMessage)")
        #expect(out == untouched)
        kcv_clear_last_error()
    }

    @Test func clearingTheErrorEmptiesTheRecord() {
        #expect(kcv_writer_close(nil) != 0)
        #expect(kcv_last_error_kind() != 0 && !lastMessage.isEmpty)
        kcv_clear_last_error()
        #expect(kcv_last_error_kind() == 0 && lastMessage.isEmpty)
    }

    @Test func theErrorRecordIsPerThread() throws {
        _ = kcv_writer_close(nil)
        let mine = lastMessage
        #expect(!mine.isEmpty)

        // Another thread sees a clean record, and its own failure does not reach this one.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let before = (kcv_last_error_kind(), String(cString: kcv_last_error_message()))
            let garbage: [UInt8] = [0, 1, 2]
            var out: OpaquePointer?
            var info = kcv_image_info()
            let status = kcv_image_decode(garbage, garbage.count, 1, &out, &info)
            seenOnTheOtherThread.withLock { $0 = (before.0, before.1, status) }
            done.signal()
        }
        thread.start()
        done.wait()
        let other = try #require(seenOnTheOtherThread.withLock { $0 })
        #expect(other.kind == 0 && other.message.isEmpty)
        #expect(other.ownStatus == status(KCV_ERR_DECODE))
        #expect(lastMessage == mine, "this thread's record is unchanged")
        kcv_clear_last_error()
    }
}

/// What the other thread of the per-thread test saw, handed back under a lock.
private let seenOnTheOtherThread = Mutex<(kind: Int32, message: String, ownStatus: Int32)?>(nil)
