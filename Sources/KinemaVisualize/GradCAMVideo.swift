import Foundation
import KinemaData
import KinemaModels
import KinemaMotion
import KinemaTensor
import KinemaVideo

/// Grad-CAM over a whole real video, drawn as MoSI Fig. 4 draws it: the frames, the class
/// activation map laid over them and, optionally, the optical-flow magnitude beside them.
///
/// ```swift
/// let out = try GradCAMVideo.render(
///     backbone: model, statistics: InputStatistics(pretrained.normalization), video: URL(fileURLWithPath: "walk.mp4"),
///     output: runFolder, withFlow: true)
/// out.animation   // runFolder/gradcam.mp4: per frame [frame | overlay | |flow|]
/// out.grid        // runFolder/gradcam-grid.png: rows frames / overlay / |flow| at 8 evenly spaced frames
/// ```
public enum GradCAMVideo {
    /// The container of the animation.
    public enum AnimationFormat: String, Sendable, CaseIterable {
        /// H.264 (or MPEG-4 part 2 where FFmpeg has no H.264 encoder) through ``VideoWriter``.
        case mp4
        /// Animated GIF through ``GIFWriter``.
        case gif
    }

    /// How the pictures look.
    public struct Style: Sendable {
        public var colorMap: ColorMap
        /// Weight of the heat-map colours in the overlay (0 … 1).
        public var alpha: Float
        /// Frames (columns) in the grid picture.
        public var gridColumns: Int

        public init(colorMap: ColorMap = .jet, alpha: Float = 0.5, gridColumns: Int = 8) {
            self.colorMap = colorMap
            self.alpha = alpha
            self.gridColumns = gridColumns
        }
    }

    /// What ``render(backbone:normalization:video:stage:clipLength:size:stride:output:withFlow:format:targetClass:excluding:maxFrames:style:)``
    /// wrote.
    public struct Output: Sendable {
        /// `gradcam.mp4` or `gradcam.gif`.
        public let animation: URL
        /// `gradcam-grid.png`.
        public let grid: URL
        /// Frames decoded and drawn.
        public let frameCount: Int
        /// The class each sliding clip's map explains, in clip order.
        public let clipClasses: [Int]
    }

    /// Decodes `video`, runs Grad-CAM at `stage` on sliding clips and writes `gradcam.mp4` (or
    /// `.gif`) and `gradcam-grid.png` into the folder `output` (created when missing).
    ///
    /// Frames are decoded with their short side at `size` pixels, aspect ratio kept: the backbones
    /// are fully convolutional and pool globally, so the whole frame is explained, not a crop.
    /// Clips of `clipLength` consecutive frames start every `stride` frames (the last one ends at
    /// the last frame; a video shorter than a clip repeats its last frame); a frame covered by
    /// several clips gets the mean of their maps.
    ///
    /// - Parameters:
    ///   - statistics: the statistics the backbone was trained with (``PretrainedBackbone`` reads
    ///     them from its run, ``ClassifierCheckpoint`` from any checkpoint).
    ///   - square: crop the middle `size`² of every frame. A vision transformer needs it: its fixed
    ///     position table runs over the flattened token index, so only the grid it was trained on
    ///     keeps each index at its place.
    ///   - stage: index into ``Backbone/stages`` (0 is the stem); the last stage by default.
    ///   - stride: frames between clip starts, `clipLength / 2` by default (half-overlapping clips).
    ///   - withFlow: also draw the optical-flow magnitude (DIS, medium preset) of each frame to the
    ///     next, normalised per frame.
    ///   - targetClass: the class to explain; nil explains each clip's predicted class.
    ///   - excluding: classes a prediction skips (``GradCAM/compute(_:clip:stage:targetClass:excluding:)``).
    ///   - maxFrames: decode at most this many frames from the start (nil: the whole video).
    public static func render(
        backbone: any Backbone, statistics: InputStatistics, video: URL, stage: Int? = nil, clipLength: Int = 16, size: Int = 112,
        square: Bool = false,
        stride: Int? = nil, output: URL, withFlow: Bool = false, format: AnimationFormat = .mp4,
        targetClass: Int? = nil, excluding: Set<Int> = [], maxFrames: Int? = nil, style: Style = Style()
    ) throws(VisualizeError) -> Output {
        let stride = stride ?? max(1, clipLength / 2)
        guard clipLength >= 1, stride >= 1, size >= 1, style.gridColumns >= 1, (maxFrames ?? 1) >= 1 else {
            throw .invalid(
                "clipLength (\(clipLength)), stride (\(stride)), size (\(size)), gridColumns (\(style.gridColumns)) "
                    + "and maxFrames (\(maxFrames.map(String.init) ?? "nil")) must be positive")
        }
        guard (0...1).contains(style.alpha) else { throw .invalid("overlay alpha \(style.alpha) must be in [0, 1]") }
        let (frames, fps) = try decode(video, size: size, square: square, maxFrames: maxFrames)
        let (cams, classes) = try frameMaps(
            backbone, frames, statistics: statistics, stage: stage, clipLength: clipLength, stride: stride,
            targetClass: targetClass, excluding: excluding)
        let overlays = try zip(frames, cams).map { frame, cam throws(VisualizeError) in
            try frame.overlaid(with: cam, colorMap: style.colorMap, alpha: style.alpha)
        }
        let flows = withFlow ? try flowMagnitudes(frames).map { $0.colorized(style.colorMap) } : nil
        // Panels per frame, left to right (animation) or top to bottom (grid).
        let panels = [frames, overlays] + (flows.map { [$0] } ?? [])

        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch { throw VisualizeError(.writeFailed(path: output.path, why: error.localizedDescription)) }
        let animation = output.appendingPathComponent("gradcam.\(format.rawValue)")
        let grid = output.appendingPathComponent("gradcam-grid.png")
        do {
            // H.264/MPEG-4 store 4:2:0 chroma, which needs even sides: pad the strip by a pixel when needed.
            func strip(_ t: Int) throws(VisualizeError) -> Image {
                let row = try Image.mosaic([panels.map { $0[t] }])
                guard format == .mp4 else { return row }
                return try row.padded(width: row.width + row.width % 2, height: row.height + row.height % 2)
            }
            let first = try strip(0)
            let writer = try makeFrameWriter(url: animation, width: first.width, height: first.height, fps: fps)
            for t in frames.indices { try writer.write(try strip(t)) }
            try writer.finish()
            let columns = FrameSampling.uniform(min(style.gridColumns, frames.count), frameCount: frames.count)
            try Image.mosaic(panels.map { row in columns.map { row[$0] } }).write(to: grid)
        } catch let error as VideoError {
            throw VisualizeError(.video(error))
        } catch let error as VisualizeError {
            throw error
        } catch {
            throw VisualizeError(.writeFailed(path: output.path, why: "\(error)"))
        }
        return Output(animation: animation, grid: grid, frameCount: frames.count, clipClasses: classes)
    }

