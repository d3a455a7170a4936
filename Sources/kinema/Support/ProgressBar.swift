#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error: `[#####.....] 12/40  0:03<0:09  loss 0.693`.
///
/// Redraws in place on a terminal and prints plain lines (every 10 %) when output is a file or a
/// CI log, so logs stay readable.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let start = ProgressBar.seconds()
    private let interactive = isatty(STDERR_FILENO) == 1
    private var lastLoggedDecile = -1
    /// Data-parallel ranks other than 0 (`RANK` set by kinema launch or torchrun) stay quiet, so
    /// one bar shows the run.
    private let silent = getenv("RANK").map { String(cString: $0) != "0" } ?? false

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    /// Shows progress `done` of `total`, with extra `key value` fields (e.g. loss, accuracy).
    func update(_ done: Int, _ fields: KeyValuePairs<String, String> = [:]) {
        guard !silent else { return }
        let fraction = Double(min(done, total)) / Double(total)
        let elapsed = ProgressBar.seconds() - start
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let extra = fields.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\(label) [\(bar)] \(done)/\(total)  \(clock(elapsed))<\(clock(remaining))  \(extra)"
        if interactive {
            writeError("\r\u{1B}[2K" + line)
            if done >= total { writeError("\n") }
        } else {
            let decile = Int(fraction * 10)
            if decile != lastLoggedDecile || done >= total {
                lastLoggedDecile = decile
                writeError(line + "\n")
            }
        }
    }

    /// Ends the bar at `done` of the total it was given (work that ran out early, such as a
    /// truncated video's last frame), saying why, instead of drawing it full.
    func stop(at done: Int, because reason: String) {
        guard !silent, done < total else { return update(done) }
        let line = "\(label) stopped at \(done)/\(total)  \(clock(ProgressBar.seconds() - start)): \(reason)"
        writeError(interactive ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? "\(s / 3600):\(pad((s % 3600) / 60)):\(pad(s % 60))" : "\(s / 60):\(pad(s % 60))"
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Writes to standard error without buffering (file descriptor 2, so no shared `FILE*` state).
func writeError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
