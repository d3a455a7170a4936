import Foundation
import KinemaTrain

/// The rest of the input as a YAML config file layered onto one of the run configs (the path of
/// `--config` files and of the config saved with a checkpoint).
func fuzzConfig(_ input: Data) -> Bool {
    let (choice, bytes) = choose(input, among: 4)
    let layer = (text: String(decoding: bytes, as: UTF8.self), source: "input.yaml")
    switch choice {
    case 0: return (try? MoSIPretrainConfig.resolve(layers: [layer])) != nil
    case 1: return (try? VideoMAEPretrainConfig.resolve(layers: [layer])) != nil
    case 2: return (try? FineTuneConfig.resolve(layers: [layer])) != nil
    default: return (try? CGMPretrainConfig.resolve(layers: [layer])) != nil
    }
}
