import Foundation
import KinemaFiles

extension MetricsLog {
    /// Continues the log of a run resumed from a checkpoint at `step`: records of later steps
    /// (logged after that checkpoint, before the run stopped) are dropped, so the resumed run
    /// logs them again without duplicates. Records without a step are kept; a torn last line (a
    /// crash mid-write) is dropped. The file is rewritten atomically, then opened for appending.
    public static func continuing(_ url: URL, afterStep step: Int) throws -> MetricsLog {
        if let data = FileManager.default.contents(atPath: url.path) {
            var kept = Data()
            for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
                guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                if let logged = (record["step"] as? NSNumber)?.intValue, logged > step { continue }
                kept.append(contentsOf: line)
                kept.append(0x0A)
            }
            try AtomicFile.write(kept, to: url)
        }
        return try MetricsLog(url, append: true)
    }
}
