internal import CKinemaCV

// Borrowed shim views of the motion layer's values. Array.withUnsafeBytes is `rethrows` (untyped),
// so a Result carries typed errors through it.

func withView<R, E: Error>(
    of buffer: [some BitwiseCopyable], width: Int, height: Int, channels: Int, depth: kcv_depth,
    _ body: (kcv_view) throws(E) -> R
) throws(E) -> R {
    let result = buffer.withUnsafeBytes { raw in
        Result { () throws(E) -> R in
            try body(kcv_view(data: raw.baseAddress, width: Int32(width), height: Int32(height),
                              channels: Int32(channels), depth: Int32(depth.rawValue)))
        }
    }
    return try result.get()
}

extension Image {
    func withView<R, E: Error>(_ body: (kcv_view) throws(E) -> R) throws(E) -> R {
        try KinemaMotion.withView(of: pixels, width: width, height: height, channels: channels, depth: KCV_U8, body)
    }
}

extension FlowField {
    func withView<R, E: Error>(_ body: (kcv_view) throws(E) -> R) throws(E) -> R {
        try KinemaMotion.withView(of: vectors, width: width, height: height, channels: 2, depth: KCV_F32, body)
    }

    /// A flow field over a shim result (F32, 2 channels).
    init(_ mat: CVMat) {
        self.init(width: mat.width, height: mat.height, vectors: mat.floats())
    }
}
