/// The per-channel statistics a checkpoint's clips were normalised with, `(pixel / 255 − mean) / std`:
/// one of Kinema's named ones (``InputNormalization``) or whatever a transformers processor says
/// (its defaults are 0.5 / 0.5, which Kinema's configs have no name for).
public struct InputStatistics: Sendable, Equatable, CustomStringConvertible {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    public init(_ normalization: InputNormalization) {
        self.init(mean: normalization.mean, std: normalization.std)
    }

    /// The named statistics these are (a fine-tuning config can only name those), or nil.
    public var named: InputNormalization? {
        InputNormalization.allCases.first { InputStatistics($0).isClose(to: self) }
    }

    /// Equal within 1e-6 per value: JSON round trips print 0.485 as 0.48499998…
    func isClose(to other: InputStatistics) -> Bool {
        mean.count == other.mean.count && std.count == other.std.count
            && zip(mean + std, other.mean + other.std).allSatisfy { abs($0 - $1) <= 1e-6 }
    }

    /// "imagenet (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225)".
    public var description: String {
        let values = "mean \(mean.map { "\($0)" }.joined(separator: ", ")); std \(std.map { "\($0)" }.joined(separator: ", "))"
        return named.map { "\($0.rawValue) (\(values))" } ?? values
    }
}
