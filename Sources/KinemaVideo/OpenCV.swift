internal import CKinemaCV

/// Facts about, and global settings of, the OpenCV build behind Kinema's video and motion layers.
public enum OpenCV {
    /// The OpenCV version the shim was compiled against, e.g. "4.6.0".
    public static var version: String { String(cString: kcv_opencv_version()) }

    /// Sets the threads OpenCV's parallel loops (resize, flow, colour conversion) may use; 0 runs
    /// them sequentially, a negative value restores OpenCV's default.
    public static func setThreadCount(_ count: Int) {
        let status = kcv_set_num_threads(Int32(count))
        precondition(status == 0, "cv::setNumThreads rejected \(count)")
    }
}
