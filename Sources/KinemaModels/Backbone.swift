import KinemaNN

/// The surface every video backbone shares (docs/architecture-notes.md, "Tensors, modules, training"), so
/// that pretext tasks, fine-tuning and evaluation never depend on a particular architecture.
///
/// A backbone maps a clip `[N, 3, T, H, W]` to a feature map, pools it to features
/// `[N, featureDimension]` and classifies them with its ``head``:
///
/// ```swift
/// let model = try ModelName.r2plus1d10.make(store.root, classes: 101)
/// let logits = model(clip, mode: .train)                  // [N, 101]
/// try model.freeze(firstStages: 3)                        // MoSI Fig. 6: conv1–conv3 fixed
/// model.layerID(of: "backbone.conv4.res_1.conv_branch.a1.weight")   // 3, for layer-wise LR decay
/// ```
///
/// Stages run from the input to the output — the stem first, then each residual stage (MoSI and
/// TAdaConv call them conv1 … conv5, torchvision `stem`, `layer1` … `layer4`) — and exclude the
/// head. They are the unit of freezing and of layer-wise learning-rate decay.
public protocol Backbone: Module, Layer {
    /// Channels of the pooled features, the input size of ``head``.
    var featureDimension: Int { get }

    /// The classifier, `[N, featureDimension]` → `[N, classes]`.
    var head: Linear { get }

    /// The parameter paths of the stages, stem first (see the type's documentation).
    var stages: [ParameterPath] { get }

    /// The last stage's output `[N, featureDimension, T', H', W']`, before pooling (what Grad-CAM
    /// looks at).
    func featureMap(_ input: Tensor, mode: Mode) -> Tensor

    /// Global-average-pooled features `[N, featureDimension]`, the input of ``head``.
    func features(_ input: Tensor, mode: Mode) -> Tensor

    /// A feature map `[N, featureDimension, T', H', W']` pooled to the features `[N, featureDimension]`:
    /// global average pooling, then, in a ViT, `fc_norm`. `features(x) == pooled(featureMap(x))`.
    func pooled(_ featureMap: Tensor) -> Tensor

    /// The modules above the stages, the classifier last: ``head``, and a ViT's `fc_norm` before it.
    /// They share the head's layer id, and a linear probe trains them.
    var classifierPaths: [ParameterPath] { get }

    /// Logits `[N, classes]`: ``head`` applied to ``features(_:mode:)`` (after the head's dropout,
    /// in training mode, for backbones that have one).
    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor

    /// Replaces the classifier by a freshly initialised one with `classes` outputs (fine-tuning on
    /// another label set); every other tensor is kept.
    func resetHead(classes: Int) throws(ModuleError)
}

extension Backbone {
    public func features(_ input: Tensor, mode: Mode) -> Tensor {
        pooled(featureMap(input, mode: mode))
    }

    public func pooled(_ featureMap: Tensor) -> Tensor {
        featureMap.adaptiveAvgPool3d(outputSize: 1).flattened(from: 1)
    }

    public var classifierPaths: [ParameterPath] { [head.path] }

    /// Number of layer ids: one per stage plus one for the head.
    public var layerCount: Int { stages.count + 1 }

    /// The layer id of the parameter or buffer `name` (relative to `path`, as in
    /// `stateDict()`) for layer-wise learning-rate decay: the stage's index (the stem is 0), or
    /// `stages.count` for the head and the rest of ``classifierPaths``; nil for a name in neither. With decay `d` a parameter's rate is
    /// scaled by `d^(layerCount - 1 - id)`, as in BEiT/timm.
    public func layerID(of name: String) -> Int? {
        let full = path.key(name)
        func holds(_ module: ParameterPath) -> Bool { full.hasPrefix(module.name + ".") }
        if let stage = stages.firstIndex(where: holds) { return stage }
        return classifierPaths.contains(where: holds) ? stages.count : nil
    }

    /// Stops the gradients of the first `count` stages (stem first; 0 freezes nothing,
    /// `stages.count` every stage, leaving only ``classifierPaths`` trainable) and lets every later stage and
    /// the head train, as in MoSI's stage-freezing study (Fig. 6). BatchNorm statistics of frozen
    /// stages still update in `Mode.train`; evaluate them in `Mode.eval` to keep them fixed.
    public func freeze(firstStages count: Int) throws(ModuleError) {
        guard (0...stages.count).contains(count) else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "cannot freeze \(count) stages: this backbone has \(stages.count) (0...\(stages.count) allowed)")
        }
        unfreeze()
        for stage in stages.prefix(count) { stage.freeze() }
    }

    /// Names (relative to `path`) of the parameters that weight decay should skip: biases and
    /// normalization scales and shifts, i.e. every parameter of rank ≤ 1 (timm's rule, and the
    /// MoSI recipe's "BN weight decay 0").
    public var noWeightDecayNames: Set<String> {
        Set(namedParameters().filter { $0.tensor.rank <= 1 }.map(\.name))
    }

    /// Lays the 5-D convolution weights out channels-last
    /// (`model.to(memory_format=torch.channels_last_3d)`); with a channels-last input, oneDNN's CPU
    /// convolutions then run without layout conversions. The values, and so the outputs, do not
    /// change.
    public func useChannelsLast() {
        for (_, weight) in namedParameters() where weight.rank == 5 {
            withNoGrad { weight.setData(weight.contiguous(.channelsLast3d)) }
        }
    }
}
