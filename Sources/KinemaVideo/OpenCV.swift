internal import CKinemaCV

/// Facts about the OpenCV build behind Kinema's video and motion layers.
public enum OpenCV {
    /// The OpenCV version the shim was compiled against, e.g. "4.6.0".
    public static var version: String { String(cString: kcv_opencv_version()) }
}
