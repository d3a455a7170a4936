#if canImport(Glibc)
import Glibc
#endif
import KinemaTrain
import Testing

/// The address of the handler currently installed for `signal` (0 is SIG_DFL).
private func installedHandler(_ signal: Int32) -> UInt {
    var current = sigaction()
    sigaction(signal, nil, &current)
    return unsafeBitCast(current.__sigaction_handler.sa_handler, to: UInt.self)
}

/// `raise(signal)` with the signal unblocked in this thread: the test runs on a pool thread that
/// blocks signals (libdispatch workers do), where a raised signal would stay pending instead of
/// reaching the handler before `raise` returns.
private func raiseUnblocked(_ signal: Int32) {
    var set = sigset_t()
    var previous = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signal)
    pthread_sigmask(SIG_UNBLOCK, &set, &previous)
    raise(signal)
    pthread_sigmask(SIG_SETMASK, &previous, nil)
}

// Serialized: signal handlers are process-wide.
@Suite(.serialized) struct TrainingInterruptTests {
    @Test func aPlainInterruptIsSetOnlyByRequest() {
        let interrupt = TrainingInterrupt()
        #expect(!interrupt.isRequested)
        interrupt.request()
        #expect(interrupt.isRequested)
        #expect(interrupt.signal == nil)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalSetsTheFlagAndUninstallingRestoresTheHandler(signal: Int32) {
        let before = installedHandler(signal)
        TrainingInterrupt.installSignalHandlers()
        #expect(installedHandler(signal) != before)
        #expect(!TrainingInterrupt.signals.isRequested)  // installing starts clear
        raiseUnblocked(signal)
        #expect(TrainingInterrupt.signals.isRequested)
        #expect(TrainingInterrupt.signals.signal == signal)
        TrainingInterrupt.uninstallSignalHandlers()
        #expect(installedHandler(signal) == before)
        #expect(installedHandler(SIGINT) == 0 && installedHandler(SIGTERM) == 0)  // the default action again
    }

    @Test func aSecondSignalExitsAtOnce() async {
        await #expect(processExitsWith: .exitCode(128 + SIGINT)) {
            TrainingInterrupt.installSignalHandlers()
            raiseUnblocked(SIGINT)
            raiseUnblocked(SIGINT)
            Issue.record("still running after the second SIGINT")
        }
    }
}
