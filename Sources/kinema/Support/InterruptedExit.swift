import ArgumentParser
import Foundation
import KinemaTrain

/// After a training command has written its checkpoint and files: when a signal stopped it, ends
/// the process as a stopped program does, with 128 + the signal (130 for Ctrl-C, 143 for SIGTERM),
/// so a script's `kinema mosi pretrain … && kinema finetune …` does not go on from a run that did
/// not finish.
func exitIfStoppedBySignal() throws {
    guard TrainingInterrupt.signals.isRequested else { return }
    throw ExitCode(128 + (TrainingInterrupt.signals.signal ?? SIGINT))
}
