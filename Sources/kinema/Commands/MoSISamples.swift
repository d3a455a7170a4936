import ArgumentParser
import Foundation
import KinemaTrain
import KinemaVideo
import KinemaVisualize

/// `kinema mosi samples`: what MoSI trains on, for one image, as an animated GIF.
struct MoSISamples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Write the MoSI pseudo-motion clips of one image as a labelled animated GIF grid.",
        discussion: """
            MoSI turns every still image into 4K + 1 short clips (9 with the default K = 2): a window \
            glides across the image at K speeds in each direction on x or y, or stays still, and the \
            backbone learns to tell which. The GIF shows each class in a column, captioned with its \
            motion ("x +2": the window moves right at speed 2, so the content slides left; "y -1": up \
            at speed 1; "static"). The upper row ("masked") is the clip as training renders it, with \
            the static mask of MoSI Eq. 3 — only a square keeps moving, the rest shows one frame; \
            the lower row ("unmasked") is the same clip (same path, colours and flip) without it. \
            With generator.mask=none the upper row gets the paper's mask so the rows still compare.

            The generator settings come from the same config as `kinema mosi pretrain` (only its \
            generator section matters here), so the GIF shows what that run trains on: the masked clips are exactly those the run's generator draws for an image \
            numbered 0 with this seed. Crops of 64 px or less are shown at twice their size.

            Examples:
              kinema mosi samples photo.jpg --config configs/mosi/tiny_cpu.yaml --output samples.gif
              kinema mosi samples photo.jpg --set generator.colorJitter=none --set generator.frames=8 --seed 3
            """)

    @Argument(help: ArgumentHelp("The source image (PNG, JPEG, BMP, WebP, …).", valueName: "image"))
    var image: String

    /// A `kinema mosi pretrain` config (only its generator section is used) and `--set` overrides.
    @OptionGroup var configFile: ConfigFileOptions

    @Option(help: ArgumentHelp("Where the GIF goes.", valueName: "file"))
    var output = "samples.gif"

    @Option(help: "Seed of the random draws (window paths, colours, masks); default: the config's run.seed.")
    var seed: UInt64?

    @Option(help: "Frames per second of the GIF.")
    var fps: Double = 8

    func validate() throws {
        guard fps > 0, fps <= 100 else { throw ValidationError("--fps must be in (0, 100], got \(fps)") }
        guard (output as NSString).pathExtension.lowercased() == "gif" else {
            throw ValidationError("--output must name a .gif file, got '\(output)'")
        }
    }

    func run() throws {
        // The pretraining config insists on a data source; here the source is the one image.
        let sources = ConfigSources(
            file: configFile.file, overrides: ["data.source=\(image)"] + configFile.overrides)
        let settings: MoSIPretrainConfig
        do { settings = try MoSIPretrainConfig.resolve(sources) } catch { throw ValidationError(error.description) }
        let generator = try settings.generator.generatorConfig(split: .train)
        let source = try Image(contentsOf: URL(fileURLWithPath: image))
        let seed = seed ?? settings.run.seed
        let sheet = try MoSISampleSheet(image: source, config: generator, seed: seed)
        let written = try sheet.writeGIF(to: URL(fileURLWithPath: output), fps: fps)
        print("\(generator.labelPool.count) classes × masked/unmasked, \(written.frameCount) frames "
            + "(\(sheet.frames[0].width)x\(sheet.frames[0].height), seed \(seed)) → \(written.url.path)")
    }
}
