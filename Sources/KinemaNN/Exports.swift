// KinemaNN: modules, parameter store, layers, initialisation and losses on top of KinemaTensor.
//
// Building and running a model (PyTorch names throughout, so checkpoints load unchanged):
//
//     let store = ParameterStore()                        // optional: device, dtype, generator
//     let p = store.root / "features"
//     let features = try Sequential(p, [
//         try Conv2d(p / 0, inChannels: 3, outChannels: 16, kernelSize: 3, padding: 1, bias: false),
//         try BatchNorm2d(p / 1, features: 16),          // features.1.running_mean, …
//         Activation.relu,
//     ])
//     let head = try Linear(store.root / "head", inFeatures: 16, outFeatures: 10)
//
//     let y = features(x, mode: .train)                  // batch statistics, running stats updated
//     let z = features(x, mode: .eval)                   // running statistics
//     let loss = head(y.mean(dims: [2, 3])).crossEntropy(targets: labels, labelSmoothing: 0.1)
//
//     try store.root.loadStateDict(checkpoint)           // strict: every problem in one StateDictError
//     store.root.trainableParameters()                   // [(name, tensor)] for an optimizer
//
// Design: parameters live in an explicit ParameterStore addressed by state-dict paths (tch-rs's
// VarStore, without its silent renaming: collisions are ModuleErrors); train/eval is an explicit
// `mode:` argument on the layers that care (Layer), while mode-independent layers (UnaryLayer)
// can also be called without one. See docs/architecture-notes.md, "Tensors, modules, training".
@_exported import KinemaTensor
