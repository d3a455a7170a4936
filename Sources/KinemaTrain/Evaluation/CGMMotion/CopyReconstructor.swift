import KinemaVideo

/// The zero-motion baseline: every frame is synthesised as a copy of its predecessor, and the next
/// frame is predicted as a copy of the last one. Its ℓ1 error is the mean frame difference, the
/// error of a method that represents no motion at all; its PSNR/SSIM the floor any frame
/// predictor must beat.
public struct CopyReconstructor: MotionReconstructor {
    public let name = "copy"

    public init() {}

    public func reconstruct(clip: [Image]) throws -> MotionReconstruction {
        guard clip.count >= 2 else { throw TrainingRunError("copy: a clip needs at least 2 frames, got \(clip.count)") }
        return MotionReconstruction(seen: Array(clip.dropLast()), next: clip[clip.count - 1])
    }
}
