import KinemaNN

// The Swift twin of gen_nn.py's TinyNet: torchvision-style nesting, so its state-dict keys are
// `stem.0.weight`, `layer1.0.conv1.1.running_mean`, `head.bias`, ….

final class ResidualBlock: Layer, Module {
    let path: ParameterPath
    let conv1: Sequential
    let conv2: Conv2d

    init(_ path: ParameterPath, channels: Int) throws {
        self.path = path
        let c1 = path / "conv1"
        conv1 = try Sequential(
            c1,
            [
                try Conv2d(c1 / 0, inChannels: channels, outChannels: channels, kernelSize: 3, padding: 1, bias: false),
                try BatchNorm2d(c1 / 1, features: channels),
                Activation.relu,
            ])
        conv2 = try Conv2d(path / "conv2", inChannels: channels, outChannels: channels, kernelSize: 1)
    }

    func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor { x + conv2(conv1(x, mode: mode)) }
}

final class TinyNet: Layer, Module {
    let path: ParameterPath
    let stem: Sequential
    let layer1: Sequential
    let head: Linear

    init(_ path: ParameterPath) throws {
        self.path = path
        let s = path / "stem"
        stem = try Sequential(
            s,
            [
                try Conv2d(s / 0, inChannels: 3, outChannels: 4, kernelSize: 3, stride: 2, padding: 1),
                try BatchNorm2d(s / 1, features: 4),
                Activation.relu,
            ])
        let l = path / "layer1"
        layer1 = try Sequential(l, [try ResidualBlock(l / 0, channels: 4), try ResidualBlock(l / 1, channels: 4)])
        head = try Linear(path / "head", inFeatures: 4, outFeatures: 3)
    }

    func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        head(layer1(stem(x, mode: mode), mode: mode).mean(dims: [2, 3]))
    }
}
