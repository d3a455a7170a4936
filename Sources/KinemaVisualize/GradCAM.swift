import KinemaModels
import KinemaTensor

/// Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via
/// Gradient-based Localization", ICCV 2017) on video: where in space and time a backbone's stage
/// sees the evidence for a class — MoSI Fig. 4 looks at conv5 of a MoSI-pretrained backbone on
/// real video, without fine-tuning.
///
/// For the stage output `A` `[N, C, T', H', W']` and the class logit `y` (by default the predicted
/// class), Eq. 1 weights each channel by its spatio-temporally averaged gradient and Eq. 2 keeps
/// the positive part of the weighted sum:
///
///     α_c = mean over (t, h, w) of ∂y / ∂A_c(t, h, w)        L = ReLU(Σ_c α_c A_c)
///
/// `L` is upsampled trilinearly to the clip's `T × H × W` and min–max normalised to [0, 1] per clip.
///
/// ```swift
/// let cam = try GradCAM.compute(model, clip: clip)            // last stage, predicted class
/// cam.maps                                                     // [N, T, H, W] in [0, 1]
/// let conv4 = try GradCAM.compute(model, clip: clip, stage: 3, targetClass: 2)
/// ```
public enum GradCAM {
    /// What one Grad-CAM pass produced.
    public struct Result {
        /// The maps `[N, T, H, W]`, upsampled to the clip and normalised to [0, 1] per clip (all
        /// zeros where `L` is zero everywhere: no position speaks for the class).
        public let maps: Tensor
        /// `L` upsampled to the clip `[N, T, H, W]`, before normalisation: its values keep their
        /// proportions, so shares of the map's mass (``GradCAMLocalization``) are read from it.
        public let upsampled: Tensor
        /// `L` before upsampling and normalisation, `[N, T', H', W']`.
        public let coarse: Tensor
        /// The channel weights `α` `[N, C]`.
        public let weights: Tensor
        /// The logits `[N, classes]` of the clips.
        public let logits: Tensor
        /// The class each clip's map explains.
        public let classes: [Int]
    }

    /// Grad-CAM of `backbone` at `stage` (an index into ``Backbone/stages``, the stem is 0; the
    /// last stage by default) for `clip` `[N, 3, T, H, W]`, in evaluation mode.
    ///
    /// The stages up to `stage` run without autograd; the rest of the network (the later stages,
    /// global average pooling and ``Backbone/head``) runs again from a detached copy of the stage
    /// output, so only that copy receives a gradient: the backbone's parameters get none (their
    /// `requiresGrad` is switched off for the pass and restored). Inner stages need a
    /// ``StagewiseBackbone``; any backbone supports the last stage.
    ///
    /// - Parameters:
    ///   - targetClass: the class to explain for every clip; nil explains each clip's predicted class.
    ///   - excluding: classes the prediction skips when `targetClass` is nil (e.g. MoSI's still class,
    ///     so that a pretext model explains the most probable *motion*: the still class's evidence is
    ///     wherever nothing moves).
    public static func compute(
        _ backbone: any Backbone, clip: Tensor, stage: Int? = nil, targetClass: Int? = nil, excluding: Set<Int> = []
    ) throws(VisualizeError) -> Result {
        guard clip.rank == 5, clip.shape.allSatisfy({ $0 > 0 }) else {
            throw .invalid("Grad-CAM needs a clip [N, 3, T, H, W], got \(clip.summary)")
        }
        let last = backbone.stages.count - 1
        let stage = stage ?? last
        guard (0...last).contains(stage) else {
            throw .invalid("stage \(stage) does not exist: this backbone has stages 0...\(last) (0 is the stem)")
        }
        let (prefix, suffix) = try split(backbone, at: stage)
        let activation = withNoGrad { prefix(clip) }
        return try withoutParameterGradients(backbone) { () throws(VisualizeError) in
            try compute(activation: activation, outputSize: Array(clip.shape[2...]), targetClass: targetClass, excluding: excluding) { a in
                // The protocol's `features` from the last feature map; the head's dropout is the
                // identity in evaluation mode.
                backbone.head(backbone.pooled(suffix(a)))
            }
        }
    }