    /// Start frames of the sliding clips: every `stride` frames, plus one clip ending at the last
    /// frame when the stride does not land there (a single clip at 0 for a short video).
    static func clipStarts(frameCount: Int, clipLength: Int, stride: Int) -> [Int] {
        let lastStart = max(0, frameCount - clipLength)
        var starts = Array(Swift.stride(from: 0, through: lastStart, by: stride))
        if starts.last != lastStart { starts.append(lastStart) }
        return starts
    }

    private static func decode(_ video: URL, size: Int, square: Bool, maxFrames: Int?) throws(VisualizeError)
        -> (frames: [Image], fps: Double)
    {
        do throws(VideoError) {
            let reader = try VideoReader(video, size: .shortSide(size))
            var frames: [Image] = []
            while frames.count < (maxFrames ?? .max), let frame = try reader.next() {
                frames.append(square ? try frame.cropped(x: (frame.width - size) / 2, y: (frame.height - size) / 2, width: size, height: size) : frame)
            }
            guard !frames.isEmpty else { throw VideoError(video, .noFrames("the video decodes to no frame")) }
            reader.shortfall?.warn()
            return (frames, reader.metadata.fps > 0 ? reader.metadata.fps : 25)
        } catch { throw VisualizeError(.video(error)) }
    }

    /// One map per frame (the mean over the clips covering it) and the class of each clip.
    static func frameMaps(
        _ backbone: any Backbone, _ frames: [Image], statistics: InputStatistics, stage: Int?, clipLength: Int,
        stride: Int, targetClass: Int?, excluding: Set<Int> = []
    ) throws(VisualizeError) -> (maps: [HeatMap], classes: [Int]) {
        let device = backbone.namedParameters().first?.tensor.device ?? .cpu
        let (width, height) = (frames[0].width, frames[0].height)
        var sums = [[Float]](repeating: [Float](repeating: 0, count: width * height), count: frames.count)
        var counts = [Int](repeating: 0, count: frames.count)
        var classes: [Int] = []
        for start in clipStarts(frameCount: frames.count, clipLength: clipLength, stride: stride) {
            let indices = FrameSampling.clip(start: start, length: clipLength, stride: 1, frameCount: frames.count)
            let clip: Tensor
            do { clip = try ClipTensor.batch([indices.map { frames[$0] }], statistics).to(device) } catch {
                throw .invalid("cannot place the clip on \(device): \(error)")
            }
            let result = try GradCAM.compute(backbone, clip: clip, stage: stage, targetClass: targetClass, excluding: excluding)
            classes.append(result.classes[0])
            // A short video repeats its last frame: count each frame once per clip.
            for (t, map) in try result.heatMaps(clip: 0).enumerated() where t == 0 || indices[t] != indices[t - 1] {
                sums[indices[t]].withUnsafeMutableBufferPointer { sum in
                    map.values.withUnsafeBufferPointer { value in for i in 0..<sum.count { sum[i] += value[i] } }
                }
                counts[indices[t]] += 1
            }
        }
        let maps = try zip(sums, counts).map { sum, count throws(VisualizeError) in
            try HeatMap(width: width, height: height, values: sum.map { $0 / Float(count) })
        }
        return (maps, classes)
    }

    /// Per frame, the normalised flow magnitude to the next frame (the last frame reuses the
    /// flow into it; a single frame is still).
    private static func flowMagnitudes(_ frames: [Image]) throws(VisualizeError) -> [HeatMap] {
        guard frames.count > 1 else { return [HeatMap(flowMagnitudeOf: FlowField(width: frames[0].width, height: frames[0].height))] }
        do {
            let estimator = try DISFlow(preset: .medium)
            var maps = try (0..<(frames.count - 1)).map { t throws(MotionError) in
                HeatMap(flowMagnitudeOf: try estimator.flow(from: frames[t], to: frames[t + 1]))
            }
            maps.append(maps[maps.count - 1])
            return maps
        } catch { throw VisualizeError(.motion(error)) }
    }
}
