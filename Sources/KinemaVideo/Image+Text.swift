internal import CKinemaCV

/// How a text label looks: OpenCV's Hershey simplex font, anti-aliased, in a box that holds all of
/// its ink (every text of one style has the same box height and baseline), grown by `padding`.
public struct TextStyle: Sendable, Equatable {
    /// The height of capital letters in pixels (1…512); the box is about 1.6 times as tall.
    public var height: Int
    /// Stroke width in pixels (1…64).
    public var thickness: Int
    /// Pixels added to the box on every side (0…1024).
    public var padding: Int

    /// A style whose stroke thickens with the size (1 px up to 23 px letters) and whose box leaves
    /// a fifth of the letter height around the text.
    public init(height: Int, thickness: Int? = nil, padding: Int? = nil) {
        self.height = height
        self.thickness = thickness ?? max(1, height / 12)
        self.padding = padding ?? max(1, height / 5)
    }
}

extension Image {
    /// The size of the box `text` fills in `style` (padding included): lay labels out with it.
    ///
    /// Throws `.invalidArgument` for text that is not printable ASCII (the only characters the
    /// Hershey fonts have), longer than 1024 bytes or wider than 16 K pixels, and for a style out of
    /// its ranges.
    public static func textSize(_ text: String, style: TextStyle) throws(VideoError) -> (width: Int, height: Int) {
        var width: Int32 = 0, height: Int32 = 0
        try checkText(text, style)
        try textCall(text) {
            kcv_text_size(text, Int32(style.height), Int32(style.thickness), Int32(style.padding), &width, &height)
        }
        return (Int(width), Int(height))
    }

    /// Draws `text` with its box's top-left corner at `origin`: the box (``textSize(_:style:)``) is
    /// filled with `background` first when given, then the glyphs are blended in `color` by their
    /// anti-aliased coverage. Pixels outside the box never change; a box reaching past the image
    /// is clipped. The image is converted to RGB first if needed.
    ///
    /// ```swift
    /// var frame = try Image(contentsOf: url)
    /// try frame.draw(text: "x +2", at: (4, 4), style: TextStyle(height: 12), background: (0, 0, 0))
    /// ```
    ///
    /// Throws `.invalidArgument` for the text and styles ``textSize(_:style:)`` rejects and for an
    /// origin 16 K pixels or more away from the image.
    public mutating func draw(
        text: String, at origin: (x: Int, y: Int), style: TextStyle,
        color: (r: UInt8, g: UInt8, b: UInt8) = (255, 255, 255), background: (r: UInt8, g: UInt8, b: UInt8)? = nil
    ) throws(VideoError) {
        try Self.checkText(text, style)
        guard abs(origin.x) < 16_384, abs(origin.y) < 16_384 else {
            throw VideoError(path: "<text>", reason: .invalidArgument("text origin \(origin) must lie within ±16384 px"))
        }
        if format != .rgb { self = try converted(to: .rgb) }
        let (w, h) = (Int32(width), Int32(height))
        let ink = [color.r, color.g, color.b]
        let fill = background.map { [$0.r, $0.g, $0.b] }
        try Self.textCall(text) {
            pixels.withUnsafeMutableBytes { canvas in
                func put(_ fill: UnsafePointer<UInt8>?) -> Int32 {
                    kcv_put_text(
                        canvas.baseAddress, w, h, text, Int32(origin.x), Int32(origin.y), Int32(style.height),
                        Int32(style.thickness), Int32(style.padding), ink, fill)
                }
                guard let fill else { return put(nil) }
                return put(fill)
            }
        }
    }

    /// The checks the shim makes too, so that Swift callers get the reason before any C call.
    private static func checkText(_ text: String, _ style: TextStyle) throws(VideoError) {
        func invalid(_ why: String) -> VideoError { VideoError(path: "<text>", reason: .invalidArgument(why)) }
        if let bad = text.unicodeScalars.first(where: { !(0x20...0x7E).contains($0.value) }) {
            throw invalid("'\(bad.escaped(asASCII: true))' in \"\(text)\" is not printable ASCII, the only characters the Hershey font has")
        }
        guard text.utf8.count <= 1024 else { throw invalid("text is \(text.utf8.count) bytes, at most 1024") }
        guard (1...512).contains(style.height) else { throw invalid("text height \(style.height) must be in 1...512") }
        guard (1...64).contains(style.thickness) else { throw invalid("text thickness \(style.thickness) must be in 1...64") }
        guard (0...1024).contains(style.padding) else { throw invalid("text padding \(style.padding) must be in 0...1024") }
    }

    /// Runs a text shim call; its only failure left after ``checkText(_:_:)`` is a text too wide.
    private static func textCall(_ text: String, _ call: () -> Int32) throws(VideoError) {
        do { try cvCheck(call()) } catch {
            throw VideoError(path: "<text \"\(text.prefix(40))\">", reason: .invalidArgument(error.message))
        }
    }
}
