// What MoSI trains on, for one image: every pseudo-motion class (§3.1, Eq. 1–2) rendered from it,
// once with the static mask (§3.2, Eq. 3) and once without, as a labelled animated grid. The two
// rows share every random draw but the mask (the same window paths, colours and flips), so a
// column shows exactly what the mask hides.
import Foundation
import KinemaPretext
import KinemaVideo

/// The C_T pseudo-motion clips of one image as an animated grid: for each class a masked cell and,
/// below it, the same clip without the static mask; a header tile opens every row.
///
/// The masked clips are exactly those `MoSIGenerator(config, seed: seed)` renders for the image as
/// item 0 — with the paper's random mask (side ratio 0.3–0.5) when `config` has none, so that the
/// rows still differ. Cells are L × L, or 2L × 2L when L ≤ 64 so that their labels stay readable;
/// classes wrap onto further row pairs after `columns` of them.
///
/// ```swift
/// let photo = try Image(contentsOf: URL(fileURLWithPath: "photos/coffee.png"))
/// let sheet = try MoSISampleSheet(image: photo, config: MoSIConfig(frameCount: 8, cropSize: 64, standardSize: 128), seed: 7)
/// let written = try sheet.writeGIF(to: runFolder.appendingPathComponent("mosi-samples.gif"))
/// print("\(written.frameCount) frames of \(sheet.cells.count) clips → \(written.url.path)")
/// ```
public struct MoSISampleSheet: Sendable {
    /// Where one clip sits in the sheet.
    public struct Cell: Sendable, Equatable {
        /// The clip's class and its caption (``MoSISampleSheet/caption(for:)``).
        public let label: Int
        public let caption: String
        /// With the static mask (the upper row of its pair) or without it.
        public let masked: Bool
        /// Top-left corner and side of the cell in the sheet, in pixels.
        public let x: Int
        public let y: Int
        public let size: Int
    }

    /// The sheet's frames, one per clip frame (N).
    public let frames: [Image]
    /// The C_T × 2 clip cells, class by class, the masked one first.
    public let cells: [Cell]
    /// The masked samples, one per class in label order; the unmasked clips are these without mask.
    public let group: MoSIGroup

    /// Gap between tiles and the colours of the chrome.
    static let gap = 2
    static let backdrop: [UInt8] = [40, 40, 40]
    static let labelBackground: (r: UInt8, g: UInt8, b: UInt8) = (16, 16, 16)

