// The benchmark is written the way UCF101 ships (docs/reference-implementations.md §5.1), so that loading it goes
// through the same code as loading UCF101 itself:
//   videos/<Class>/v_<Class>_gXX_cYY.avi
//   splits/classInd.txt      "<1-based id> <Class>"
//   splits/trainlist01.txt   "<Class>/v_<Class>_gXX_cYY.avi <1-based id>"
//   splits/testlist01.txt    "<Class>/v_<Class>_gXX_cYY.avi"
// with CRLF line endings, as in the official ucfTrainTestlist files.

/// File names and split-file text of the UCF101 layout.
public enum UCF101Layout {
    public static let videoFolder = "videos"
    public static let splitFolder = "splits"
    public static let videoExtension = "avi"
    public static let classIndexFile = "classInd.txt"
    public static let trainListFile = "trainlist01.txt"
    public static let testListFile = "testlist01.txt"
    static let lineEnd = "\r\n"

    /// The clip's path relative to the video folder: `<Class>/v_<Class>_gXX_cYY.avi`.
    public static func videoPath(_ clip: MotionBenchmarkClip) -> String {
        "\(clip.motion.rawValue)/\(clip.name).\(videoExtension)"
    }

    /// classInd.txt: one `"<id> <Class>"` line per class, ids from 1 in label order.
    public static func classIndex(_ classes: [MotionClass]) -> String {
        classes.enumerated().map { "\($0.offset + 1) \($0.element.rawValue)\(lineEnd)" }.joined()
    }

    /// trainlist01.txt: the train clips, `"<path> <id>"`, in the given order.
    public static func trainList(_ clips: [MotionBenchmarkClip]) -> String {
        clips.filter { $0.split == .train }.map { "\(videoPath($0)) \($0.label + 1)\(lineEnd)" }.joined()
    }

    /// testlist01.txt: the test clips, `"<path>"` (UCF101 gives no label here: it is the folder).
    public static func testList(_ clips: [MotionBenchmarkClip]) -> String {
        clips.filter { $0.split == .test }.map { "\(videoPath($0))\(lineEnd)" }.joined()
    }
}
