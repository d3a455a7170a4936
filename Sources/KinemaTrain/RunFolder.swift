import Foundation

/// The files of one training run, in one folder:
///
///     config.yaml                        the resolved configuration (``RunConfig``)
///     provenance.json                    what produced the run (``RunProvenance``); a resume adds
///     provenance-resume-<step>.json      one per resume
///     metrics.jsonl                      one JSON object per logged step (``MetricsLog``)
///     checkpoints/last.safetensors       the latest checkpoint (``Checkpoint``), written atomically
///     checkpoints/step-<N>.safetensors   kept copies (``RunSettings/keepCheckpointEvery``)
///     tensorboard/events.out.tfevents.*  scalars for `tensorboard --logdir` (``TensorBoardWriter``)
public struct RunFolder: Sendable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    public var config: URL { url.appendingPathComponent("config.yaml") }
    public var provenance: URL { url.appendingPathComponent("provenance.json") }
    public func resumeProvenance(step: Int) -> URL { url.appendingPathComponent("provenance-resume-\(step).json") }
    public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
    public var checkpoints: URL { url.appendingPathComponent("checkpoints") }
    public var lastCheckpoint: URL { checkpoints.appendingPathComponent("last.safetensors") }
    public var tensorBoard: URL { url.appendingPathComponent("tensorboard") }

    /// Throws when a path Kinema writes in the folder (checkpoints/, tensorboard/, metrics.jsonl) is
    /// a symbolic link: appends and new files would follow it out of the run folder, somewhere the
    /// user did not name. (The run folder itself may be a link: it is the user's choice of place.)
    public func checkNoLinksOut() throws(TrainingRunError) {
        for path in [checkpoints, tensorBoard, metrics] {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path.path) else { continue }
            throw TrainingRunError(
                "\(path.path) is a symbolic link (to \(destination)): Kinema writes only inside the run folder "
                    + "\(url.path); remove the link, or point --output at the place you want")
        }
    }

    /// The kept checkpoint of `step` (zero-padded, so names sort by step).
    public func checkpoint(step: Int) -> URL {
        checkpoints.appendingPathComponent(String(format: "step-%08d.safetensors", step))
    }

    /// The checkpoint to resume from: last.safetensors, or else the kept one of the highest step;
    /// nil when the folder holds none.
    public func latestCheckpoint() -> URL? {
        if FileManager.default.fileExists(atPath: lastCheckpoint.path) { return lastCheckpoint }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? []
        let steps = names.compactMap { name -> Int? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors") else { return nil }
            return Int(name.dropFirst("step-".count).dropLast(".safetensors".count))
        }
        return steps.max().map { checkpoint(step: $0) }
    }
}