    /// Renders the sheet of `image` (any size; MoSI standardises it). `columns` (default: C_T, at
    /// most 9) classes go in one row pair. Throws `.invalidArgument` for a config that cannot work
    /// or `columns` < 1.
    public init(image: Image, config: MoSIConfig = MoSIConfig(), seed: UInt64 = 0, columns: Int? = nil) throws(VisualizeError) {
        let classes = config.labelPool.count
        let columns = columns ?? min(classes, 9)
        guard columns >= 1 else { throw .invalid("a sample sheet needs at least 1 column, got \(columns)") }
        var maskedConfig = config
        if config.staticMask == .none { maskedConfig.staticMask = MoSIConfig().staticMask }
        // Captions name the motion shown, also for the label-noise control's settings.
        maskedConfig.labels = .motion

        let masked: [[Image]], unmasked: [[Image]]
        do {
            let generator = try MoSIGenerator(maskedConfig, seed: seed, threads: 1)
            (group, masked) = try generator.group(for: image, item: 0)
            unmasked = try MoSIRenderer.render(MoSIGroup(samples: group.samples.map(Self.withoutMask)), source: image)
        } catch { throw .invalid("\(error)") }

        let size = config.cropSize <= 64 ? 2 * config.cropSize : config.cropSize
        let style = try Self.labelStyle(fitting: size)
        let captions = group.samples.map { Self.caption(for: config.labelPool.speeds[$0.label]) }
        let chunks = stride(from: 0, to: classes, by: columns).map { $0..<min($0 + columns, classes) }

        var cells: [Cell] = []
        let step = size + Self.gap
        for (pair, chunk) in chunks.enumerated() {
            for (column, label) in chunk.enumerated() {
                for row in 0..<2 {
                    cells.append(Cell(label: label, caption: captions[label], masked: row == 0,
                                      x: (column + 1) * step, y: (2 * pair + row) * step, size: size))
                }
            }
        }
        self.cells = cells

        let blank = Image(width: size, height: size, format: .rgb, filledWith: Self.backdrop)
        let headers = try ["masked", "unmasked"].map { name throws(VisualizeError) in
            try Self.drawing(on: blank) { tile throws(VideoError) in
                let box = try Image.textSize(name, style: style)
                try tile.draw(text: name, at: ((size - box.width) / 2, (size - box.height) / 2), style: style)
            }
        }
        var frames: [Image] = []
        for t in 0..<config.frameCount {
            // The frame number goes under the first row's header.
            let counter = "frame \(t + 1)/\(config.frameCount)"
            let firstHeader = try Self.drawing(on: headers[0]) { tile throws(VideoError) in
                try tile.draw(text: counter, at: (0, size - Image.textSize(counter, style: style).height), style: style)
            }
            var rows: [[Image]] = []
            for (pair, chunk) in chunks.enumerated() {
                for (row, clips) in [masked, unmasked].enumerated() {
                    let header = pair == 0 && row == 0 ? firstHeader : headers[row]
                    rows.append(try [header] + chunk.map { label throws(VisualizeError) in
                        try Self.drawing(on: clips[label][t]) { tile throws(VideoError) in
                            tile = try tile.resized(width: size, height: size)
                            try tile.draw(text: captions[label], at: (0, 0), style: style, background: Self.labelBackground)
                        }
                    })
                }
            }
            frames.append(try Image.mosaic(rows, gap: Self.gap, background: Self.backdrop))
        }
        self.frames = frames
    }

    /// Writes the sheet as an animated GIF that loops forever, at `fps` frames per second.
    @discardableResult
    public func writeGIF(to url: URL, fps: Double = 8) throws(VisualizeError) -> (url: URL, frameCount: Int) {
        try Image.writeGIF(frames, to: url, fps: fps)
        return (url, frames.count)
    }

    /// A class's caption: "x +2" (the window moves 2 speed units right), "y -1" (1 up), "static",
    /// or both axes for coupled pools ("x +1 y -2").
    public static func caption(for speed: MoSISpeed) -> String {
        func axis(_ name: String, _ v: Int) -> String { "\(name) \(v > 0 ? "+" : "")\(v)" }
        switch (speed.x, speed.y) {
        case (0, 0): return "static"
        case (_, 0): return axis("x", speed.x)
        case (0, _): return axis("y", speed.y)
        default: return axis("x", speed.x) + " " + axis("y", speed.y)
        }
    }

    /// The sample with every random draw kept but the static mask.
    static func withoutMask(_ s: MoSISample) -> MoSISample {
        MoSISample(
            label: s.label, speed: s.speed, frameCount: s.frameCount, cropSize: s.cropSize, standardSize: s.standardSize,
            resizedWidth: s.resizedWidth, resizedHeight: s.resizedHeight, squareX: s.squareX, squareY: s.squareY,
            startX: s.startX, startY: s.startY, distanceX: s.distanceX, distanceY: s.distanceY, color: s.color,
            flipped: s.flipped, mask: nil)
    }

    /// Letters a tenth of the cell high, smaller where the widest row header would not fit (never
    /// below 6 px: tinier cells get clipped labels rather than unreadable ones).
    static func labelStyle(fitting size: Int) throws(VisualizeError) -> TextStyle {
        var height = max(6, size / 10)
        do {
            while height > 6, try Image.textSize("unmasked", style: TextStyle(height: height)).width > size { height -= 1 }
        } catch { throw VisualizeError(.video(error)) }
        return TextStyle(height: height)
    }

    /// A copy of `base` changed by `draw`.
    static func drawing(on base: Image, _ draw: (inout Image) throws(VideoError) -> Void) throws(VisualizeError) -> Image {
        var tile = base
        do { try draw(&tile) } catch { throw VisualizeError(.video(error)) }
        return tile
    }
}
