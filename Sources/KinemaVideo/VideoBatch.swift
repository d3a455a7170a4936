import Foundation

/// Runs work over many videos, skipping (and reporting) the ones that cannot be read instead of
/// stopping the batch: the right behaviour for dataset preprocessing, where a few broken files in
/// thousands are normal.
public enum VideoBatch {
    /// The outcome of a batch: results in input order, and every skipped video with its reason.
    public struct Report<Result> {
        public var results: [(url: URL, result: Result)] = []
        public var skipped: [VideoError] = []
    }

    /// Opens each video and runs `body` on it. A ``VideoError`` from opening or from `body` skips
    /// that video (it is recorded and passed to `onSkip`, e.g. to log it); any other error stops
    /// the batch and is rethrown.
    public static func process<Result>(
        _ urls: [URL], size: FrameSize = .native, format: PixelFormat = .rgb,
        onSkip: (VideoError) -> Void = { _ in },
        _ body: (VideoReader) throws -> Result
    ) throws -> Report<Result> {
        var report = Report<Result>()
        for url in urls {
            do {
                let reader = try VideoReader(url, size: size, format: format)
                report.results.append((url, try body(reader)))
            } catch let error as VideoError {
                report.skipped.append(error)
                onSkip(error)
            }
        }
        return report
    }
}
