import KinemaNN

/// A ``Backbone`` that can run a range of its ``Backbone/stages`` on its own: the body split at a
/// stage boundary, for Grad-CAM at an inner stage (Selvaraju et al. 2017 look at any convolutional
/// layer) and for probing intermediate features.
///
/// ```swift
/// let a = model.runStages(0..<3, clip, mode: .eval)          // conv1–conv3 (stem first)
/// let map = model.runStages(3..<model.stages.count, a, mode: .eval)   // == model.featureMap(clip, mode: .eval)
/// ```
public protocol StagewiseBackbone: Backbone {
    /// Runs `stages[range]` in order on `input`: the clip `[N, 3, T, H, W]` when the range starts at
    /// 0, else the output of stage `range.lowerBound - 1`. An empty range returns `input`. The range
    /// must lie inside `0..<stages.count`.
    func runStages(_ range: Range<Int>, _ input: Tensor, mode: Mode) -> Tensor
}

extension ResNet3D: StagewiseBackbone {
    public func runStages(_ range: Range<Int>, _ input: Tensor, mode: Mode) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= stages.count, "stages \(range) outside 0..<\(stages.count)")
        return range.reduce(input) { x, stage in
            // Stage 0 is the stem; stage s > 0 is conv(s + 1), residualStages[s - 1].
            stage == 0 ? stem(x, mode: mode) : residualStages[stage - 1].reduce(x) { y, block in block(y, mode: mode) }
        }
    }
}

extension VideoResNet: StagewiseBackbone {
    public func runStages(_ range: Range<Int>, _ input: Tensor, mode: Mode) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= stages.count, "stages \(range) outside 0..<\(stages.count)")
        return range.reduce(input) { x, stage in stage == 0 ? stem(x, mode: mode) : layers[stage - 1](x, mode: mode) }
    }
}
