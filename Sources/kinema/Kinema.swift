import ArgumentParser
import Foundation
import KinemaTensor

@main
struct Kinema: ParsableCommand {
    /// The release this build belongs to (semantic versioning; the newest entry of CHANGELOG.md).
    static let version = "0.3.0"

    static let configuration = CommandConfiguration(
        commandName: "kinema",
        abstract: "Self-supervised motion representation learning for video (MoSI, VideoMAE, MME, CGM-Net).",
        version: version,
        subcommands: [Demo.self, MoSI.self, VideoMAE.self, MME.self, CGM.self, FineTune.self, Launch.self, Evaluate.self, Predict.self, Features.self, GradCAMCommand.self, Localization.self, Flow.self, Trajectories.self, MakeDataset.self, Prepare.self, Import.self, Export.self, ListModels.self, Info.self])

    /// Checks the loaded libtorch before any command runs: a shim built against another version
    /// fails in ops with obscure errors or crashes, so a mismatch is a clear error naming the fix.
    /// ArgumentParser's `main` then prints every error a command throws and exits non-zero.
    static func main() {
        OpenMPWaitPolicy.makePassiveUnlessSet()
        // A write past the file-size limit (`ulimit -f`) then fails with EFBIG, which the writers
        // report (the previous file kept), instead of killing the process mid-write.
        signal(SIGXFSZ, SIG_IGN)
        do { try Engine.checkVersions() } catch { exit(withError: error) }
        main(nil)
    }
}
