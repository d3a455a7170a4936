import ArgumentParser

/// `kinema cgm …`: CGM-Net (Tian et al., ECCV 2020) — self-supervised motion maps learned by
/// synthesising frames.
struct CGM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cgm",
        abstract: "CGM-Net: learn motion maps by synthesising each next frame; measure motion representations as its Table 1 does.",
        subcommands: [CGMPretrain.self, CGMEvaluateCommand.self])
}
