/// Which frame indices a clip or a set of segments reads: pure functions of the frame count, so
/// samplers can be tested exactly and randomness stays injected.
public enum FrameSampling {
    /// `length` indices `start, start + stride, …`; indices past the end repeat the last frame
    /// (short videos are padded the way VideoMAE/TSN loaders pad them). Empty when the video is.
    public static func clip(start: Int, length: Int, stride: Int, frameCount: Int) -> [Int] {
        precondition(length >= 0 && stride >= 1, "clip length must be >= 0 and stride >= 1")
        guard frameCount > 0 else { return [] }
        let first = min(max(start, 0), frameCount - 1)
        return (0..<length).map { min(first + $0 * stride, frameCount - 1) }
    }

    /// The span in source frames that a clip of `length` frames at `stride` covers.
    public static func span(length: Int, stride: Int) -> Int { max(0, (length - 1) * stride + 1) }

    /// A clip starting at a uniformly random frame such that it fits (start 0 when it cannot).
    public static func randomClip<G: RandomNumberGenerator>(
        length: Int, stride: Int, frameCount: Int, using generator: inout G
    ) -> [Int] {
        let room = frameCount - span(length: length, stride: stride)
        let start = room > 0 ? Int.random(in: 0...room, using: &generator) : 0
        return clip(start: start, length: length, stride: stride, frameCount: frameCount)
    }

    /// `count` clips spread evenly over the video for multi-view testing: clip k starts at
    /// `k · (frameCount − span) / (count − 1)` (integer division; VideoMAE's test sampling).
    public static func evenClips(count: Int, length: Int, stride: Int, frameCount: Int) -> [[Int]] {
        precondition(count >= 1, "at least one clip")
        let room = max(0, frameCount - span(length: length, stride: stride))
        return (0..<count).map { k in
            let start = count == 1 ? room / 2 : k * room / (count - 1)
            return clip(start: start, length: length, stride: stride, frameCount: frameCount)
        }
    }

    /// TSN segment sampling: the video is cut into `segments` equal parts and one frame is taken
    /// from each — its centre frame (evaluation).
    public static func segmentCentres(_ segments: Int, frameCount: Int) -> [Int] {
        precondition(segments >= 1, "at least one segment")
        guard frameCount > 0 else { return [] }
        let length = Double(frameCount) / Double(segments)
        return (0..<segments).map { min(Int(length * (Double($0) + 0.5)), frameCount - 1) }
    }

    /// TSN segment sampling with a uniformly random frame inside each part (training).
    public static func randomSegments<G: RandomNumberGenerator>(
        _ segments: Int, frameCount: Int, using generator: inout G
    ) -> [Int] {
        precondition(segments >= 1, "at least one segment")
        guard frameCount > 0 else { return [] }
        let length = Double(frameCount) / Double(segments)
        return (0..<segments).map { s in
            let lower = Int(length * Double(s))
            let upper = max(lower, Int(length * Double(s + 1)) - 1)
            return min(Int.random(in: lower...upper, using: &generator), frameCount - 1)
        }
    }

    /// `count` indices evenly spaced over `0 ... frameCount − 1` (linspace, truncated), as TAdaConv
    /// samples a clip span.
    public static func uniform(_ count: Int, frameCount: Int) -> [Int] {
        precondition(count >= 0, "count must not be negative")
        guard frameCount > 0, count > 0 else { return [] }
        if count == 1 { return [0] }
        return (0..<count).map { Int(Double($0) * Double(frameCount - 1) / Double(count - 1)) }
    }
}
