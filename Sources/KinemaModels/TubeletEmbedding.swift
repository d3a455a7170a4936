import KinemaNN

/// VideoMAE's `PatchEmbed`: a Conv3d with kernel = stride = `tubelet × patch × patch` (with bias)
/// cuts the clip `[N, C, T, H, W]` into non-overlapping tubes and embeds each; the result is the
/// grid `[N, D, T/tubelet, H/patch, W/patch]`, whose tokens in `(t, h, w)` order are the
/// transformer's sequence. Keys: `proj.weight [D, C, tubelet, patch, patch]`, `proj.bias [D]`.
final class TubeletEmbedding: UnaryLayer, Module {
    let path: ParameterPath
    let proj: Conv3d
    let tubelet: Int
    let patch: Int

    init(_ path: ParameterPath, channels: Int, dimension: Int, tubelet: Int, patch: Int) throws(ModuleError) {
        guard tubelet > 0, patch > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "tubelet embedding at '\(path)' needs positive sizes, got tubelet \(tubelet), patch \(patch)")
        }
        self.path = path
        self.tubelet = tubelet
        self.patch = patch
        let kernel = SpatialSize([tubelet, patch, patch])
        proj = try Conv3d(path / "proj", inChannels: channels, outChannels: dimension, kernelSize: kernel, stride: kernel)
    }

    /// Why a clip of `frames × height × width` cannot be cut into whole `tubelet × patch × patch`
    /// tubes, or nil when it can.
    static func problem(frames: Int, height: Int, width: Int, tubelet: Int, patch: Int) -> String? {
        guard frames <= 0 || height <= 0 || width <= 0 || frames % tubelet != 0 || height % patch != 0 || width % patch != 0
        else { return nil }
        return "a \(frames)×\(height)×\(width) clip cannot be cut into \(tubelet)×\(patch)×\(patch) tubes: "
            + "frames must be a positive multiple of \(tubelet), height and width of \(patch)"
    }

    func callAsFunction(_ clip: Tensor) -> Tensor {
        precondition(clip.rank == 5, "tubelet embedding at '\(path)' expects a clip [N, C, T, H, W], got \(clip.summary)")
        if let problem = Self.problem(
            frames: clip.size(2), height: clip.size(3), width: clip.size(4), tubelet: tubelet, patch: patch)
        {
            preconditionFailure("tubelet embedding at '\(path)': \(problem)")
        }
        return proj(clip)
    }
}
