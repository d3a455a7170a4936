// KinemaModels: video backbones behind one surface (Backbone), addressed by name (ModelName).
//
//     let store = ParameterStore()
//     let model = try ModelName.r2plus1d10.make(store.root, classes: 101)   // MoSI's R(2+1)D-10
//     let logits = model(clip, mode: .train)                                // clip [N, 3, 16, 112, 112]
//     try model.loadStateDict(checkpoint, strict: false)                     // official key names
//
// Two families: VideoResNet (torchvision's R3D-18, MC3-18, R(2+1)D-18, torchvision's state-dict
// names) and ResNet3D (MoSI's R(2+1)D-10 and R-2D3D-18 in the official TAdaConv layout), each with
// width/depth knobs for tiny CPU variants.
@_exported import KinemaNN
