import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaTrain
import KinemaVideo
import Testing

/// CGM-Net can represent real motion at least as well as the best optical flow warps it: trained
/// on two real clips alone, its synthesised frames err well below TV-L1 warping on the same
/// frames (Table 1's metric). Both see frames t and t + 1 (the protocol of Table 1).
@Suite struct CGMOverfitTests {
    @Test func overfittingTwoRealClipsBeatsTVL1Warping() throws {
        let geometry = CGMClipReader.Geometry(frames: 8, shortSide: 40, crop: 32)
        var reader = try CGMClipReader(try TestData.url("videos/carphone.mp4"), geometry: geometry)
        let clips = try (0..<2).map { _ in try #require(try reader.next()) }  // 9 frames each

        // TV-L1's backward warps of the seen pairs, scored as `kinema cgm evaluate` scores them.
        let tvl1 = try FlowReconstructor(named: "tvl1")
        var flowError = 0.0
        for clip in clips {
            let seen = try tvl1.reconstruct(clip: Array(clip.prefix(8))).seen
            for t in 0..<7 { flowError += try FrameQuality.l1Error(seen[t], clip[t + 1]) / 14 }
        }

        var configuration = CGMNetConfiguration()
        configuration.backbone = ModelName.r3d18Tiny.rawValue
        configuration.backboneWidth = 4
        configuration.hrKernel = 5
        configuration.contextWidth = 8
        configuration.decoderChannels = [16, 16, 16]
        let store = ParameterStore(generator: try Generator(seed: 7))
        let model = try CGMNet(store.root, configuration)
        let x = try ClipInput(normalization: .symmetric).tensor(clips)  // [2, 3, 9, 32, 32] in [−1, 1]
        let clip = x.narrowed(dim: 2, start: 0, length: 8)
        let optimizer = try Adam(groups: [ParameterGroup(named: model.trainableParameters(), options: AdamOptions(learningRate: 3e-3))])
        for _ in 0..<400 {
            optimizer.zeroGrad()
            CGMReconstructionLoss()(model(clip, mode: .train), frames: x).total.backward()
            optimizer.step()
        }
        // The seen frames 1…7, synthesised in eval mode, scored on 8-bit images like the flow's.
        let made = withNoGrad { model(clip, mode: .eval).reconstructions(of: clip) }
        let bytes = ((made + 1) * 127.5).clamped(min: 0, max: 255).rounded().to(.uint8).permuted([0, 2, 3, 4, 1]).contiguous()
            .array(of: UInt8.self)
        let size = 32 * 32 * 3
        var cgmError = 0.0
        for (n, clip) in clips.enumerated() {
            for t in 0..<7 {
                let offset = (n * 8 + t) * size
                let frame = Image(width: 32, height: 32, format: .rgb, pixels: Array(bytes[offset..<(offset + size)]))
                cgmError += try FrameQuality.l1Error(frame, clip[t + 1]) / 14
            }
        }
        #expect(cgmError < 0.8 * flowError, "CGM-Net ℓ1 \(cgmError) against TV-L1's \(flowError)")
    }
}
