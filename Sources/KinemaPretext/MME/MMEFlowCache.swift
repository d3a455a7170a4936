import Foundation
import KinemaData
import KinemaMotion
import KinemaVideo

/// A folder of precomputed flow for MME's targets (`kinema mme extract`, `target.cache`): per video
/// one float16 safetensors file (``FlowFileFormat/float16``) holding the flow of every consecutive
/// pair of its *whole* frames at the loader's decode size, the camera's motion removed when
/// configured. Training cuts each sampled clip's crop (and mirror) out of these fields and tracks
/// and describes the points on the loader thread as on the fly (``MMETargetComputer``): the crop
/// is random per sample, so the crop-dependent parts (tracking, HOG) cannot be stored, but the
/// flow, which costs most, can.
///
/// Integrity: every field carries its checksum and the header names the flow settings, the frame
/// size and the source video's byte count; an entry that is missing, stale or corrupt is reported
/// by ``flows(video:indices:width:height:)`` throwing, never read as zero flow.
public struct MMEFlowCache: Sendable {
    /// The format tag of the files.
    public static let format = "kinema-mme-flow-1"

    public let folder: URL
    public let configuration: MMETargetConfiguration

    public init(folder: URL, configuration: MMETargetConfiguration) {
        (self.folder, self.configuration) = (folder, configuration)
    }

    /// The entry of `video`: its parent folder's name and its file name, so that class folders
    /// holding equal file names do not collide.
    public func entry(for video: URL) -> URL {
        folder.appendingPathComponent(video.deletingLastPathComponent().lastPathComponent)
            .appendingPathComponent(video.lastPathComponent + ".flow.safetensors")
    }

    /// The header an entry of `video` with frames of `width × height` must carry.
    func expectedMetadata(video: URL, width: Int, height: Int) -> [String: String] {
        [
            "format": Self.format, "flow": configuration.flow, "removeCameraMotion": "\(configuration.removeCameraMotion)",
            "frameSize": "\(width)x\(height)", "sourceBytes": "\(Self.byteCount(video))",
        ]
    }

    /// The entry of `video` opened and checked against its header; throws saying why it cannot be
    /// used (missing, written for other settings or another file, unreadable).
    public func open(video: URL, width: Int, height: Int) throws(MMETargetError) -> FlowFieldFile {
        let url = entry(for: video)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MMETargetError("no cached flow for \(video.path) at \(url.path)") }
        let file: FlowFieldFile
        do { file = try FlowFieldFile(url) } catch { throw MMETargetError("cached flow \(url.path) is unreadable: \(error)") }
        for (key, value) in expectedMetadata(video: video, width: width, height: height) where file.metadata[key] != value {
            throw MMETargetError("cached flow \(url.path) has \(key) \(file.metadata[key] ?? "missing"), this run needs \(value)")
        }
        return file
    }

    /// Whether `video`'s entry is complete and intact (every field read and checked).
    public func isComplete(video: URL, width: Int, height: Int) -> Bool {
        guard let file = try? open(video: video, width: width, height: height) else { return false }
        return (try? file.fields(0..<file.count)) != nil
    }

    /// The whole-frame flows a span of frames `indices` (video indices; a span past the end repeats
    /// the last) needs: element k is the flow from frame `indices[k]` to `indices[k + 1]`, zero
    /// between a repeated frame and itself. Every field read is checked against its checksum.
    public func flows(video: URL, indices: [Int], width: Int, height: Int) throws(MMETargetError) -> [FlowField] {
        let file = try open(video: video, width: width, height: height)
        guard let first = indices.first, let last = indices.last, first >= 0 else { return [] }
        let pairs = first..<min(last, file.count)
        let stored: [FlowField]
        do { stored = try file.fields(pairs) } catch { throw MMETargetError("cached flow \(file.url.path): \(error)") }
        return zip(indices, indices.dropFirst()).map { a, b in
            a == b ? FlowField(width: width, height: height) : stored[a - first]
        }
    }

    /// Computes and writes `video`'s entry from all its `frames` (``VideoClipLoader/allTrainingFrames(_:)``),
    /// atomically (a file appears complete or not at all). Call on its own thread: it makes its own
    /// flow estimator; `estimator` replaces the configured one (tests).
    public func extract(video: URL, frames: [Image], flow estimator: (any OpticalFlow)? = nil) throws(MMETargetError) {
        guard let first = frames.first, frames.count >= 2 else { throw MMETargetError("\(video.path): fewer than 2 frames, no flow to cache") }
        let source = try MMEFlowSource(configuration, estimator: try flowEstimator(estimator))
        var flows: [FlowField] = []
        for i in 0..<(frames.count - 1) {
            do { flows.append(try source.unencoded(from: frames[i], to: frames[i + 1])) } catch {
                throw MMETargetError("\(video.path): flow \(i) → \(i + 1): \(error)")
            }
        }
        let url = entry(for: video)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FlowField.writeFloat16(flows, to: url, metadata: expectedMetadata(video: video, width: first.width, height: first.height))
        } catch { throw MMETargetError("writing \(url.path): \(error)") }
    }

    private func flowEstimator() throws(MMETargetError) -> any OpticalFlow {
        do { return try FlowMethod(name: configuration.flow)!.makeEstimator() } catch { throw MMETargetError("flow \(configuration.flow): \(error)") }
    }

    /// `given`, or the configured estimator (a function, not `??`, whose autoclosure loses the error type).
    private func flowEstimator(_ given: (any OpticalFlow)?) throws(MMETargetError) -> any OpticalFlow {
        if let given { return given }
        return try flowEstimator()
    }

    /// The byte count of a video file (frame folders: 0, their frames are not tracked).
    private static func byteCount(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
