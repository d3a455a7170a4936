internal import CKinemaCV

/// An adaptive palette of at most 256 colours for one frame (Heckbert's median cut), and the
/// mapping of every pixel to its nearest palette entry.
struct MedianCutPalette {
    /// RGB triples.
    private(set) var colors: [(UInt8, UInt8, UInt8)] = []

    /// Colours packed as 0xRRGGBB, with the channel of widest range and that range.
    private struct Box {
        var samples: [UInt32]
        var channel = 0
        var range = 0

        init(_ samples: [UInt32]) {
            self.samples = samples
            var lo: (UInt32, UInt32, UInt32) = (255, 255, 255), hi: (UInt32, UInt32, UInt32) = (0, 0, 0)
            for v in samples {
                let (r, g, b) = (v >> 16, (v >> 8) & 0xFF, v & 0xFF)
                lo = (min(lo.0, r), min(lo.1, g), min(lo.2, b))
                hi = (max(hi.0, r), max(hi.1, g), max(hi.2, b))
            }
            let ranges = [Int(hi.0) - Int(lo.0), Int(hi.1) - Int(lo.1), Int(hi.2) - Int(lo.2)]
            channel = ranges[0] >= ranges[1] ? (ranges[0] >= ranges[2] ? 0 : 2) : (ranges[1] >= ranges[2] ? 1 : 2)
            range = max(0, ranges[channel])
        }
    }

    /// Builds the palette from (a subsample of) the RGB pixels of `image`.
    init(_ image: Image, maxColors: Int = 256) {
        precondition(image.format == .rgb && (2...256).contains(maxColors))
        let pixelCount = image.width * image.height
        let step = max(1, pixelCount / 16_384)  // a 16k-pixel sample decides the boxes
        var samples: [UInt32] = []
        samples.reserveCapacity(pixelCount / step + 1)
        image.pixels.withUnsafeBufferPointer { p in
            for i in stride(from: 0, to: pixelCount, by: step) {
                samples.append(UInt32(p[3 * i]) << 16 | UInt32(p[3 * i + 1]) << 8 | UInt32(p[3 * i + 2]))
            }
        }
        var boxes = [Box(samples)]
        // Split the box with the widest channel range until there are enough boxes (or none can be
        // split: the image has fewer distinct colours).
        while boxes.count < maxColors, let widest = boxes.indices.max(by: { boxes[$0].range < boxes[$1].range }),
            boxes[widest].range > 0
        {
            let shift = UInt32(16 - 8 * boxes[widest].channel)
            let samples = boxes[widest].samples
            // Cut at the channel's median value (a histogram, no sort): values up to it go left. If
            // the median is the largest value, cut below it instead, so both halves are non-empty
            // and no colour ends up in two boxes.
            var counts = [Int](repeating: 0, count: 256)
            for v in samples { counts[Int((v >> shift) & 0xFF)] += 1 }
            var cut = 0, seen = counts[0]
            while seen * 2 < samples.count { cut += 1; seen += counts[cut] }
            if seen == samples.count {
                repeat { seen -= counts[cut]; cut -= 1 } while counts[cut] == 0
            }
            var lower: [UInt32] = [], upper: [UInt32] = []
            lower.reserveCapacity(seen)
            upper.reserveCapacity(samples.count - seen)
            for v in samples {
                if Int((v >> shift) & 0xFF) <= cut { lower.append(v) } else { upper.append(v) }
            }
            boxes[widest] = Box(lower)
            boxes.append(Box(upper))
        }
        colors = boxes.map { box in
            var sum = (0, 0, 0)
            for v in box.samples { sum = (sum.0 + Int(v >> 16), sum.1 + Int((v >> 8) & 0xFF), sum.2 + Int(v & 0xFF)) }
            let n = max(box.samples.count, 1)
            return (UInt8((sum.0 + n / 2) / n), UInt8((sum.1 + n / 2) / n), UInt8((sum.2 + n / 2) / n))
        }
    }

    /// Palette indices for every pixel of `image` (nearest colour in RGB distance; the shim caches
    /// the answer per 5-bit-per-channel cell).
    func indices(for image: Image) throws(VideoError) -> [UInt8] {
        let flat = colors.flatMap { [$0.0, $0.1, $0.2] }
        return try image.shim("palette mapping") { v, out in kcv_palette_indices(v, flat, Int32(colors.count), out) }.bytes()
    }
}