    /// Grad-CAM from a stage output `activation` `[N, C, T', H', W']` and the rest of the network,
    /// `logits` (`[N, C, T', H', W']` → `[N, classes]`): the arithmetic of Eq. 1–2, with the map
    /// upsampled to `outputSize` (`[T, H, W]`). Parameters that `logits` uses receive gradients
    /// unless they are frozen. `targetClass` and `excluding` choose the class as in the other overload.
    public static func compute(
        activation: Tensor, outputSize: [Int], targetClass: Int? = nil, excluding: Set<Int> = [], logits score: (Tensor) -> Tensor
    ) throws(VisualizeError) -> Result {
        guard activation.rank == 5 else {
            throw .invalid("Grad-CAM needs a stage output [N, C, T', H', W'], got \(activation.summary)")
        }
        guard outputSize.count == 3, outputSize.allSatisfy({ $0 > 0 }) else {
            throw .invalid("the map size must be three positive values [T, H, W], got \(outputSize)")
        }
        let clips = activation.size(0)
        return try withGrad { () throws(VisualizeError) in
            let a = activation.detached().requiringGrad()
            let logits = score(a)
            guard logits.rank == 2, logits.size(0) == clips else {
                throw .invalid("the network must give logits [\(clips), classes], got \(logits.summary)")
            }
            let classes = try targetClasses(logits, targetClass, excluding: excluding)
            let index: Tensor
            do { index = try Tensor(classes.map(Int64.init), shape: [clips, 1]).to(logits.device) } catch {
                throw .invalid("cannot place the class indices on \(logits.device): \(error)")
            }
            // One backward pass for the whole batch: clip n's logit depends only on clip n's A.
            logits.gathered(dim: 1, index: index).sum().backward()
            guard let gradient = a.grad else { throw .invalid("the logits do not depend on the stage output") }
            let weights = gradient.mean(dims: [2, 3, 4], keepdim: true)  // Eq. 1
            let coarse = (weights * a.detached()).sum(dims: [1], keepdim: true).relu()  // Eq. 2
            let fine = coarse.interpolate(size: SpatialSize(outputSize), mode: .trilinear, alignCorners: false)
            let low = fine.amin(dims: [1, 2, 3, 4], keepdim: true)
            let range = fine.amax(dims: [1, 2, 3, 4], keepdim: true) - low
            // A constant map (zero everywhere, typically) has no range: it stays zero.
            let maps = ((fine - low) / range.clamped(min: 1e-12)).squeezed(1)
            return Result(
                maps: maps, upsampled: fine.squeezed(1), coarse: coarse.squeezed(1), weights: weights.flattened(from: 1),
                logits: logits.detached(), classes: classes)
        }
    }

    /// The stage output and the rest of the body after it (without pooling and head).
    private static func split(_ backbone: any Backbone, at stage: Int) throws(VisualizeError)
        -> (prefix: (Tensor) -> Tensor, suffix: (Tensor) -> Tensor)
    {
        let count = backbone.stages.count
        if let staged = backbone as? any StagewiseBackbone {
            return (
                { staged.runStages(0..<(stage + 1), $0, mode: .eval) },
                { staged.runStages((stage + 1)..<count, $0, mode: .eval) }
            )
        }
        guard stage == count - 1 else {
            throw .invalid(
                "\(type(of: backbone)) cannot run its stages one at a time (it is not a StagewiseBackbone): "
                    + "only its last stage (\(count - 1)) can be explained")
        }
        return ({ backbone.featureMap($0, mode: .eval) }, { $0 })
    }

    private static func targetClasses(_ logits: Tensor, _ target: Int?, excluding: Set<Int>) throws(VisualizeError) -> [Int] {
        let classes = logits.size(1)
        guard let target else {
            let candidates = (0..<classes).filter { !excluding.contains($0) }
            guard !candidates.isEmpty else { throw .invalid("every one of the \(classes) classes is excluded: nothing to explain") }
            let rows = logits.detached().to(.float64).array(of: Double.self)
            return (0..<logits.size(0)).map { n in candidates.max { rows[n * classes + $0] < rows[n * classes + $1] }! }
        }
        guard (0..<classes).contains(target) else {
            throw .invalid("class \(target) does not exist: the head has classes 0..<\(classes)")
        }
        return Array(repeating: target, count: logits.size(0))
    }
}

/// Runs `body` with every parameter of `module` excluded from autograd, restoring each one's
/// `requiresGrad` afterwards: Grad-CAM's backward pass must leave the model's `.grad`s alone.
func withoutParameterGradients<R, E: Error>(_ module: any Module, _ body: () throws(E) -> R) throws(E) -> R {
    let parameters = module.namedParameters().map(\.tensor)
    let flags = parameters.map(\.requiresGrad)
    for parameter in parameters { parameter.requiresGrad = false }
    defer { for (parameter, flag) in zip(parameters, flags) { parameter.requiresGrad = flag } }
    return try body()
}

extension GradCAM.Result {
    /// Clip `clip`'s maps as one ``HeatMap`` per frame (`T` maps of `W × H`).
    public func heatMaps(clip: Int) throws(VisualizeError) -> [HeatMap] {
        guard (0..<maps.size(0)).contains(clip) else {
            throw .invalid("clip \(clip) does not exist: the result holds clips 0..<\(maps.size(0))")
        }
        let (frames, height, width) = (maps.size(1), maps.size(2), maps.size(3))
        let values: [Float]
        do { values = try maps.selected(dim: 0, index: clip).to(.cpu).array(of: Float.self) } catch {
            throw .invalid("cannot read the maps back to the CPU: \(error)")
        }
        let area = height * width
        return try (0..<frames).map { t throws(VisualizeError) in
            try HeatMap(width: width, height: height, values: Array(values[(t * area)..<((t + 1) * area)]))
        }
    }
}
