// Kinema from another package: an image written and read back (KinemaVideo), a clip tensor made from
// it (KinemaTensor), a tiny R(2+1)D-10 run on the clip (KinemaModels). Every line it prints is checked
// here, so a wrong result exits non-zero and fails `make example`.
import Foundation
import KinemaModels
import KinemaTensor
import KinemaVideo

func check(_ condition: Bool, _ message: String) {
    guard condition else {
        FileHandle.standardError.write(Data("kinema-hello: \(message)\n".utf8))
        exit(1)
    }
}

// KinemaVideo: a 32×32 colour gradient through a PNG file (lossless, so it must come back exactly).
let size = 32
var pixels: [UInt8] = []
for y in 0..<size {
    for x in 0..<size { pixels += [UInt8(x * 8), UInt8(y * 8), 128] }
}
let image = Image(width: size, height: size, format: .rgb, pixels: pixels)
let file = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-hello-\(getpid()).png")
defer { try? FileManager.default.removeItem(at: file) }
try image.write(to: file)
let decoded = try Image(contentsOf: file)
check(decoded == image, "the PNG did not read back as written")
print("image: \(decoded.width)x\(decoded.height) PNG read back exactly")

// KinemaTensor: a clip [N, C, T, H, W] = [1, 3, 4, 32, 32], the image repeated over 4 frames, in [0, 1].
let frames = 4
var values: [Float] = []
for channel in 0..<3 {
    let plane = stride(from: channel, to: pixels.count, by: 3).map { Float(pixels[$0]) / 255 }
    for _ in 0..<frames { values += plane }
}
let clip = Tensor(values, shape: [1, 3, frames, size, size])
let blue = clip.mean(dims: [2, 3, 4]).array(of: Float.self)[2]
check(abs(blue - 128 / 255) < 1e-5, "blue channel mean \(blue), expected \(128.0 / 255)")
print("clip: \(clip.shape), blue mean \(String(format: "%.4f", blue))")

// KinemaModels: MoSI's R(2+1)D-10, 8 channels wide instead of 64, five classes.
Engine.seed(0)
let store = ParameterStore()
let model = try ResNet3D(store.root, variant: .r2plus1d, depth: 10, classes: 5, width: 8)
let logits = model(clip, mode: .eval)
let probabilities = logits.softmax(dim: 1).array(of: Float.self)
check(logits.shape == [1, 5], "logits of shape \(logits.shape), expected [1, 5]")
check(abs(probabilities.reduce(0, +) - 1) < 1e-5, "probabilities sum to \(probabilities.reduce(0, +))")
print("model: R(2+1)D-10 (width 8), \(store.root.stateDict().count) tensors, logits \(logits.shape), probabilities sum to 1")
